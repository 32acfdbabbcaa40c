;; Grows a table without a declared maximum.
(module
  (table $t 1 funcref)
  (func (export "grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n)))
  (func (export "size") (result i32)
    (table.size $t)))
