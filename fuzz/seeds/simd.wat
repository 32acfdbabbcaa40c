(module
  (memory 1)
  (func (export "simd") (result i32)
    (v128.store (i32.const 0) (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (i32.const 5))))
    (i32x4.extract_lane 2 (i8x16.swizzle (v128.load (i32.const 0)) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))))
  (func (export "recurse") (call 1)))
