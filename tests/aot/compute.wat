;; A compute kernel for the thread tests: recursive fib and an FNV-1a hash over memory.
(module
  (memory (export "memory") 1)
  (func $fib (export "fib") (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else (i64.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; fills [0, len) with i*seed bytes, then hashes them
  (func (export "hash") (param $len i32) (param $seed i32) (result i32) (local $i i32) (local $h i32)
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
      (i32.store8 (local.get $i) (i32.mul (local.get $i) (local.get $seed)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (local.set $h (i32.const 0x811c9dc5))
    (local.set $i (i32.const 0))
    (block $done2 (loop $hash
      (br_if $done2 (i32.ge_u (local.get $i) (local.get $len)))
      (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $i))) (i32.const 0x01000193)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $hash)))
    (local.get $h))
  (func (export "oob") (result i32) (i32.load (i32.const 65535)))
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "answer") (result i32) (i32.const 42))
  (func $rec (export "recurse") (result i32) (i32.add (call $rec) (i32.const 1)))
)
