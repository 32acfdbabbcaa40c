;; pelato spec tests: module linking — register, cross-module imports of
;; functions, globals, memories and tables, import type matching, and
;; instantiation failures.
;; Original test script for the pelato project.

;; ------------------------------------------------------------- exporter
(module $Lib
  (type $ret_i32 (func (result i32)))
  (global $counter (export "counter") (mut i32) (i32.const 10))
  (global (export "answer") i32 (i32.const 42))
  (global (export "big") i64 (i64.const 0x100000000))
  (memory (export "mem") 1 4)
  (data (i32.const 0) "lib!")
  (table (export "tab") 4 8 funcref)
  (elem (i32.const 0) $one $two)
  (func $one (export "one") (result i32) (i32.const 1))
  (func $two (result i32) (i32.const 2))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "bump") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "call_slot") (param i32) (result i32)
    (call_indirect (type $ret_i32) (local.get 0)))
  (func (export "mem_size") (result i32) (memory.size))
)
(register "lib" $Lib)

(assert_return (invoke $Lib "one") (i32.const 1))
(assert_return (get $Lib "answer") (i32.const 42))
(assert_return (get $Lib "counter") (i32.const 10))

;; ------------------------------------------------------------- importer
(module $User
  (type $ret_i32 (func (result i32)))
  (import "lib" "add" (func $add (param i32 i32) (result i32)))
  (import "lib" "bump" (func $bump (result i32)))
  (import "lib" "counter" (global $counter (mut i32)))
  (import "lib" "answer" (global $answer i32))
  (import "lib" "mem" (memory 1))
  (import "lib" "tab" (table $tab 2 funcref))
  (func $three (result i32) (i32.const 3))
  (elem (table $tab) (i32.const 2) func $three)

  (func (export "use_add") (result i32) (call $add (global.get $answer) (i32.const 8)))
  (func (export "use_bump") (result i32) (call $bump))
  (func (export "read_counter") (result i32) (global.get $counter))
  (func (export "write_counter") (param i32) (global.set $counter (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "call") (param i32) (result i32) (call_indirect $tab (type $ret_i32) (local.get 0)))
  (func (export "tab_size") (result i32) (table.size $tab))
  ;; re-export of imports
  (export "reexported_add" (func $add))
  (export "reexported_counter" (global $counter))
)
(register "user" $User)

(assert_return (invoke $User "use_add") (i32.const 50))
;; the global is shared: updates from either side are visible to the other
(assert_return (invoke $User "use_bump") (i32.const 11))
(assert_return (invoke $User "read_counter") (i32.const 11))
(assert_return (invoke $User "write_counter" (i32.const 100)))
(assert_return (get $Lib "counter") (i32.const 100))
(assert_return (invoke $Lib "bump") (i32.const 101))
(assert_return (invoke $User "read_counter") (i32.const 101))
(assert_return (get $User "reexported_counter") (i32.const 101))
;; the memory is shared
(assert_return (invoke $User "load" (i32.const 0)) (i32.const 0x6c))
(assert_return (invoke $User "store" (i32.const 1) (i32.const 0x41)))
(assert_return (invoke $Lib "load" (i32.const 1)) (i32.const 0x41))
(assert_return (invoke $User "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke $Lib "mem_size") (i32.const 2))
(assert_return (invoke $User "grow" (i32.const 3)) (i32.const -1))
;; the table is shared, including the element written by the importer
(assert_return (invoke $User "tab_size") (i32.const 4))
(assert_return (invoke $User "call" (i32.const 1)) (i32.const 2))
(assert_return (invoke $Lib "call_slot" (i32.const 2)) (i32.const 3))
(assert_trap (invoke $Lib "call_slot" (i32.const 3)) "uninitialized element")
(assert_trap (invoke $User "call" (i32.const 4)) "undefined element")
;; re-exports resolve to the original function
(assert_return (invoke $User "reexported_add" (i32.const 2) (i32.const 3)) (i32.const 5))

;; a third module imports through the re-exports
(module $Third
  (import "user" "reexported_add" (func $add (param i32 i32) (result i32)))
  (import "user" "reexported_counter" (global $c (mut i32)))
  (func (export "go") (result i32) (call $add (global.get $c) (i32.const 1)))
)
(assert_return (invoke $Third "go") (i32.const 102))

;; ------------------------------------------- imported functions in tables
;; An imported function placed in a table by an element segment (active or
;; passive) is called through call_indirect with its own module's context
;; (it once crashed on the AOT tier).
(module $Exporter (func (export "f") (result i32) (i32.const 42)))
(register "ex" $Exporter)
(module
  (import "ex" "f" (func $f (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $f)
  (type $t (func (result i32)))
  (func (export "call") (result i32) (call_indirect (type $t) (i32.const 0))))
(assert_return (invoke "call") (i32.const 42))

(module $Mixed
  (type $ret_i32 (func (result i32)))
  (type $bin (func (param i32 i32) (result i32)))
  (import "ex" "f" (func $f (result i32)))
  (import "lib" "add" (func $add (param i32 i32) (result i32)))
  (import "lib" "bump" (func $bump (result i32)))
  (func $own (result i32) (i32.const 7))
  (table $tab 6 funcref)
  (elem (table $tab) (i32.const 0) func $f $own $bump $add)
  (elem $later func $bump $f)
  (func (export "call") (param i32) (result i32) (call_indirect $tab (type $ret_i32) (local.get 0)))
  (func (export "call_bin") (param i32 i32 i32) (result i32)
    (call_indirect $tab (type $bin) (local.get 1) (local.get 2) (local.get 0)))
  (func (export "init") (table.init $tab $later (i32.const 4) (i32.const 0) (i32.const 2)))
)
(assert_return (invoke $Mixed "call" (i32.const 0)) (i32.const 42))
(assert_return (invoke $Mixed "call" (i32.const 1)) (i32.const 7))
(assert_return (invoke $Mixed "call" (i32.const 2)) (i32.const 102))
(assert_return (get $Lib "counter") (i32.const 102))
(assert_return (invoke $Mixed "call_bin" (i32.const 3) (i32.const 40) (i32.const 2)) (i32.const 42))
(assert_trap (invoke $Mixed "call" (i32.const 3)) "indirect call type mismatch")
(assert_trap (invoke $Mixed "call" (i32.const 4)) "uninitialized element")
(assert_return (invoke $Mixed "init"))
(assert_return (invoke $Mixed "call" (i32.const 4)) (i32.const 103))
(assert_return (invoke $Mixed "call" (i32.const 5)) (i32.const 42))
;; written into the exporter's table, they are called from there too
(module
  (import "lib" "tab" (table $tab 4 funcref))
  (import "ex" "f" (func $f (result i32)))
  (elem (table $tab) (i32.const 3) func $f))
(assert_return (invoke $Lib "call_slot" (i32.const 3)) (i32.const 42))

;; ------------------------------------------------- spectest host imports
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (import "spectest" "print_i64" (func $print_i64 (param i64)))
  (import "spectest" "print_f32" (func $print_f32 (param f32)))
  (import "spectest" "print_f64" (func $print_f64 (param f64)))
  (import "spectest" "print_i32_f32" (func $print_i32_f32 (param i32 f32)))
  (import "spectest" "print_f64_f64" (func $print_f64_f64 (param f64 f64)))
  (import "spectest" "print" (func $print))
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (import "spectest" "global_i32" (global $g i32))
  (func (export "prints") (result i32)
    (call $print)
    (call $print_i32 (i32.const 1))
    (call $print_i64 (i64.const 2))
    (call $print_f32 (f32.const 3))
    (call $print_f64 (f64.const 4))
    (call $print_i32_f32 (i32.const 5) (f32.const 6))
    (call $print_f64_f64 (f64.const 7) (f64.const 8))
    (global.get $g))
  (func (export "mem_size") (result i32) (memory.size))
  (func (export "tab_size") (result i32) (table.size 0))
)
(assert_return (invoke "prints") (i32.const 666))
(assert_return (invoke "mem_size") (i32.const 1))
(assert_return (invoke "tab_size") (i32.const 10))

;; looser limits on the importing side are fine
(module (import "spectest" "memory" (memory 0)))
(module (import "spectest" "memory" (memory 1 3)))
(module (import "spectest" "table" (table 5 funcref)))
(module (import "lib" "mem" (memory 2 4)))
(module (import "lib" "tab" (table 0 100 funcref)))

;; ------------------------------------------------------- unlinkable modules
(assert_unlinkable
  (module (import "nowhere" "f" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "lib" "missing" (func)))
  "unknown import")
(assert_unlinkable
  (module (import "spectest" "nothing" (global i32)))
  "unknown import")
;; function signature mismatches
(assert_unlinkable
  (module (import "lib" "add" (func (param i32) (result i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "one" (func (result i64))))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "print_i32" (func (param i64))))
  "incompatible import type")
;; kind mismatches
(assert_unlinkable
  (module (import "lib" "one" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "answer" (func)))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "mem" (table 1 funcref)))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "tab" (memory 1)))
  "incompatible import type")
