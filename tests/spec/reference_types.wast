;; pelato spec tests: reference types (ref.null, ref.is_null, ref.func,
;; funcref/externref tables, table.get/set/size/grow/fill, externref values).
;; Original test script for the pelato project.

(module
  (type $ret_i32 (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))

  (table $ext 4 10 externref)
  (table $fun 3 funcref)
  (table $src funcref (elem $seven $eight))
  ;; element segment written with expressions, including a null
  (table $exprs 3 funcref)
  (elem (table $exprs) (i32.const 0) funcref (ref.func $eight) (ref.null func) (ref.func $seven))

  (func (export "null_extern") (result externref) (ref.null extern))
  (func (export "null_func") (result funcref) (ref.null func))
  (func (export "is_null_extern") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func (export "is_null_func") (param funcref) (result i32) (ref.is_null (local.get 0)))
  (func (export "ref_func_not_null") (result i32) (ref.is_null (ref.func $seven)))
  (func (export "identity") (param externref) (result externref) (local.get 0))
  (func (export "pick") (param externref externref i32) (result externref)
    (select (result externref) (local.get 0) (local.get 1) (local.get 2)))

  ;; externref table
  (func (export "ext_get") (param i32) (result externref) (table.get $ext (local.get 0)))
  (func (export "ext_set") (param i32 externref) (table.set $ext (local.get 0) (local.get 1)))
  (func (export "ext_size") (result i32) (table.size $ext))
  (func (export "ext_grow") (param externref i32) (result i32) (table.grow $ext (local.get 0) (local.get 1)))
  (func (export "ext_fill") (param i32 externref i32) (table.fill $ext (local.get 0) (local.get 1) (local.get 2)))

  ;; funcref tables
  (func (export "fun_size") (result i32) (table.size $fun))
  (func (export "fun_is_null") (param i32) (result i32) (ref.is_null (table.get $fun (local.get 0))))
  (func (export "fun_get") (param i32) (result funcref) (table.get $fun (local.get 0)))
  (func (export "fun_set_from_src") (param i32 i32)
    (table.set $fun (local.get 0) (table.get $src (local.get 1))))
  (func (export "fun_set_null") (param i32) (table.set $fun (local.get 0) (ref.null func)))
  (func (export "fun_grow") (param i32) (result i32) (table.grow $fun (ref.null func) (local.get 0)))
  (func (export "fun_grow_with") (param i32 i32) (result i32)
    (table.grow $fun (table.get $src (local.get 1)) (local.get 0)))
  (func (export "fun_fill_from_src") (param i32 i32 i32)
    (table.fill $fun (local.get 0) (table.get $src (local.get 1)) (local.get 2)))
  (func (export "fun_call") (param i32) (result i32) (call_indirect $fun (type $ret_i32) (local.get 0)))
  (func (export "fun_set_param") (param i32 funcref) (table.set $fun (local.get 0) (local.get 1)))
  (func (export "src_get") (param i32) (result funcref) (table.get $src (local.get 0)))
  (func (export "exprs_call") (param i32) (result i32) (call_indirect $exprs (type $ret_i32) (local.get 0)))
  (func (export "exprs_size") (result i32) (table.size $exprs))
)

;; null references and ref.is_null
(assert_return (invoke "null_extern") (ref.null extern))
(assert_return (invoke "null_func") (ref.null func))
(assert_return (invoke "is_null_extern" (ref.null extern)) (i32.const 1))
(assert_return (invoke "is_null_extern" (ref.extern 0)) (i32.const 0))
(assert_return (invoke "is_null_extern" (ref.extern 1234)) (i32.const 0))
(assert_return (invoke "is_null_func" (ref.null func)) (i32.const 1))
(assert_return (invoke "ref_func_not_null") (i32.const 0))
(assert_return (invoke "identity" (ref.extern 5)) (ref.extern 5))
(assert_return (invoke "identity" (ref.null extern)) (ref.null extern))
(assert_return (invoke "pick" (ref.extern 1) (ref.extern 2) (i32.const 1)) (ref.extern 1))
(assert_return (invoke "pick" (ref.extern 1) (ref.extern 2) (i32.const 0)) (ref.extern 2))
(assert_return (invoke "pick" (ref.extern 1) (ref.null extern) (i32.const 0)) (ref.null extern))

