;; The task ABI by hand, with no allocator whose state a trap could leave half-updated:
;; pelato_alloc hands out one fixed buffer, exec_task echoes its input and counts the calls
;; that succeeded, and traps when the input starts with '!'.
(module
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))

  (func $pelato_alloc (export "pelato_alloc") (param $len i32) (result i32)
    i32.const 1024)

  (func $exec_task (export "exec_task") (param $ptr i32) (param $len i32) (result i64)
    (if (i32.and (i32.ne (local.get $len) (i32.const 0))
                 (i32.eq (i32.load8_u (local.get $ptr)) (i32.const 33)))
      (then unreachable))
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32))
            (i64.extend_i32_u (local.get $len))))

  (func (export "calls") (result i32)
    global.get $calls))
