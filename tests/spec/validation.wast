;; pelato spec tests: module validation (assert_invalid).
;; Each module below is well-formed but must be rejected by the validator.
;; Original test script for the pelato project.

;; A valid module first, as a sanity check that the validator accepts
;; ordinary code.
(module
  (type $t (func (param i32) (result i32)))
  (global $g (mut i32) (i32.const 0))
  (memory 1)
  (table 1 funcref)
  (func $f (type $t) (local.get 0))
  (func (export "run") (result i32)
    (global.set $g (call $f (i32.const 3)))
    (i32.add (global.get $g) (call_indirect (type $t) (i32.const 4) (i32.const 0))))
  (elem (i32.const 0) $f)
)
(assert_return (invoke "run") (i32.const 7))

;; ---------------------------------------------------------- operand types
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_invalid (module (func (result f32) (f64.const 0))) "type mismatch")
(assert_invalid (module (func (param i32) (result i64) (local.get 0))) "type mismatch")
(assert_invalid (module (func (i32.add (i32.const 0)) (drop))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.add (i32.const 0) (f32.const 0)))) "type mismatch")
(assert_invalid (module (func (result i32) (i32.const 0) (i32.const 1))) "type mismatch")
(assert_invalid (module (func (result i64) (i64.extend_i32_s (i64.const 0)))) "type mismatch")
(assert_invalid (module (func (result i32) (f32.eq (f64.const 0) (f64.const 0)))) "type mismatch")
(assert_invalid (module (func (nop) (i32.const 1))) "type mismatch")
(assert_invalid (module (func (param i64) (result i32) (i32.eqz (local.get 0)))) "type mismatch")

;; ------------------------------------------------------------ control flow
(assert_invalid (module (func (block (result i32) (nop)) (drop))) "type mismatch")
(assert_invalid (module (func (loop (result i64) (i32.const 0)) (drop))) "type mismatch")
(assert_invalid (module (func (result i32) (if (result i32) (i32.const 0) (then (i32.const 1)) (else (i64.const 1))))) "type mismatch")
(assert_invalid (module (func (if (f32.const 0) (then)))) "type mismatch")
(assert_invalid (module (func (result i32) (block (result i32) (br 0 (f32.const 0))))) "type mismatch")
(assert_invalid (module (func (result i32) (block (result i32) (br_if 0 (i32.const 0) (i64.const 1))))) "type mismatch")
(assert_invalid (module (func (block (br_table 0 (i64.const 0))))) "type mismatch")
(assert_invalid (module (func (result i32) (return (i64.const 0)))) "type mismatch")
(assert_invalid (module (func (br 0) (br 1))) "unknown label")
(assert_invalid (module (func (block (block (br 3))))) "unknown label")
(assert_invalid (module (func (br_if 1 (i32.const 0)))) "unknown label")
(assert_invalid (module (func (block (br_table 0 0 5 (i32.const 0))))) "unknown label")
(assert_invalid (module (func (result i32) (select (i32.const 0) (i32.const 0) (i64.const 0)))) "type mismatch")
(assert_invalid (module (func (drop (select (i32.const 0) (f32.const 0) (i32.const 0))))) "type mismatch")
(assert_invalid (module (func (drop (select (ref.null extern) (ref.null extern) (i32.const 0))))) "type mismatch")
(assert_invalid (module (func (result i32) (unreachable) (i64.const 0))) "type mismatch")

;; --------------------------------------------------------- index spaces
(assert_invalid (module (func (result i32) (local.get 1))) "unknown local")
(assert_invalid (module (func (param i32) (local.set 1 (i32.const 0)))) "unknown local")
(assert_invalid (module (func (drop (global.get 0)))) "unknown global")
(assert_invalid (module (func (call 0) (call 1))) "unknown function")
(assert_invalid (module (func (type 2))) "unknown type")
(assert_invalid (module (type (func)) (func (call_indirect (type 1) (i32.const 0)))) "unknown type")
(assert_invalid (module (func (drop (table.size 0)))) "unknown table")
(assert_invalid (module (func (drop (i64.load (i32.const 0))))) "unknown memory")
(assert_invalid (module (func (i32.store (i32.const 0) (i32.const 0)))) "unknown memory")
(assert_invalid (module (memory 1) (func (data.drop 2))) "unknown data segment")
(assert_invalid (module (func (elem.drop 0))) "unknown elem segment")
(assert_invalid (module (export "f" (func 0))) "unknown function")
(assert_invalid (module (export "g" (global 0))) "unknown global")
(assert_invalid (module (export "m" (memory 0))) "unknown memory")
(assert_invalid (module (export "t" (table 0))) "unknown table")
(assert_invalid (module (start 0)) "unknown function")
(assert_invalid (module (table 1 funcref) (elem (i32.const 0) 0)) "unknown function")
(assert_invalid (module (elem (i32.const 0))) "unknown table")

;; ------------------------------------------------------------- globals
(assert_invalid (module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1)))) "global is immutable")
(assert_invalid (module (global f64 (f32.const 0))) "type mismatch")
(assert_invalid (module (global i64 (i64.const 0) (i64.const 1))) "type mismatch")
(assert_invalid (module (global i32 (i32.ctz (i32.const 0)))) "constant expression required")
(assert_invalid (module (global i32 (nop) (i32.const 0))) "constant expression required")
(assert_invalid
  (module (global $m (mut i32) (i32.const 0)) (global i32 (global.get $m)))
  "constant expression required")
(assert_invalid
  (module (import "spectest" "global_i32" (global i64)) (global i32 (global.get 0)))
  "type mismatch")
(assert_invalid (module (memory 1) (data (i64.const 0) "")) "type mismatch")
(assert_invalid (module (memory 1) (data (i32.ctz (i32.const 0)) "")) "constant expression required")
(assert_invalid (module (table 1 funcref) (elem (f32.const 0))) "type mismatch")

;; ------------------------------------------------- start, exports, limits
(assert_invalid (module (func (param i32)) (start 0)) "start function")
(assert_invalid (module (func (result i32) (i32.const 0)) (start 0)) "start function")
(assert_invalid (module (func) (export "a" (func 0)) (export "a" (func 0))) "duplicate export name")
(assert_invalid
  (module (func) (global i32 (i32.const 0)) (export "x" (func 0)) (export "x" (global 0)))
  "duplicate export name")
(assert_invalid (module (memory 3 2)) "size minimum must not be greater than maximum")
(assert_invalid (module (memory 65537)) "memory size must be at most 65536 pages (4GiB)")
(assert_invalid (module (table 3 2 funcref)) "size minimum must not be greater than maximum")
(assert_invalid (module (memory 1) (func (drop (i32.load16_s align=4 (i32.const 0))))) "alignment must not be larger than natural")
(assert_invalid (module (memory 1) (func (drop (i64.load32_u align=8 (i32.const 0))))) "alignment must not be larger than natural")
(assert_invalid (module (memory 1) (func (i32.store8 align=2 (i32.const 0) (i32.const 0)))) "alignment must not be larger than natural")
