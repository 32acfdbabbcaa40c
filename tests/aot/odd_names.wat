;; Import and export names that need wasm2c's mangling (aot::mangle).
(module
  (import "na-me Z" "ex.p/Z_" (func $host (param i32) (result i32)))
  (import "env" "Z" (func $z (param i64 f64) (result f64)))
  (memory (export "mem/Z") 1)
  (func (export "na-me Z") (param i32) (result i32) (call $host (local.get 0)))
  (func (export "ex.p/Z_") (param i64 f64) (result f64) (call $z (local.get 0) (local.get 1)))
  (func (export "Z") (result i32) (i32.const 90))
  (func (export "Z_") (result i32) (i32.const 91))
  (func (export "_Z") (result i32) (i32.const 92))
  (func (export "h\c3\a9llo w\00rld") (result i32) (i32.const 93))
  (func (export "") (result i32) (i32.const 94))
)
