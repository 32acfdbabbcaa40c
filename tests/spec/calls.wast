;; pelato spec tests: direct calls, indirect calls, recursion and stack
;; exhaustion.
;; Original test script for the pelato project.

(module
  (type $i32_i32 (func (param i32) (result i32)))
  (type $void (func))
  (type $ret_i64 (func (result i64)))
  (type $i32_i32_dup (func (param i32) (result i32)))   ;; same structure as $i32_i32
  (type $f64_f64 (func (param f64) (result f64)))

  (table $tab funcref (elem $inc $dbl $nop $const64 $half))
  (table $small 4 funcref)   ;; entries 0..3 are null

  (func $inc (type $i32_i32) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func $nop (type $void))
  (func $const64 (result i64) (i64.const 0x1122334455667788))
  (func $half (param f64) (result f64) (f64.mul (local.get 0) (f64.const 0.5)))

  (func $many (param i32 i64 f32 f64 i32 i64 f32 f64) (result f64)
    (f64.add
      (f64.add
        (f64.add (f64.convert_i32_s (local.get 0)) (f64.convert_i64_s (local.get 1)))
        (f64.add (f64.promote_f32 (local.get 2)) (local.get 3)))
      (f64.add
        (f64.add (f64.convert_i32_s (local.get 4)) (f64.convert_i64_s (local.get 5)))
        (f64.add (f64.promote_f32 (local.get 6)) (local.get 7)))))
  (func (export "call_many") (result f64)
    (call $many (i32.const 1) (i64.const 2) (f32.const 3.5) (f64.const 4.25)
                (i32.const -1) (i64.const -2) (f32.const -3.5) (f64.const 100)))

  (func (export "call_inc") (param i32) (result i32) (call $inc (local.get 0)))
  (func (export "call_chain") (param i32) (result i32) (call $dbl (call $inc (call $dbl (local.get 0)))))
  (func $multi (param i32) (result i32 i32) (local.get 0) (i32.add (local.get 0) (i32.const 1)))
  (func (export "call_multi") (param i32) (result i32) (call $multi (local.get 0)) (i32.sub))

  ;; recursion
  (func $fac (export "fac") (param i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get 0) (i32.const 1)))))))

  ;; infinite recursion
  (func $runaway (export "runaway") (call $runaway))
  (func $ping (export "ping") (param i32) (result i32) (call $pong (i32.add (local.get 0) (i32.const 1))))
  (func $pong (param i32) (result i32) (call $ping (local.get 0)))
  (func $runaway_indirect (export "runaway_indirect")
    (call_indirect $small (type $void) (i32.const 0)))
  (func (export "install_runaway")
    (table.init $small $runaway_seg (i32.const 0) (i32.const 0) (i32.const 1)))

  ;; call_indirect
  (func (export "ci_i32") (param i32 i32) (result i32)
    (call_indirect $tab (type $i32_i32) (local.get 0) (local.get 1)))
  (func (export "ci_i32_dup") (param i32 i32) (result i32)
    (call_indirect $tab (type $i32_i32_dup) (local.get 0) (local.get 1)))
  (func (export "ci_void") (param i32) (call_indirect $tab (type $void) (local.get 0)))
  (func (export "ci_i64") (param i32) (result i64) (call_indirect $tab (type $ret_i64) (local.get 0)))
  (func (export "ci_f64") (param f64 i32) (result f64)
    (call_indirect $tab (type $f64_f64) (local.get 0) (local.get 1)))
  (func (export "ci_inline") (param i32) (result i32)
    (call_indirect $tab (param i32) (result i32) (i32.const 20) (local.get 0)))
  (func (export "ci_small") (param i32) (call_indirect $small (type $void) (local.get 0)))
  (func (export "fill_small") (param i32)
    (table.init $small $nop_seg (local.get 0) (i32.const 0) (i32.const 1)))
  (elem $runaway_seg func $runaway_indirect)
  (elem $nop_seg func $nop)
)

(assert_return (invoke "call_many") (f64.const 104.25))
(assert_return (invoke "call_inc" (i32.const 41)) (i32.const 42))
(assert_return (invoke "call_inc" (i32.const -1)) (i32.const 0))
(assert_return (invoke "call_chain" (i32.const 5)) (i32.const 22))
(assert_return (invoke "call_multi" (i32.const 10)) (i32.const -1))

