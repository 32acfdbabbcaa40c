;; pelato spec tests: start functions and exports of every kind.
;; Original test script for the pelato project.

;; ---------------------------------------------------------- start function
(module
  (memory 1)
  (global $runs (mut i32) (i32.const 0))
  (global $seen_data (mut i32) (i32.const -1))
  (data (i32.const 0) "\05")
  (func $helper (param i32) (result i32) (i32.mul (local.get 0) (i32.const 10)))
  (func $start
    (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
    ;; data segments are applied before the start function runs
    (global.set $seen_data (i32.load8_u (i32.const 0)))
    (i32.store8 (i32.const 1) (call $helper (i32.const 4))))
  (start $start)
  (func (export "runs") (result i32) (global.get $runs))
  (func (export "seen_data") (result i32) (global.get $seen_data))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
  ;; calling the start function again is allowed and has its usual effect
  (func (export "call_start") (call $start))
)
(assert_return (invoke "runs") (i32.const 1))
(assert_return (invoke "seen_data") (i32.const 5))
(assert_return (invoke "byte" (i32.const 1)) (i32.const 40))
(assert_return (invoke "runs") (i32.const 1))
(assert_return (invoke "call_start"))
(assert_return (invoke "runs") (i32.const 2))

;; the start function may be an import
(module
  (import "spectest" "print" (func $print))
  (start $print)
  (func (export "ok") (result i32) (i32.const 1))
)
(assert_return (invoke "ok") (i32.const 1))

;; the start function may call imports with arguments
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (global $g (mut i32) (i32.const 0))
  (func $s (call $print_i32 (i32.const 1234)) (global.set $g (i32.const 1234)))
  (start $s)
  (func (export "g") (result i32) (global.get $g))
)
(assert_return (invoke "g") (i32.const 1234))

;; a start function that modifies exported state visible to other modules
(module $Counter
  (global (export "count") (mut i32) (i32.const 0))
  (memory (export "mem") 1)
  (func (export "inc") (global.set 0 (i32.add (global.get 0) (i32.const 1))))
)
(register "counter" $Counter)
(module
  (import "counter" "inc" (func $inc))
  (import "counter" "mem" (memory 1))
  (func $s (call $inc) (call $inc) (i32.store (i32.const 8) (i32.const 0xabcd)))
  (start $s)
)
(assert_return (get $Counter "count") (i32.const 2))

;; trapping start functions
(assert_trap (module (func $s (unreachable)) (start $s)) "unreachable")
(assert_trap
  (module (memory 1) (func $s (drop (i32.load (i32.const 65536)))) (start $s))
  "out of bounds memory access")
(assert_trap
  (module
    (import "counter" "inc" (func $inc))
    (func $s (call $inc) (unreachable))
    (start $s))
  "unreachable")
;; the increment before the trap is not rolled back
(assert_return (get $Counter "count") (i32.const 3))

(assert_invalid (module (func $s (param i32)) (start $s)) "start function")
(assert_invalid (module (func $s (result i32) (i32.const 0)) (start $s)) "start function")
(assert_invalid (module (start 1) (func)) "unknown function")
(assert_malformed (module quote "(func) (start 0) (start 0)") "multiple start sections")

;; ------------------------------------------------------------------ exports
(module $Exp
  (func $f (export "f") (export "f alias") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "") (result i32) (i32.const 0))
  (func (export "names with spaces and \"quotes\"") (result i32) (i32.const 1))
  (func (export "\u{1F600}") (result i32) (i32.const 2))
  (func (export "nul\00byte") (result i32) (i32.const 3))
  (func (export "multi") (result i32 i64) (i32.const 1) (i64.const 2))
  (global (export "g_i32") i32 (i32.const 55))
  (global (export "g_i64") i64 (i64.const -55))
  (global (export "g_f32") f32 (f32.const 5.5))
  (global (export "g_f64") f64 (f64.const -5.5))
  (global (export "g_mut") (mut i32) (i32.const 0))
  (global (export "g_ext") externref (ref.null extern))
  (memory (export "memory") (export "memory alias") 1 2)
  (data (i32.const 0) "\2a")
  (table (export "table") 2 funcref)
  (elem (i32.const 1) $f)
  (func (export "set_g_mut") (param i32) (global.set 4 (local.get 0)))
)
(register "exp" $Exp)

(assert_return (invoke "f" (i32.const 1)) (i32.const 2))
(assert_return (invoke "f alias" (i32.const 10)) (i32.const 11))
(assert_return (invoke "") (i32.const 0))
(assert_return (invoke "names with spaces and \"quotes\"") (i32.const 1))
(assert_return (invoke "\u{1F600}") (i32.const 2))
(assert_return (invoke "\F0\9F\98\80") (i32.const 2))
(assert_return (invoke "nul\00byte") (i32.const 3))
(assert_return (invoke "multi") (i32.const 1) (i64.const 2))
(assert_return (get "g_i32") (i32.const 55))
(assert_return (get "g_i64") (i64.const -55))
(assert_return (get "g_f32") (f32.const 5.5))
(assert_return (get "g_f64") (f64.const -5.5))
(assert_return (get "g_mut") (i32.const 0))
(assert_return (get "g_ext") (ref.null extern))
(assert_return (invoke "set_g_mut" (i32.const 9)))
(assert_return (get "g_mut") (i32.const 9))

;; exported memory, table and aliases resolve to the same objects
(module
  (type $t (func (param i32) (result i32)))
  (import "exp" "memory" (memory $m 1))
  (import "exp" "table" (table $tab 2 funcref))
  (import "exp" "f alias" (func $f (param i32) (result i32)))
  (import "exp" "g_mut" (global $g (mut i32)))
  (import "exp" "" (func $empty (result i32)))
  (func (export "read") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "call") (param i32 i32) (result i32) (call_indirect $tab (type $t) (local.get 0) (local.get 1)))
  (func (export "f") (param i32) (result i32) (call $f (local.get 0)))
  (func (export "g") (result i32) (global.get $g))
  (func (export "empty") (result i32) (call $empty))
)
(assert_return (invoke "read" (i32.const 0)) (i32.const 42))
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "call" (i32.const 5) (i32.const 1)) (i32.const 6))
(assert_trap (invoke "call" (i32.const 5) (i32.const 0)) "uninitialized element")
(assert_return (invoke "f" (i32.const 100)) (i32.const 101))
(assert_return (invoke "g") (i32.const 9))
(assert_return (invoke "empty") (i32.const 0))
(module (import "exp" "memory alias" (memory 1 2)))
(assert_unlinkable (module (import "exp" "memory" (memory 2))) "incompatible import type")
(assert_unlinkable (module (import "exp" "F" (func))) "unknown import")

;; invalid exports
(assert_invalid (module (func) (export "x" (func 0)) (export "x" (func 0))) "duplicate export name")
(assert_invalid (module (memory 1) (table 1 funcref) (export "x" (memory 0)) (export "x" (table 0))) "duplicate export name")
(assert_invalid (module (export "f" (func 0))) "unknown function")
(assert_invalid (module (export "g" (global 1)) (global i32 (i32.const 0))) "unknown global")
