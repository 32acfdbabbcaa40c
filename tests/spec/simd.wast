;; pelato spec tests: a core subset of 128-bit SIMD (v128) operations.
;; Original test script for the pelato project.

(module
  (memory 1)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (data (i32.const 16) "\80\ff\7f\01\fe\02\81\00")

  ;; constants and identity
  (func (export "id") (param v128) (result v128) (local.get 0))
  (func (export "const_i8") (result v128) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1))
  (func (export "const_f32") (result v128) (v128.const f32x4 1.5 -0.0 inf nan))

  ;; splat
  (func (export "i8x16.splat") (param i32) (result v128) (i8x16.splat (local.get 0)))
  (func (export "i16x8.splat") (param i32) (result v128) (i16x8.splat (local.get 0)))
  (func (export "i32x4.splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
  (func (export "i64x2.splat") (param i64) (result v128) (i64x2.splat (local.get 0)))
  (func (export "f32x4.splat") (param f32) (result v128) (f32x4.splat (local.get 0)))
  (func (export "f64x2.splat") (param f64) (result v128) (f64x2.splat (local.get 0)))

  ;; lanes
  (func (export "i8x16.extract_lane_s_15") (param v128) (result i32) (i8x16.extract_lane_s 15 (local.get 0)))
  (func (export "i8x16.extract_lane_u_15") (param v128) (result i32) (i8x16.extract_lane_u 15 (local.get 0)))
  (func (export "i16x8.extract_lane_s_1") (param v128) (result i32) (i16x8.extract_lane_s 1 (local.get 0)))
  (func (export "i16x8.extract_lane_u_1") (param v128) (result i32) (i16x8.extract_lane_u 1 (local.get 0)))
  (func (export "i32x4.extract_lane_3") (param v128) (result i32) (i32x4.extract_lane 3 (local.get 0)))
  (func (export "i64x2.extract_lane_0") (param v128) (result i64) (i64x2.extract_lane 0 (local.get 0)))
  (func (export "f32x4.extract_lane_2") (param v128) (result f32) (f32x4.extract_lane 2 (local.get 0)))
  (func (export "f64x2.extract_lane_1") (param v128) (result f64) (f64x2.extract_lane 1 (local.get 0)))
  (func (export "i8x16.replace_lane_0") (param v128 i32) (result v128) (i8x16.replace_lane 0 (local.get 0) (local.get 1)))
  (func (export "i16x8.replace_lane_7") (param v128 i32) (result v128) (i16x8.replace_lane 7 (local.get 0) (local.get 1)))
  (func (export "i32x4.replace_lane_2") (param v128 i32) (result v128) (i32x4.replace_lane 2 (local.get 0) (local.get 1)))
  (func (export "i64x2.replace_lane_1") (param v128 i64) (result v128) (i64x2.replace_lane 1 (local.get 0) (local.get 1)))
  (func (export "f32x4.replace_lane_0") (param v128 f32) (result v128) (f32x4.replace_lane 0 (local.get 0) (local.get 1)))
  (func (export "f64x2.replace_lane_0") (param v128 f64) (result v128) (f64x2.replace_lane 0 (local.get 0) (local.get 1)))

  ;; arithmetic
  (func (export "i8x16.add") (param v128 v128) (result v128) (i8x16.add (local.get 0) (local.get 1)))
  (func (export "i8x16.sub") (param v128 v128) (result v128) (i8x16.sub (local.get 0) (local.get 1)))
  (func (export "i8x16.add_sat_s") (param v128 v128) (result v128) (i8x16.add_sat_s (local.get 0) (local.get 1)))
  (func (export "i8x16.sub_sat_u") (param v128 v128) (result v128) (i8x16.sub_sat_u (local.get 0) (local.get 1)))
  (func (export "i16x8.add") (param v128 v128) (result v128) (i16x8.add (local.get 0) (local.get 1)))
  (func (export "i16x8.mul") (param v128 v128) (result v128) (i16x8.mul (local.get 0) (local.get 1)))
  (func (export "i32x4.add") (param v128 v128) (result v128) (i32x4.add (local.get 0) (local.get 1)))
  (func (export "i32x4.sub") (param v128 v128) (result v128) (i32x4.sub (local.get 0) (local.get 1)))
  (func (export "i32x4.mul") (param v128 v128) (result v128) (i32x4.mul (local.get 0) (local.get 1)))
  (func (export "i32x4.neg") (param v128) (result v128) (i32x4.neg (local.get 0)))
  (func (export "i32x4.abs") (param v128) (result v128) (i32x4.abs (local.get 0)))
  (func (export "i32x4.min_s") (param v128 v128) (result v128) (i32x4.min_s (local.get 0) (local.get 1)))
  (func (export "i32x4.max_u") (param v128 v128) (result v128) (i32x4.max_u (local.get 0) (local.get 1)))
  (func (export "i64x2.add") (param v128 v128) (result v128) (i64x2.add (local.get 0) (local.get 1)))
  (func (export "i64x2.sub") (param v128 v128) (result v128) (i64x2.sub (local.get 0) (local.get 1)))
  (func (export "i64x2.mul") (param v128 v128) (result v128) (i64x2.mul (local.get 0) (local.get 1)))
  (func (export "f32x4.add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))
  (func (export "f32x4.sub") (param v128 v128) (result v128) (f32x4.sub (local.get 0) (local.get 1)))
  (func (export "f32x4.mul") (param v128 v128) (result v128) (f32x4.mul (local.get 0) (local.get 1)))
  (func (export "f32x4.div") (param v128 v128) (result v128) (f32x4.div (local.get 0) (local.get 1)))
  (func (export "f32x4.min") (param v128 v128) (result v128) (f32x4.min (local.get 0) (local.get 1)))
  (func (export "f32x4.sqrt") (param v128) (result v128) (f32x4.sqrt (local.get 0)))
  (func (export "f64x2.add") (param v128 v128) (result v128) (f64x2.add (local.get 0) (local.get 1)))
  (func (export "f64x2.mul") (param v128 v128) (result v128) (f64x2.mul (local.get 0) (local.get 1)))
  (func (export "f64x2.max") (param v128 v128) (result v128) (f64x2.max (local.get 0) (local.get 1)))

  ;; shifts
  (func (export "i32x4.shl") (param v128 i32) (result v128) (i32x4.shl (local.get 0) (local.get 1)))
  (func (export "i16x8.shr_s") (param v128 i32) (result v128) (i16x8.shr_s (local.get 0) (local.get 1)))
  (func (export "i8x16.shr_u") (param v128 i32) (result v128) (i8x16.shr_u (local.get 0) (local.get 1)))

  ;; comparisons
  (func (export "i8x16.eq") (param v128 v128) (result v128) (i8x16.eq (local.get 0) (local.get 1)))
  (func (export "i8x16.lt_u") (param v128 v128) (result v128) (i8x16.lt_u (local.get 0) (local.get 1)))
  (func (export "i16x8.gt_s") (param v128 v128) (result v128) (i16x8.gt_s (local.get 0) (local.get 1)))
  (func (export "i32x4.lt_s") (param v128 v128) (result v128) (i32x4.lt_s (local.get 0) (local.get 1)))
  (func (export "i32x4.ge_u") (param v128 v128) (result v128) (i32x4.ge_u (local.get 0) (local.get 1)))
  (func (export "i64x2.ne") (param v128 v128) (result v128) (i64x2.ne (local.get 0) (local.get 1)))
  (func (export "f32x4.lt") (param v128 v128) (result v128) (f32x4.lt (local.get 0) (local.get 1)))
  (func (export "f64x2.eq") (param v128 v128) (result v128) (f64x2.eq (local.get 0) (local.get 1)))

  ;; bitwise
  (func (export "v128.and") (param v128 v128) (result v128) (v128.and (local.get 0) (local.get 1)))
  (func (export "v128.or") (param v128 v128) (result v128) (v128.or (local.get 0) (local.get 1)))
  (func (export "v128.xor") (param v128 v128) (result v128) (v128.xor (local.get 0) (local.get 1)))
  (func (export "v128.not") (param v128) (result v128) (v128.not (local.get 0)))
  (func (export "v128.andnot") (param v128 v128) (result v128) (v128.andnot (local.get 0) (local.get 1)))
  (func (export "v128.bitselect") (param v128 v128 v128) (result v128)
    (v128.bitselect (local.get 0) (local.get 1) (local.get 2)))

  ;; reductions
  (func (export "v128.any_true") (param v128) (result i32) (v128.any_true (local.get 0)))
  (func (export "i8x16.all_true") (param v128) (result i32) (i8x16.all_true (local.get 0)))
  (func (export "i32x4.all_true") (param v128) (result i32) (i32x4.all_true (local.get 0)))
  (func (export "i8x16.bitmask") (param v128) (result i32) (i8x16.bitmask (local.get 0)))

  ;; shuffles
  (func (export "reverse") (param v128) (result v128)
    (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get 0) (local.get 0)))
  (func (export "interleave") (param v128 v128) (result v128)
    (i8x16.shuffle 0 16 1 17 2 18 3 19 4 20 5 21 6 22 7 23 (local.get 0) (local.get 1)))
  (func (export "swizzle") (param v128 v128) (result v128) (i8x16.swizzle (local.get 0) (local.get 1)))

  ;; conversions
  (func (export "f32x4.convert_i32x4_s") (param v128) (result v128) (f32x4.convert_i32x4_s (local.get 0)))
  (func (export "i32x4.trunc_sat_f32x4_s") (param v128) (result v128) (i32x4.trunc_sat_f32x4_s (local.get 0)))

  ;; memory
  (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
  (func (export "load_off") (param i32) (result v128) (v128.load offset=1 align=1 (local.get 0)))
  (func (export "store") (param i32 v128) (v128.store (local.get 0) (local.get 1)))
  (func (export "load32_splat") (param i32) (result v128) (v128.load32_splat (local.get 0)))
  (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
  (func (export "load8x8_u") (param i32) (result v128) (v128.load8x8_u (local.get 0)))
  (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
  (func (export "load_lane_i16_3") (param i32 v128) (result v128) (v128.load16_lane 3 (local.get 0) (local.get 1)))
  (func (export "store_lane_i32_1") (param i32 v128) (v128.store32_lane 1 (local.get 0) (local.get 1)))
  (func (export "load_i32") (param i32) (result i32) (i32.load (local.get 0)))
)

;; constants
(assert_return (invoke "id" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 4))
(assert_return (invoke "id" (v128.const i64x2 -1 0x8000000000000000)) (v128.const i32x4 -1 -1 0 0x80000000))
(assert_return (invoke "const_i8") (v128.const i32x4 0x03020100 0x07060504 0x0b0a0908 0xff0e0d0c))
(assert_return (invoke "const_f32") (v128.const i32x4 0x3fc00000 0x80000000 0x7f800000 0x7fc00000))

;; splat
(assert_return (invoke "i8x16.splat" (i32.const 0x1ff)) (v128.const i8x16 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1 -1))
(assert_return (invoke "i16x8.splat" (i32.const 0x12345)) (v128.const i16x8 0x2345 0x2345 0x2345 0x2345 0x2345 0x2345 0x2345 0x2345))
(assert_return (invoke "i32x4.splat" (i32.const -7)) (v128.const i32x4 -7 -7 -7 -7))
(assert_return (invoke "i64x2.splat" (i64.const 0x0123456789abcdef)) (v128.const i64x2 0x0123456789abcdef 0x0123456789abcdef))
(assert_return (invoke "f32x4.splat" (f32.const -1.25)) (v128.const f32x4 -1.25 -1.25 -1.25 -1.25))
(assert_return (invoke "f64x2.splat" (f64.const inf)) (v128.const f64x2 inf inf))

;; lanes
(assert_return (invoke "i8x16.extract_lane_s_15" (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0x80)) (i32.const -128))
(assert_return (invoke "i8x16.extract_lane_u_15" (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0x80)) (i32.const 128))
(assert_return (invoke "i16x8.extract_lane_s_1" (v128.const i16x8 0 -2 0 0 0 0 0 0)) (i32.const -2))
(assert_return (invoke "i16x8.extract_lane_u_1" (v128.const i16x8 0 -2 0 0 0 0 0 0)) (i32.const 0xfffe))
(assert_return (invoke "i32x4.extract_lane_3" (v128.const i32x4 1 2 3 0xdeadbeef)) (i32.const 0xdeadbeef))
(assert_return (invoke "i64x2.extract_lane_0" (v128.const i64x2 -5 6)) (i64.const -5))
(assert_return (invoke "f32x4.extract_lane_2" (v128.const f32x4 0 0 -0x1p-149 0)) (f32.const -0x1p-149))
(assert_return (invoke "f32x4.extract_lane_2" (v128.const f32x4 0 0 nan:0x200000 0)) (f32.const nan:0x200000))
(assert_return (invoke "f64x2.extract_lane_1" (v128.const f64x2 1 -0.5)) (f64.const -0.5))
(assert_return (invoke "i8x16.replace_lane_0" (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i32.const 0x1234))
  (v128.const i8x16 0x34 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1))
(assert_return (invoke "i16x8.replace_lane_7" (v128.const i16x8 0 0 0 0 0 0 0 0) (i32.const -1))
  (v128.const i16x8 0 0 0 0 0 0 0 -1))
(assert_return (invoke "i32x4.replace_lane_2" (v128.const i32x4 1 2 3 4) (i32.const 99)) (v128.const i32x4 1 2 99 4))
(assert_return (invoke "i64x2.replace_lane_1" (v128.const i64x2 1 2) (i64.const -3)) (v128.const i64x2 1 -3))
(assert_return (invoke "f32x4.replace_lane_0" (v128.const f32x4 1 2 3 4) (f32.const -0.0)) (v128.const f32x4 -0.0 2 3 4))
(assert_return (invoke "f64x2.replace_lane_0" (v128.const f64x2 1 2) (f64.const 0.25)) (v128.const f64x2 0.25 2))

;; integer arithmetic (lane-wise wrapping)
(assert_return (invoke "i8x16.add"
    (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 127)
    (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1))
  (v128.const i8x16 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 -128))
(assert_return (invoke "i8x16.sub"
    (v128.const i8x16 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
    (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 -128))
  (v128.const i8x16 -1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12 -13 -14 -15 -128))
(assert_return (invoke "i8x16.add_sat_s"
    (v128.const i8x16 127 -128 100 -100 0 0 0 0 0 0 0 0 0 0 0 1)
    (v128.const i8x16 1 -1 100 -100 0 0 0 0 0 0 0 0 0 0 0 1))
  (v128.const i8x16 127 -128 127 -128 0 0 0 0 0 0 0 0 0 0 0 2))
(assert_return (invoke "i8x16.sub_sat_u"
    (v128.const i8x16 0 10 255 5 0 0 0 0 0 0 0 0 0 0 0 0)
    (v128.const i8x16 1 3 255 10 0 0 0 0 0 0 0 0 0 0 0 0))
  (v128.const i8x16 0 7 0 0 0 0 0 0 0 0 0 0 0 0 0 0))
(assert_return (invoke "i16x8.add" (v128.const i16x8 0x7fff 1 2 3 4 5 6 -1) (v128.const i16x8 1 1 1 1 1 1 1 1))
  (v128.const i16x8 -0x8000 2 3 4 5 6 7 0))
(assert_return (invoke "i16x8.mul" (v128.const i16x8 256 -3 2 0 1 1 1 1) (v128.const i16x8 256 5 -2 9 1 2 3 4))
  (v128.const i16x8 0 -15 -4 0 1 2 3 4))
(assert_return (invoke "i32x4.add" (v128.const i32x4 1 2 0x7fffffff -1) (v128.const i32x4 10 20 1 1))
  (v128.const i32x4 11 22 0x80000000 0))
(assert_return (invoke "i32x4.sub" (v128.const i32x4 1 2 3 0x80000000) (v128.const i32x4 2 2 2 1))
  (v128.const i32x4 -1 0 1 0x7fffffff))
(assert_return (invoke "i32x4.mul" (v128.const i32x4 3 -4 0x10000 7) (v128.const i32x4 5 6 0x10000 0))
  (v128.const i32x4 15 -24 0 0))
(assert_return (invoke "i32x4.neg" (v128.const i32x4 1 -1 0 0x80000000)) (v128.const i32x4 -1 1 0 0x80000000))
(assert_return (invoke "i32x4.abs" (v128.const i32x4 1 -1 0 0x80000000)) (v128.const i32x4 1 1 0 0x80000000))
(assert_return (invoke "i32x4.min_s" (v128.const i32x4 -1 5 0 7) (v128.const i32x4 1 -5 0 8)) (v128.const i32x4 -1 -5 0 7))
(assert_return (invoke "i32x4.max_u" (v128.const i32x4 -1 5 0 7) (v128.const i32x4 1 -5 0 8)) (v128.const i32x4 -1 -5 0 8))
(assert_return (invoke "i64x2.add" (v128.const i64x2 0xffffffff -1) (v128.const i64x2 1 1)) (v128.const i64x2 0x100000000 0))
(assert_return (invoke "i64x2.sub" (v128.const i64x2 0 5) (v128.const i64x2 1 10)) (v128.const i64x2 -1 -5))
(assert_return (invoke "i64x2.mul" (v128.const i64x2 0x100000000 -2) (v128.const i64x2 0x100000000 3)) (v128.const i64x2 0 -6))

;; floating-point arithmetic
(assert_return (invoke "f32x4.add" (v128.const f32x4 1 2 inf -0.0) (v128.const f32x4 0.5 -2 -inf -0.0))
  (v128.const f32x4 1.5 0 nan:canonical -0.0))
(assert_return (invoke "f32x4.sub" (v128.const f32x4 1 nan 0 0) (v128.const f32x4 1 1 -0.0 0))
  (v128.const f32x4 0 nan:canonical 0 0))
(assert_return (invoke "f32x4.mul" (v128.const f32x4 2 -3 1e30 nan:0x200000) (v128.const f32x4 0.5 3 1e30 1))
  (v128.const f32x4 1 -9 inf nan:arithmetic))
(assert_return (invoke "f32x4.div" (v128.const f32x4 1 -1 0 6) (v128.const f32x4 0 0 0 4))
  (v128.const f32x4 inf -inf nan:canonical 1.5))
(assert_return (invoke "f32x4.min" (v128.const f32x4 0 -0.0 1 nan) (v128.const f32x4 -0.0 0 -1 1))
  (v128.const f32x4 -0.0 -0.0 -1 nan:canonical))
(assert_return (invoke "f32x4.sqrt" (v128.const f32x4 4 -1 0.25 inf)) (v128.const f32x4 2 nan:canonical 0.5 inf))
(assert_return (invoke "f64x2.add" (v128.const f64x2 0.1 1e308) (v128.const f64x2 0.2 1e308))
  (v128.const f64x2 0x1.3333333333334p-2 inf))
(assert_return (invoke "f64x2.mul" (v128.const f64x2 -0.0 3) (v128.const f64x2 5 -0.5)) (v128.const f64x2 -0.0 -1.5))
(assert_return (invoke "f64x2.max" (v128.const f64x2 -0.0 nan) (v128.const f64x2 0 0)) (v128.const f64x2 0 nan:canonical))

;; shifts (count taken modulo the lane width)
(assert_return (invoke "i32x4.shl" (v128.const i32x4 1 2 0x80000000 -1) (i32.const 1)) (v128.const i32x4 2 4 0 -2))
(assert_return (invoke "i32x4.shl" (v128.const i32x4 1 2 3 4) (i32.const 33)) (v128.const i32x4 2 4 6 8))
(assert_return (invoke "i16x8.shr_s" (v128.const i16x8 -16 16 0x8000 1 2 3 4 5) (i32.const 2))
  (v128.const i16x8 -4 4 0xe000 0 0 0 1 1))
(assert_return (invoke "i8x16.shr_u" (v128.const i8x16 0x80 0xff 1 2 3 4 5 6 7 8 9 10 11 12 13 14) (i32.const 9))
  (v128.const i8x16 0x40 0x7f 0 1 1 2 2 3 3 4 4 5 5 6 6 7))

;; comparisons produce all-ones / all-zeros lanes
(assert_return (invoke "i8x16.eq"
    (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16)
    (v128.const i8x16 1 0 3 0 5 0 7 0 9 0 11 0 13 0 15 0))
  (v128.const i8x16 -1 0 -1 0 -1 0 -1 0 -1 0 -1 0 -1 0 -1 0))
(assert_return (invoke "i8x16.lt_u"
    (v128.const i8x16 0 0xff 1 0x80 0 0 0 0 0 0 0 0 0 0 0 0)
    (v128.const i8x16 1 0 1 0x7f 0 0 0 0 0 0 0 0 0 0 0 1))
  (v128.const i8x16 -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 -1))
(assert_return (invoke "i16x8.gt_s" (v128.const i16x8 1 -1 0 5 5 5 5 5) (v128.const i16x8 0 0 0 4 6 5 -5 0x7fff))
  (v128.const i16x8 -1 0 0 -1 0 0 -1 0))
(assert_return (invoke "i32x4.lt_s" (v128.const i32x4 -1 0 0x80000000 5) (v128.const i32x4 0 -1 0x7fffffff 5))
  (v128.const i32x4 -1 0 -1 0))
(assert_return (invoke "i32x4.ge_u" (v128.const i32x4 -1 0 0x80000000 5) (v128.const i32x4 0 -1 0x7fffffff 5))
  (v128.const i32x4 -1 0 -1 -1))
(assert_return (invoke "i64x2.ne" (v128.const i64x2 1 2) (v128.const i64x2 1 3)) (v128.const i64x2 0 -1))
(assert_return (invoke "f32x4.lt" (v128.const f32x4 -0.0 1 nan -inf) (v128.const f32x4 0 2 1 inf))
  (v128.const i32x4 0 -1 0 -1))
(assert_return (invoke "f64x2.eq" (v128.const f64x2 nan -0.0) (v128.const f64x2 nan 0)) (v128.const i64x2 0 -1))

;; bitwise
(assert_return (invoke "v128.and" (v128.const i32x4 0xff00ff00 -1 0 0x12345678) (v128.const i32x4 0x0ff00ff0 0 -1 -1))
  (v128.const i32x4 0x0f000f00 0 0 0x12345678))
(assert_return (invoke "v128.or" (v128.const i32x4 0xff00ff00 -1 0 0) (v128.const i32x4 0x0ff00ff0 0 0 1))
  (v128.const i32x4 0xfff0fff0 -1 0 1))
(assert_return (invoke "v128.xor" (v128.const i32x4 -1 -1 0 0) (v128.const i32x4 -1 0 -1 0)) (v128.const i32x4 0 -1 -1 0))
(assert_return (invoke "v128.not" (v128.const i32x4 0 -1 0x55555555 0x0f0f0f0f))
  (v128.const i32x4 -1 0 0xaaaaaaaa 0xf0f0f0f0))
(assert_return (invoke "v128.andnot" (v128.const i32x4 -1 -1 0xff 0) (v128.const i32x4 0xf0 0 -1 -1))
  (v128.const i32x4 0xffffff0f -1 0 0))
(assert_return (invoke "v128.bitselect"
    (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444)
    (v128.const i32x4 0xaaaaaaaa 0xbbbbbbbb 0xcccccccc 0xdddddddd)
    (v128.const i32x4 -1 0 0x0000ffff 0xf0f0f0f0))
  (v128.const i32x4 0x11111111 0xbbbbbbbb 0xcccc3333 0x4d4d4d4d))

;; reductions
(assert_return (invoke "v128.any_true" (v128.const i32x4 0 0 0 0)) (i32.const 0))
(assert_return (invoke "v128.any_true" (v128.const i64x2 0 0x8000000000000000)) (i32.const 1))
(assert_return (invoke "i8x16.all_true" (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1)) (i32.const 1))
(assert_return (invoke "i8x16.all_true" (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 0)) (i32.const 0))
(assert_return (invoke "i32x4.all_true" (v128.const i32x4 1 0x100 0x10000 0x1000000)) (i32.const 1))
(assert_return (invoke "i32x4.all_true" (v128.const i8x16 1 1 1 1 1 1 1 1 0 0 0 0 1 1 1 1)) (i32.const 0))
(assert_return (invoke "i8x16.bitmask" (v128.const i8x16 -1 0 -1 0 0 0 0 0 0 0 0 0 0 0 0 -128)) (i32.const 0x8005))

;; shuffle / swizzle
(assert_return (invoke "reverse" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
  (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0))
(assert_return (invoke "interleave"
    (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    (v128.const i8x16 -1 -2 -3 -4 -5 -6 -7 -8 -9 -10 -11 -12 -13 -14 -15 -16))
  (v128.const i8x16 0 -1 1 -2 2 -3 3 -4 4 -5 5 -6 6 -7 7 -8))
(assert_return (invoke "swizzle"
    (v128.const i8x16 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25)
    (v128.const i8x16 15 0 1 16 255 128 2 2 3 4 5 6 7 8 9 17))
  (v128.const i8x16 25 10 11 0 0 0 12 12 13 14 15 16 17 18 19 0))

;; conversions
(assert_return (invoke "f32x4.convert_i32x4_s" (v128.const i32x4 -1 0 16777217 0x80000000))
  (v128.const f32x4 -1 0 16777216 -0x1p31))
(assert_return (invoke "i32x4.trunc_sat_f32x4_s" (v128.const f32x4 -1.5 nan 1e10 -inf))
  (v128.const i32x4 -1 0 0x7fffffff 0x80000000))

;; memory
(assert_return (invoke "load" (i32.const 0)) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))
(assert_return (invoke "load_off" (i32.const 0)) (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 0x80))
(assert_return (invoke "load32_splat" (i32.const 4)) (v128.const i32x4 0x07060504 0x07060504 0x07060504 0x07060504))
(assert_return (invoke "load8x8_s" (i32.const 16)) (v128.const i16x8 -128 -1 127 1 -2 2 -127 0))
(assert_return (invoke "load8x8_u" (i32.const 16)) (v128.const i16x8 128 255 127 1 254 2 129 0))
(assert_return (invoke "load32_zero" (i32.const 8)) (v128.const i32x4 0x0b0a0908 0 0 0))
(assert_return (invoke "load_lane_i16_3" (i32.const 2) (v128.const i16x8 -1 -1 -1 -1 -1 -1 -1 -1))
  (v128.const i16x8 -1 -1 -1 0x0302 -1 -1 -1 -1))
(assert_return (invoke "store" (i32.const 100) (v128.const i32x4 0x11111111 0x22222222 0x33333333 0x44444444)))
(assert_return (invoke "load_i32" (i32.const 108)) (i32.const 0x33333333))
(assert_return (invoke "store_lane_i32_1" (i32.const 200) (v128.const i32x4 1 0xcafe 3 4)))
(assert_return (invoke "load_i32" (i32.const 200)) (i32.const 0xcafe))
(assert_return (invoke "load_i32" (i32.const 204)) (i32.const 0))
(assert_return (invoke "load" (i32.const 65520)) (v128.const i64x2 0 0))
(assert_trap (invoke "load" (i32.const 65521)) "out of bounds memory access")
(assert_trap (invoke "load" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "load_off" (i32.const 65520)) "out of bounds memory access")
(assert_trap (invoke "store" (i32.const 65530) (v128.const i64x2 0 0)) "out of bounds memory access")
(assert_trap (invoke "load32_splat" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "load8x8_s" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "load_lane_i16_3" (i32.const 65535) (v128.const i64x2 0 0)) "out of bounds memory access")
(assert_trap (invoke "store_lane_i32_1" (i32.const 65533) (v128.const i64x2 0 0)) "out of bounds memory access")

;; validation
(assert_invalid
  (module (func (result v128) (i32x4.add (v128.const i32x4 0 0 0 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result i32) (v128.any_true (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result v128) (i8x16.splat (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result i64) (i64x2.splat (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (result v128) (v128.load align=32 (i32.const 0))))
  "alignment must not be larger than natural")
(assert_invalid
  (module (func (result i32) (i32x4.extract_lane 4 (v128.const i32x4 0 0 0 0))))
  "invalid lane index")
(assert_invalid
  (module (func (result v128) (i8x16.replace_lane 16 (v128.const i64x2 0 0) (i32.const 0))))
  "invalid lane index")
(assert_invalid
  (module (func (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 32 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))
  "invalid lane index")
(assert_malformed
  (module quote "(func (result v128) (i8x16.shuffle 0 1 2 (v128.const i64x2 0 0) (v128.const i64x2 0 0)))")
  "invalid lane length")
(assert_malformed
  (module quote "(func (result v128) (v128.const i32x4 0 0 0))")
  "wrong number of lane literals")

;; v128 locals start zeroed (moved here from locals_globals.wast so that file runs on every tier)
(module (func (export "zero_v128") (result v128) (local v128) (local.get 0)))
(assert_return (invoke "zero_v128") (v128.const i64x2 0 0))
