;; Grows a table one element at a time, forever: a deadline lands inside the runtime's table
;; growth (host code called from compiled code, not through the host-call bridge).
(module
  (table $t 0 funcref)
  (func (export "grow_forever")
    (loop $more
      (drop (table.grow $t (ref.null func) (i32.const 1)))
      (br $more)))
  (func (export "size") (result i32) (table.size $t)))
