;; Memory limits: no declared maximum, so Limits::maxMemoryPages is the only bound.
(module
  (memory (export "memory") 3)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "boom") (unreachable))
)
