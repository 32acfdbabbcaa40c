;; proc_exit is (i32) -> (): importing it as (i64) -> () must fail at instantiation.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i64)))
  (func (export "run")
    i64.const 0
    call $exit))
