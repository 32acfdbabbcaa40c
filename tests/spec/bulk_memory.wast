;; pelato spec tests: bulk memory and table operations
;; (memory.fill/copy/init, data.drop, table.init/copy, elem.drop).
;; Original test script for the pelato project.

;; ---------------------------------------------------------------- memory.fill
(module
  (memory 1)
  (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
)
(assert_return (invoke "fill" (i32.const 10) (i32.const 0xab) (i32.const 4)))
(assert_return (invoke "load8" (i32.const 9)) (i32.const 0))
(assert_return (invoke "load32" (i32.const 10)) (i32.const 0xabababab))
(assert_return (invoke "load8" (i32.const 14)) (i32.const 0))
;; only the low byte of the value is used
(assert_return (invoke "fill" (i32.const 20) (i32.const 0x12345677) (i32.const 2)))
(assert_return (invoke "load32" (i32.const 20)) (i32.const 0x7777))
;; zero length fills are no-ops, even at the very end of memory
(assert_return (invoke "fill" (i32.const 30) (i32.const 0xff) (i32.const 0)))
(assert_return (invoke "load8" (i32.const 30)) (i32.const 0))
(assert_return (invoke "fill" (i32.const 65536) (i32.const 0xff) (i32.const 0)))
(assert_return (invoke "fill" (i32.const 65535) (i32.const 0x11) (i32.const 1)))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x11))
(assert_return (invoke "fill" (i32.const 0) (i32.const 0x5) (i32.const 65536)))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x05))
(assert_return (invoke "load32" (i32.const 32768)) (i32.const 0x05050505))
;; out of bounds fills trap and write nothing
(assert_trap (invoke "fill" (i32.const 65536) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 65280) (i32.const 0) (i32.const 257)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const 1) (i32.const 0) (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "fill" (i32.const -1) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 65280)) (i32.const 0x05))
(assert_return (invoke "load8" (i32.const 1)) (i32.const 0x05))

;; ---------------------------------------------------------------- memory.copy
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  (data (i32.const 65532) "\a1\a2\a3\a4")
  (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
)
(assert_return (invoke "copy" (i32.const 100) (i32.const 0) (i32.const 8)))
(assert_return (invoke "load64" (i32.const 100)) (i64.const 0x0807060504030201))
;; overlapping, destination after source (must behave like memmove)
(assert_return (invoke "copy" (i32.const 102) (i32.const 100) (i32.const 6)))
(assert_return (invoke "load64" (i32.const 100)) (i64.const 0x0605040302010201))
;; overlapping, destination before source
(assert_return (invoke "copy" (i32.const 200) (i32.const 0) (i32.const 8)))
(assert_return (invoke "copy" (i32.const 199) (i32.const 200) (i32.const 8)))
(assert_return (invoke "load64" (i32.const 199)) (i64.const 0x0807060504030201))
(assert_return (invoke "load8" (i32.const 207)) (i32.const 0x08))
;; copy onto itself
(assert_return (invoke "copy" (i32.const 0) (i32.const 0) (i32.const 8)))
(assert_return (invoke "load64" (i32.const 0)) (i64.const 0x0807060504030201))
;; copies touching the end of memory
(assert_return (invoke "copy" (i32.const 300) (i32.const 65532) (i32.const 4)))
(assert_return (invoke "load8" (i32.const 303)) (i32.const 0xa4))
(assert_return (invoke "copy" (i32.const 65534) (i32.const 0) (i32.const 2)))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x02))
(assert_return (invoke "copy" (i32.const 65536) (i32.const 65536) (i32.const 0)))
(assert_return (invoke "copy" (i32.const 0) (i32.const 65536) (i32.const 0)))
;; out of bounds
(assert_trap (invoke "copy" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 65535) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 65537) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 1) (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "copy" (i32.const -4) (i32.const 0) (i32.const 8)) "out of bounds memory access")
;; nothing was written by the trapping copies
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x02))
(assert_return (invoke "load64" (i32.const 0)) (i64.const 0x0807060504030201))

;; ------------------------------------------------------- memory.init / data.drop
(module
  (memory 1)
  (data $p "hello world")
  (data $active (i32.const 1000) "active")
  (data $empty "")
  (func (export "init") (param i32 i32 i32) (memory.init $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_active") (param i32 i32 i32) (memory.init $active (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_empty") (param i32 i32 i32) (memory.init $empty (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (data.drop $p))
  (func (export "drop_active") (data.drop $active))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
;; passive segments are not written at instantiation
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 1000)) (i32.const 0x61))
(assert_return (invoke "init" (i32.const 0) (i32.const 0) (i32.const 5)))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0x68))
(assert_return (invoke "load8" (i32.const 4)) (i32.const 0x6f))
(assert_return (invoke "load8" (i32.const 5)) (i32.const 0))
(assert_return (invoke "init" (i32.const 50) (i32.const 6) (i32.const 5)))
(assert_return (invoke "load8" (i32.const 50)) (i32.const 0x77))
(assert_return (invoke "load8" (i32.const 54)) (i32.const 0x64))
(assert_return (invoke "init" (i32.const 65535) (i32.const 10) (i32.const 1)))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x64))
(assert_return (invoke "init" (i32.const 65536) (i32.const 11) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 0) (i32.const 10) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 12) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 65535) (i32.const 0) (i32.const 2)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 65537) (i32.const 0) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 1) (i32.const -1)) "out of bounds memory access")
(assert_return (invoke "init_empty" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init_empty" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
;; active segments are dropped after instantiation
(assert_return (invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "drop_active"))
;; after data.drop only zero-length inits at offset 0 succeed
(assert_return (invoke "drop"))
(assert_return (invoke "drop"))
(assert_return (invoke "init" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 1) (i32.const 0)) "out of bounds memory access")
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0x68))