;; global type / mutability mismatches
(assert_unlinkable
  (module (import "lib" "answer" (global i64)))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "answer" (global (mut i32))))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "counter" (global i32)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "global_f32" (global f64)))
  "incompatible import type")
;; limit mismatches
(assert_unlinkable
  (module (import "spectest" "memory" (memory 2)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "memory" (memory 1 1)))
  "incompatible import type")
(assert_unlinkable
  (module (import "lib" "mem" (memory 1 3)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "table" (table 11 funcref)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "table" (table 10 15 funcref)))
  "incompatible import type")
(assert_unlinkable
  (module (import "spectest" "table" (table 10 externref)))
  "incompatible import type")
;; a failed link does not create the instance nor run its start function
(assert_unlinkable
  (module
    (import "lib" "mem" (memory 1))
    (import "lib" "missing" (func))
    (data (i32.const 100) "\ff")
    (func $start (i32.store8 (i32.const 101) (i32.const 0xff)))
    (start $start))
  "unknown import")
(assert_return (invoke $Lib "load" (i32.const 100)) (i32.const 0))
(assert_return (invoke $Lib "load" (i32.const 101)) (i32.const 0))

;; --------------------------------------------------- failed instantiation
;; A trapping start function makes the module uninstantiable. (Older
;; script versions spelled this `assert_uninstantiable`; the current format,
;; and wabt, use `assert_trap` with a module.)
(assert_trap
  (module (func $s (unreachable)) (start $s))
  "unreachable")
