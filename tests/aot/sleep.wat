;; Sleeps in the host: poll_oneoff with one relative clock subscription. The deadline tests
;; (src/runtime/aot_test.cc) let the deadline expire while the guest is inside this host call.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; Sleeps $ms milliseconds in the host; returns poll_oneoff's errno.
  (func (export "sleep_ms") (param $ms i64) (result i32) (local $errno i32)
    (i64.store (i32.const 0) (i64.const 7))                                     ;; userdata
    (i32.store8 (i32.const 8) (i32.const 0))                                    ;; clock
    (i32.store (i32.const 16) (i32.const 1))                                    ;; monotonic
    (i64.store (i32.const 24) (i64.mul (local.get $ms) (i64.const 1000000)))  ;; timeout, ns
    (i64.store (i32.const 32) (i64.const 0))                                    ;; precision
    (i32.store16 (i32.const 40) (i32.const 0))                                  ;; relative
    (local.set $errno (call $poll (i32.const 0) (i32.const 128) (i32.const 1) (i32.const 256)))
    ;; reached only if no deadline interrupted the call
    (i32.store (i32.const 300) (i32.add (i32.load (i32.const 300)) (i32.const 1)))
    (local.get $errno))
  (func (export "returned") (result i32) (i32.load (i32.const 300)))
  (func (export "answer") (result i32) (i32.const 42))
)
