;; A data segment that does not fit in memory: instantiation fails.
(module
  (memory 1)
  (data (i32.const 65535) "ab"))
