;; 320 pages (20 MiB) of initial memory: more than a 16 MiB limit allows.
(module
  (memory (export "memory") 320)
  (func (export "answer") (result i32) i32.const 42))
