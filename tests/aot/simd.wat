;; Uses v128: wasm2c 1.0.32 cannot translate it, so it stays on the interpreter tier.
(module
  (func (export "lanes") (param i32 i32) (result i32)
    (i32x4.extract_lane 2
      (i32x4.add (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1)))))
)
