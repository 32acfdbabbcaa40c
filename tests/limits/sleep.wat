;; Sleeps in the host: poll_oneoff on a relative monotonic clock of `ms` milliseconds.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "sleep") (param $ms i64) (result i32)
    (i32.store8 (i32.const 8) (i32.const 0))                          ;; tag: clock
    (i32.store (i32.const 16) (i32.const 1))                          ;; monotonic
    (i64.store (i32.const 24) (i64.mul (local.get $ms) (i64.const 1000000)))
    (call $poll (i32.const 0) (i32.const 128) (i32.const 1) (i32.const 256))))