;; externref table: starts null, get/set, size, grow, fill
(assert_return (invoke "ext_size") (i32.const 4))
(assert_return (invoke "ext_get" (i32.const 0)) (ref.null extern))
(assert_return (invoke "ext_get" (i32.const 3)) (ref.null extern))
(assert_return (invoke "ext_set" (i32.const 1) (ref.extern 4)))
(assert_return (invoke "ext_set" (i32.const 3) (ref.extern 3)))
(assert_return (invoke "ext_get" (i32.const 1)) (ref.extern 4))
(assert_return (invoke "ext_get" (i32.const 3)) (ref.extern 3))
(assert_return (invoke "ext_set" (i32.const 1) (ref.null extern)))
(assert_return (invoke "ext_get" (i32.const 1)) (ref.null extern))
(assert_trap (invoke "ext_get" (i32.const 4)) "out of bounds table access")
(assert_trap (invoke "ext_get" (i32.const -1)) "out of bounds table access")
(assert_trap (invoke "ext_set" (i32.const 4) (ref.extern 1)) "out of bounds table access")
;; grow with a non-null initial value
(assert_return (invoke "ext_grow" (ref.extern 6) (i32.const 2)) (i32.const 4))
(assert_return (invoke "ext_size") (i32.const 6))
(assert_return (invoke "ext_get" (i32.const 3)) (ref.extern 3))
(assert_return (invoke "ext_get" (i32.const 4)) (ref.extern 6))
(assert_return (invoke "ext_get" (i32.const 5)) (ref.extern 6))
(assert_return (invoke "ext_grow" (ref.null extern) (i32.const 0)) (i32.const 6))
(assert_return (invoke "ext_grow" (ref.null extern) (i32.const 5)) (i32.const -1))
(assert_return (invoke "ext_grow" (ref.extern 1) (i32.const -1)) (i32.const -1))
(assert_return (invoke "ext_size") (i32.const 6))
(assert_return (invoke "ext_grow" (ref.null extern) (i32.const 4)) (i32.const 6))
(assert_return (invoke "ext_size") (i32.const 10))
(assert_return (invoke "ext_get" (i32.const 9)) (ref.null extern))
(assert_return (invoke "ext_grow" (ref.null extern) (i32.const 1)) (i32.const -1))
;; fill with non-null and null values
(assert_return (invoke "ext_fill" (i32.const 2) (ref.extern 7) (i32.const 3)))
(assert_return (invoke "ext_get" (i32.const 1)) (ref.null extern))
(assert_return (invoke "ext_get" (i32.const 2)) (ref.extern 7))
(assert_return (invoke "ext_get" (i32.const 4)) (ref.extern 7))
(assert_return (invoke "ext_get" (i32.const 5)) (ref.extern 6))
(assert_return (invoke "ext_fill" (i32.const 3) (ref.null extern) (i32.const 1)))
(assert_return (invoke "ext_get" (i32.const 3)) (ref.null extern))
(assert_return (invoke "ext_get" (i32.const 4)) (ref.extern 7))
(assert_return (invoke "ext_fill" (i32.const 10) (ref.extern 1) (i32.const 0)))
(assert_trap (invoke "ext_fill" (i32.const 9) (ref.extern 1) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "ext_fill" (i32.const 11) (ref.null extern) (i32.const 0)) "out of bounds table access")
;; the failed fill left the table untouched
(assert_return (invoke "ext_get" (i32.const 9)) (ref.null extern))

;; funcref tables
(assert_return (invoke "fun_size") (i32.const 3))
(assert_return (invoke "fun_get" (i32.const 0)) (ref.null func))
(assert_return (invoke "src_get" (i32.const 0)) (ref.func))
(assert_return (invoke "fun_is_null" (i32.const 0)) (i32.const 1))
(assert_trap (invoke "fun_call" (i32.const 0)) "uninitialized element")
(assert_return (invoke "fun_set_from_src" (i32.const 0) (i32.const 1)))
(assert_return (invoke "fun_is_null" (i32.const 0)) (i32.const 0))
(assert_return (invoke "fun_call" (i32.const 0)) (i32.const 8))
(assert_return (invoke "fun_set_null" (i32.const 0)))
(assert_trap (invoke "fun_call" (i32.const 0)) "uninitialized element")
(assert_trap (invoke "fun_get" (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "fun_set_null" (i32.const 3)) "out of bounds table access")
(assert_trap (invoke "fun_set_from_src" (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_return (invoke "fun_set_param" (i32.const 2) (ref.null func)))
(assert_return (invoke "fun_grow_with" (i32.const 2) (i32.const 0)) (i32.const 3))
(assert_return (invoke "fun_size") (i32.const 5))
(assert_return (invoke "fun_call" (i32.const 3)) (i32.const 7))
(assert_return (invoke "fun_call" (i32.const 4)) (i32.const 7))
(assert_return (invoke "fun_grow" (i32.const 0)) (i32.const 5))
(assert_return (invoke "fun_grow" (i32.const 1)) (i32.const 5))
(assert_return (invoke "fun_is_null" (i32.const 5)) (i32.const 1))
(assert_return (invoke "fun_fill_from_src" (i32.const 0) (i32.const 1) (i32.const 3)))
(assert_return (invoke "fun_call" (i32.const 0)) (i32.const 8))
(assert_return (invoke "fun_call" (i32.const 2)) (i32.const 8))
(assert_return (invoke "fun_call" (i32.const 3)) (i32.const 7))
(assert_trap (invoke "fun_fill_from_src" (i32.const 5) (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "fun_call" (i32.const 6)) "undefined element")
(assert_return (invoke "exprs_size") (i32.const 3))
(assert_return (invoke "exprs_call" (i32.const 0)) (i32.const 8))
(assert_trap (invoke "exprs_call" (i32.const 1)) "uninitialized element")
(assert_return (invoke "exprs_call" (i32.const 2)) (i32.const 7))

;; a table whose maximum is reached by table.grow
(module
  (table $t 0 2 externref)
  (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null extern) (local.get 0)))
  (func (export "size") (result i32) (table.size $t))
)
(assert_return (invoke "size") (i32.const 0))
(assert_return (invoke "grow" (i32.const 3)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 2)) (i32.const 0))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "size") (i32.const 2))

;; validation
(assert_invalid
  (module (func (result i32) (ref.is_null (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result externref) (ref.null func)))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (func (table.set 0 (i32.const 0) (ref.null extern))))
  "type mismatch")
(assert_invalid
  (module (table 1 externref) (func (result funcref) (table.get 0 (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (drop (table.get 0 (i32.const 0)))))
  "unknown table")
(assert_invalid
  (module (func (drop (table.size 1))))
  "unknown table")
(assert_invalid
  (module (table 1 externref) (func (drop (table.grow 0 (ref.null extern) (i64.const 1)))))
  "type mismatch")
(assert_invalid
  (module (table 1 externref) (func (table.fill 0 (i32.const 0) (ref.null func) (i32.const 1))))
  "type mismatch")
(assert_invalid
  (module (func (drop (ref.func 3))))
  "unknown function")
(assert_invalid
  (module (table 2 1 funcref))
  "size minimum must not be greater than maximum")
