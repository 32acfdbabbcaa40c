;; bench_aot_tiny: the 1-page module bench_aot instantiates by the thousand.
;;   nop(x) -> x                 an empty call
;;   work(seed, n) -> x          n rounds of an xorshift-multiply mix starting at seed; each round
;;                               stores x in a 256-word ring at offset 16, and the call bumps the
;;                               call counter at offset 0. bench_aot recomputes x natively and
;;                               checks the counter, so a call that ran on another instance's
;;                               memory or lost an update would be caught.
;;   calls() -> i32              the counter
(module
  (memory (export "memory") 1)
  (func (export "nop") (param i32) (result i32) (local.get 0))
  (func (export "calls") (result i32) (i32.load (i32.const 0)))
  (func (export "work") (param $x i32) (param $n i32) (result i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ;; x = (x ^ (x >> 13)) * 0x9E3779B1 + i
        (local.set $x
          (i32.add
            (i32.mul (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 13)))
                     (i32.const 0x9E3779B1))
            (local.get $i)))
        (i32.store offset=16
          (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2))
          (local.get $x))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
    (local.get $x)))
