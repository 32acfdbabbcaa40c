;; 64 MiB of memory at start: above a tight Limits::maxMemoryPages.
(module
  (memory (export "memory") 1024)
  (func (export "size") (result i32) (memory.size))
)