(assert_return (invoke "fac" (i64.const 0)) (i64.const 1))
(assert_return (invoke "fac" (i64.const 10)) (i64.const 3628800))
(assert_return (invoke "fac" (i64.const 25)) (i64.const 7034535277573963776))
(assert_return (invoke "fib" (i32.const 0)) (i32.const 0))
(assert_return (invoke "fib" (i32.const 1)) (i32.const 1))
(assert_return (invoke "fib" (i32.const 20)) (i32.const 6765))
(assert_return (invoke "even" (i32.const 100)) (i32.const 1))
(assert_return (invoke "even" (i32.const 77)) (i32.const 0))
(assert_return (invoke "odd" (i32.const 77)) (i32.const 1))
(assert_return (invoke "odd" (i32.const 0)) (i32.const 0))
(assert_return (invoke "depth" (i32.const 1000)) (i32.const 1000))

(assert_exhaustion (invoke "runaway") "call stack exhausted")
(assert_exhaustion (invoke "ping" (i32.const 0)) "call stack exhausted")
;; the instance remains usable after exhaustion
(assert_return (invoke "fib" (i32.const 10)) (i32.const 55))

(assert_return (invoke "ci_i32" (i32.const 5) (i32.const 0)) (i32.const 6))
(assert_return (invoke "ci_i32" (i32.const 5) (i32.const 1)) (i32.const 10))
(assert_return (invoke "ci_i32_dup" (i32.const 7) (i32.const 1)) (i32.const 14))
(assert_return (invoke "ci_inline" (i32.const 0)) (i32.const 21))
(assert_return (invoke "ci_void" (i32.const 2)))
(assert_return (invoke "ci_i64" (i32.const 3)) (i64.const 0x1122334455667788))
(assert_return (invoke "ci_f64" (f64.const 3.0) (i32.const 4)) (f64.const 1.5))
;; indices outside the table
(assert_trap (invoke "ci_i32" (i32.const 0) (i32.const 5)) "undefined element")
(assert_trap (invoke "ci_i32" (i32.const 0) (i32.const -1)) "undefined element")
(assert_trap (invoke "ci_void" (i32.const 0x7fffffff)) "undefined element")
(assert_trap (invoke "ci_small" (i32.const 4)) "undefined element")
;; null entries
(assert_trap (invoke "ci_small" (i32.const 0)) "uninitialized element")
(assert_trap (invoke "ci_small" (i32.const 3)) "uninitialized element")
(assert_return (invoke "fill_small" (i32.const 3)))
(assert_return (invoke "ci_small" (i32.const 3)))
;; signature mismatch
(assert_trap (invoke "ci_i32" (i32.const 0) (i32.const 2)) "indirect call type mismatch")
(assert_trap (invoke "ci_i32" (i32.const 0) (i32.const 3)) "indirect call type mismatch")
(assert_trap (invoke "ci_i32" (i32.const 0) (i32.const 4)) "indirect call type mismatch")
(assert_trap (invoke "ci_void" (i32.const 0)) "indirect call type mismatch")
(assert_trap (invoke "ci_i64" (i32.const 2)) "indirect call type mismatch")
(assert_trap (invoke "ci_f64" (f64.const 1) (i32.const 0)) "indirect call type mismatch")
;; recursion through the table
(assert_return (invoke "install_runaway"))
(assert_exhaustion (invoke "runaway_indirect") "call stack exhausted")

;; validation
(assert_invalid
  (module (func (call 1)))
  "unknown function")
(assert_invalid
  (module (func $f (param i32)) (func (call $f (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (func $f (param i32 i32)) (func (call $f (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func $f (result i32) (i32.const 0)) (func (call $f)))
  "type mismatch")
(assert_invalid
  (module (type (func)) (func (call_indirect (type 0) (i32.const 0))))
  "unknown table")
(assert_invalid
  (module (table 1 funcref) (func (call_indirect (type 3) (i32.const 0))))
  "unknown type")
(assert_invalid
  (module (type (func)) (table 1 funcref) (func (call_indirect (type 0) (i64.const 0))))
  "type mismatch")
