;; The smallest useful module with a memory, for instance churn.
(module
  (memory 1 1)
  (data (i32.const 0) "\2a")
  (func (export "first") (result i32) (i32.load8_u (i32.const 0)))
  (func (export "at16") (result i32) (i32.load (i32.const 16)))
  (func (export "touch") (param i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.load (i32.const 16)))
)
