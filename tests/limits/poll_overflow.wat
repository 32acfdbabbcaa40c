;; poll_oneoff with a clock subscription whose timeout is extreme, next to an fd_write
;; subscription on stdout that is ready at once: the host must not overflow computing the wait.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; Returns poll_oneoff's errno; the events land at 128, their count at 256.
  (func (export "poll") (param $timeout i64) (param $flags i32) (result i32)
    ;; subscription 0: clock, monotonic (id 1), `timeout`, `flags` (1: absolute)
    (i64.store (i32.const 0) (i64.const 1))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (local.get $timeout))
    (i64.store (i32.const 32) (i64.const 0))
    (i32.store16 (i32.const 40) (local.get $flags))
    ;; subscription 1: fd_write on fd 1
    (i64.store (i32.const 48) (i64.const 2))
    (i32.store8 (i32.const 56) (i32.const 2))
    (i32.store (i32.const 64) (i32.const 1))
    (call $poll (i32.const 0) (i32.const 128) (i32.const 2) (i32.const 256)))

  (func (export "nevents") (result i32)
    (i32.load (i32.const 256))))
