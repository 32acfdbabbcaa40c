;; pelato spec tests: non-trapping (saturating) float-to-int conversions.
;; Original test script for the pelato project.

(module
  (func (export "i32.trunc_sat_f32_s") (param f32) (result i32) (i32.trunc_sat_f32_s (local.get 0)))
  (func (export "i32.trunc_sat_f32_u") (param f32) (result i32) (i32.trunc_sat_f32_u (local.get 0)))
  (func (export "i32.trunc_sat_f64_s") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
  (func (export "i32.trunc_sat_f64_u") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
  (func (export "i64.trunc_sat_f32_s") (param f32) (result i64) (i64.trunc_sat_f32_s (local.get 0)))
  (func (export "i64.trunc_sat_f32_u") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func (export "i64.trunc_sat_f64_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "i64.trunc_sat_f64_u") (param f64) (result i64) (i64.trunc_sat_f64_u (local.get 0)))
  ;; values that would trap with the plain trunc never trap here
  (func (export "sum_sat") (result i32)
    (i32.add
      (i32.add (i32.trunc_sat_f32_s (f32.const nan)) (i32.trunc_sat_f32_s (f32.const inf)))
      (i32.trunc_sat_f64_u (f64.const -1e10))))
)

;; i32 from f32, signed
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const 0.0)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -0.0)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const 1.99)) (i32.const 1))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -1.99)) (i32.const -1))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const 0x1.fffffep30)) (i32.const 2147483520))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const 0x1p31)) (i32.const 0x7fffffff))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -0x1p31)) (i32.const 0x80000000))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -0x1.000002p31)) (i32.const 0x80000000))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const inf)) (i32.const 0x7fffffff))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -inf)) (i32.const 0x80000000))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const nan)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_s" (f32.const -nan:0x1)) (i32.const 0))

;; i32 from f32, unsigned
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const 2.5)) (i32.const 2))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const -0.5)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const -1.0)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const 0x1.fffffep31)) (i32.const 0xffffff00))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const 0x1p32)) (i32.const 0xffffffff))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const inf)) (i32.const 0xffffffff))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const -inf)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f32_u" (f32.const nan)) (i32.const 0))

;; i32 from f64
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const 2147483647.9)) (i32.const 2147483647))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const 2147483648.0)) (i32.const 2147483647))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const -2147483648.9)) (i32.const -2147483648))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const -2147483649.0)) (i32.const -2147483648))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const -1e300)) (i32.const -2147483648))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const -nan)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f64_s" (f64.const 0x1p-1074)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const 4294967295.9)) (i32.const -1))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const 4294967296.0)) (i32.const -1))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const 3e9)) (i32.const 3000000000))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const -0.99)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const -5e9)) (i32.const 0))
(assert_return (invoke "i32.trunc_sat_f64_u" (f64.const nan:0x1234)) (i32.const 0))

;; i64 from f32
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const -3.5)) (i64.const -3))
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const 0x1.fffffep62)) (i64.const 9223371487098961920))
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const 0x1p63)) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const -0x1p63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const -inf)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64.trunc_sat_f32_s" (f32.const nan)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f32_u" (f32.const 0x1.fffffep63)) (i64.const 18446742974197923840))
(assert_return (invoke "i64.trunc_sat_f32_u" (f32.const 0x1p64)) (i64.const -1))
(assert_return (invoke "i64.trunc_sat_f32_u" (f32.const -0x1p64)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f32_u" (f32.const -nan)) (i64.const 0))

;; i64 from f64
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const 0x1.fffffffffffffp62)) (i64.const 9223372036854774784))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const 0x1p63)) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const -0x1p63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const -0x1.0000000000001p63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const inf)) (i64.const 0x7fffffffffffffff))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const nan)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f64_s" (f64.const -1234.999)) (i64.const -1234))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const 0x1.fffffffffffffp63)) (i64.const 18446744073709549568))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const 0x1p64)) (i64.const 0xffffffffffffffff))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const 1e100)) (i64.const 0xffffffffffffffff))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const -1.0)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const -inf)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const nan:0x1)) (i64.const 0))
(assert_return (invoke "i64.trunc_sat_f64_u" (f64.const 4294967296.5)) (i64.const 0x100000000))

;; nan -> 0, inf -> INT32_MAX, -1e10 (unsigned) -> 0
(assert_return (invoke "sum_sat") (i32.const 0x7fffffff))

(assert_invalid
  (module (func (result i32) (i32.trunc_sat_f32_s (f64.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result i32) (i64.trunc_sat_f64_u (f64.const 0))))
  "type mismatch")
