;; A table of 4e9 elements (32 GB of host memory in the interpreter) for a few bytes of module.
(module
  (table 4000000000 funcref)
  (func (export "answer") (result i32) i32.const 42))