(assert_trap
  (module (func $s (drop (i32.div_u (i32.const 1) (i32.const 0)))) (start $s))
  "integer divide by zero")
;; Side effects on imported state made before the trap remain visible.
(assert_trap
  (module
    (import "lib" "mem" (memory 1))
    (import "lib" "counter" (global $c (mut i32)))
    (data (i32.const 200) "\07")
    (func $s
      (global.set $c (i32.const 555))
      (i32.store8 (i32.const 201) (i32.const 8))
      (unreachable))
    (start $s))
  "unreachable")
(assert_return (invoke $Lib "load" (i32.const 200)) (i32.const 7))
(assert_return (invoke $Lib "load" (i32.const 201)) (i32.const 8))
(assert_return (get $Lib "counter") (i32.const 555))

;; Out-of-bounds active segments trap during instantiation; the segments
;; placed before the failing one have already been written.
(assert_trap
  (module
    (import "lib" "mem" (memory 1))
    (data (i32.const 300) "\09")
    (data (i32.const 0x20000) "x"))
  "out of bounds memory access")
(assert_return (invoke $Lib "load" (i32.const 300)) (i32.const 9))
(assert_trap
  (module
    (import "lib" "tab" (table 1 funcref))
    (func $f (result i32) (i32.const 77))
    (elem (i32.const 3) $f)
    (elem (i32.const 4) $f))
  "out of bounds table access")
(assert_return (invoke $Lib "call_slot" (i32.const 3)) (i32.const 77))
;; a failing elem segment stops instantiation before later data segments
(assert_trap
  (module
    (import "lib" "mem" (memory 1))
    (import "lib" "tab" (table 1 funcref))
    (func $f)
    (elem (i32.const 10) $f)
    (data (i32.const 400) "\01"))
  "out of bounds table access")
(assert_return (invoke $Lib "load" (i32.const 400)) (i32.const 0))
