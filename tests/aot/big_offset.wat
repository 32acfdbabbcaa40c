;; A static offset beyond the guard region: the AOT tier compiles this module with explicit
;; bounds checks (aot_support.cc) instead of relying on guard pages.
(module
  (memory (export "memory") 1)
  (func (export "load_far") (param i32) (result i32) (i32.load offset=0x10000000 (local.get 0)))
  (func (export "load_max") (param i32) (result i32) (i32.load offset=0xffffffff (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
)