;; ------------------------------------------ table.init / elem.drop / table.copy
(module
  (type $t (func (result i32)))
  (table $tab 8 funcref)
  (elem $p func $f0 $f1 $f2 $f3)
  (elem $active (table $tab) (i32.const 6) func $f3 $f2)
  (func $f0 (result i32) (i32.const 10))
  (func $f1 (result i32) (i32.const 11))
  (func $f2 (result i32) (i32.const 12))
  (func $f3 (result i32) (i32.const 13))
  (func (export "init") (param i32 i32 i32) (table.init $tab $p (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init_active") (param i32 i32 i32) (table.init $tab $active (local.get 0) (local.get 1) (local.get 2)))
  (func (export "drop") (elem.drop $p))
  (func (export "copy") (param i32 i32 i32) (table.copy $tab $tab (local.get 0) (local.get 1) (local.get 2)))
  (func (export "call") (param i32) (result i32) (call_indirect $tab (type $t) (local.get 0)))
  (func (export "is_null") (param i32) (result i32) (ref.is_null (table.get $tab (local.get 0))))
)
(assert_return (invoke "call" (i32.const 6)) (i32.const 13))
(assert_return (invoke "call" (i32.const 7)) (i32.const 12))
(assert_trap (invoke "call" (i32.const 0)) "uninitialized element")
(assert_return (invoke "init" (i32.const 0) (i32.const 1) (i32.const 3)))
(assert_return (invoke "call" (i32.const 0)) (i32.const 11))
(assert_return (invoke "call" (i32.const 2)) (i32.const 13))
(assert_return (invoke "is_null" (i32.const 3)) (i32.const 1))
(assert_return (invoke "init" (i32.const 8) (i32.const 4) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 7) (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 3) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "init" (i32.const 9) (i32.const 0) (i32.const 0)) "out of bounds table access")
(assert_trap (invoke "init" (i32.const 0) (i32.const 5) (i32.const 0)) "out of bounds table access")
(assert_return (invoke "is_null" (i32.const 7)) (i32.const 0))
;; table.copy with overlap in both directions
(assert_return (invoke "copy" (i32.const 1) (i32.const 0) (i32.const 3)))
(assert_return (invoke "call" (i32.const 1)) (i32.const 11))
(assert_return (invoke "call" (i32.const 2)) (i32.const 12))
(assert_return (invoke "call" (i32.const 3)) (i32.const 13))
(assert_return (invoke "copy" (i32.const 4) (i32.const 6) (i32.const 2)))
(assert_return (invoke "copy" (i32.const 3) (i32.const 4) (i32.const 4)))
(assert_return (invoke "call" (i32.const 3)) (i32.const 13))
(assert_return (invoke "call" (i32.const 4)) (i32.const 12))
(assert_return (invoke "copy" (i32.const 8) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "copy" (i32.const 7) (i32.const 0) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "copy" (i32.const 0) (i32.const 7) (i32.const 2)) "out of bounds table access")
(assert_trap (invoke "copy" (i32.const 9) (i32.const 0) (i32.const 0)) "out of bounds table access")
;; dropped and active element segments behave as empty
(assert_trap (invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")
(assert_return (invoke "init_active" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_return (invoke "drop"))
(assert_return (invoke "drop"))
(assert_return (invoke "init" (i32.const 0) (i32.const 0) (i32.const 0)))
(assert_trap (invoke "init" (i32.const 0) (i32.const 0) (i32.const 1)) "out of bounds table access")

;; ------------------------------------------------------------------ validation
(assert_invalid
  (module (memory 1) (func (data.drop 0)))
  "unknown data segment")
(assert_invalid
  (module (memory 1) (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown data segment")
(assert_invalid
  (module (data "x") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown memory")
(assert_invalid
  (module (func (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown memory")
(assert_invalid
  (module (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown memory")
(assert_invalid
  (module (memory 1) (func (memory.fill (i32.const 0) (i64.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (memory.copy (i32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table 1 funcref) (func (elem.drop 0)))
  "unknown elem segment")
(assert_invalid
  (module (elem funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))
  "unknown table")
(assert_invalid
  (module (table 1 funcref) (func (table.copy (i32.const 0) (i32.const 0) (f32.const 0))))
  "type mismatch")
(assert_invalid
  (module (table 1 externref) (elem funcref) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))
  "type mismatch")
