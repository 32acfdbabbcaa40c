;; pelato spec tests: linear memory loads/stores, offsets, alignment,
;; bounds checks, memory.size / memory.grow and active data segments.
;; Original test script for the pelato project.

(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\f0\f1\f2\f3\f4\f5\f6\f7")
  (data (i32.const 32) "\00\00\c0\3f")                         ;; f32 1.5
  (data (i32.const 40) "\00\00\00\00\00\00\04\c0")             ;; f64 -2.5
  (data (i32.const 65528) "\aa\bb\cc\dd\ee\ff\11\22")          ;; last 8 bytes

  (func (export "i32.load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "i32.load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
  (func (export "i32.load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "i32.load16_s") (param i32) (result i32) (i32.load16_s (local.get 0)))
  (func (export "i32.load16_u") (param i32) (result i32) (i32.load16_u (local.get 0)))
  (func (export "i64.load") (param i32) (result i64) (i64.load (local.get 0)))
  (func (export "i64.load8_s") (param i32) (result i64) (i64.load8_s (local.get 0)))
  (func (export "i64.load8_u") (param i32) (result i64) (i64.load8_u (local.get 0)))
  (func (export "i64.load16_s") (param i32) (result i64) (i64.load16_s (local.get 0)))
  (func (export "i64.load16_u") (param i32) (result i64) (i64.load16_u (local.get 0)))
  (func (export "i64.load32_s") (param i32) (result i64) (i64.load32_s (local.get 0)))
  (func (export "i64.load32_u") (param i32) (result i64) (i64.load32_u (local.get 0)))
  (func (export "f32.load") (param i32) (result f32) (f32.load (local.get 0)))
  (func (export "f64.load") (param i32) (result f64) (f64.load (local.get 0)))

  (func (export "i32.store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
  (func (export "i32.store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "i32.store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
  (func (export "i64.store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "i64.store8") (param i32 i64) (i64.store8 (local.get 0) (local.get 1)))
  (func (export "i64.store16") (param i32 i64) (i64.store16 (local.get 0) (local.get 1)))
  (func (export "i64.store32") (param i32 i64) (i64.store32 (local.get 0) (local.get 1)))
  (func (export "f32.store") (param i32 f32) (f32.store (local.get 0) (local.get 1)))
  (func (export "f64.store") (param i32 f64) (f64.store (local.get 0) (local.get 1)))

  ;; static offsets and alignment hints
  (func (export "load_off4") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
  (func (export "load_off_align1") (param i32) (result i32) (i32.load offset=1 align=1 (local.get 0)))
  (func (export "load16_off_align1") (param i32) (result i32) (i32.load16_u offset=3 align=1 (local.get 0)))
  (func (export "i64_load_align2") (param i32) (result i64) (i64.load offset=2 align=2 (local.get 0)))
  (func (export "load_off_max") (param i32) (result i32) (i32.load8_u offset=0xffffffff (local.get 0)))
  (func (export "load_off_65535") (param i32) (result i32) (i32.load8_u offset=65535 (local.get 0)))
  (func (export "store_off8") (param i32 i64) (i64.store offset=8 align=1 (local.get 0) (local.get 1)))

  (func (export "size") (result i32) (memory.size))
)

;; little-endian loads of the initial data
(assert_return (invoke "i32.load" (i32.const 0)) (i32.const 0x04030201))
(assert_return (invoke "i32.load" (i32.const 1)) (i32.const 0x05040302))
(assert_return (invoke "i32.load" (i32.const 8)) (i32.const 0xf3f2f1f0))
(assert_return (invoke "i32.load8_s" (i32.const 8)) (i32.const -16))
(assert_return (invoke "i32.load8_u" (i32.const 8)) (i32.const 0xf0))
(assert_return (invoke "i32.load8_s" (i32.const 7)) (i32.const 8))
(assert_return (invoke "i32.load16_s" (i32.const 9)) (i32.const 0xfffff2f1))
(assert_return (invoke "i32.load16_u" (i32.const 9)) (i32.const 0xf2f1))
(assert_return (invoke "i32.load16_u" (i32.const 0)) (i32.const 0x0201))
(assert_return (invoke "i64.load" (i32.const 0)) (i64.const 0x0807060504030201))
(assert_return (invoke "i64.load" (i32.const 8)) (i64.const 0xf7f6f5f4f3f2f1f0))
(assert_return (invoke "i64.load8_s" (i32.const 15)) (i64.const -9))
(assert_return (invoke "i64.load8_u" (i32.const 15)) (i64.const 0xf7))
(assert_return (invoke "i64.load16_s" (i32.const 14)) (i64.const 0xfffffffffffff7f6))
(assert_return (invoke "i64.load16_u" (i32.const 14)) (i64.const 0xf7f6))
(assert_return (invoke "i64.load32_s" (i32.const 12)) (i64.const 0xfffffffff7f6f5f4))
(assert_return (invoke "i64.load32_u" (i32.const 12)) (i64.const 0xf7f6f5f4))
(assert_return (invoke "i64.load32_s" (i32.const 2)) (i64.const 0x06050403))
(assert_return (invoke "f32.load" (i32.const 32)) (f32.const 1.5))
(assert_return (invoke "f64.load" (i32.const 40)) (f64.const -2.5))
(assert_return (invoke "i32.load" (i32.const 1000)) (i32.const 0))

;; stores of every width, observed via loads
(assert_return (invoke "i32.store" (i32.const 100) (i32.const 0xdeadbeef)))
(assert_return (invoke "i32.load8_u" (i32.const 100)) (i32.const 0xef))
(assert_return (invoke "i32.load8_u" (i32.const 103)) (i32.const 0xde))
(assert_return (invoke "i32.store8" (i32.const 101) (i32.const 0x12345678)))
(assert_return (invoke "i32.load" (i32.const 100)) (i32.const 0xdead78ef))
(assert_return (invoke "i32.store16" (i32.const 102) (i32.const 0xffff1234)))
(assert_return (invoke "i32.load" (i32.const 100)) (i32.const 0x123478ef))
(assert_return (invoke "i64.store" (i32.const 200) (i64.const 0x0102030405060708)))
(assert_return (invoke "i32.load" (i32.const 204)) (i32.const 0x01020304))
(assert_return (invoke "i64.store8" (i32.const 200) (i64.const 0xffffffffffffff99)))
(assert_return (invoke "i64.store16" (i32.const 202) (i64.const 0xabcd)))
(assert_return (invoke "i64.store32" (i32.const 204) (i64.const 0x1122334455667788)))
(assert_return (invoke "i64.load" (i32.const 200)) (i64.const 0x55667788abcd0799))
(assert_return (invoke "f32.store" (i32.const 300) (f32.const -0.0)))
(assert_return (invoke "i32.load" (i32.const 300)) (i32.const 0x80000000))
(assert_return (invoke "f32.store" (i32.const 304) (f32.const nan:0x200001)))
(assert_return (invoke "f32.load" (i32.const 304)) (f32.const nan:0x200001))
(assert_return (invoke "f64.store" (i32.const 312) (f64.const 0x1.8p1)))
(assert_return (invoke "i64.load" (i32.const 312)) (i64.const 0x4008000000000000))
(assert_return (invoke "f64.store" (i32.const 320) (f64.const -nan:0x1)))
(assert_return (invoke "i64.load" (i32.const 320)) (i64.const 0xfff0000000000001))

;; offsets and alignment
(assert_return (invoke "load_off4" (i32.const 0)) (i32.const 0x08070605))
(assert_return (invoke "load_off_align1" (i32.const 2)) (i32.const 0x07060504))
(assert_return (invoke "load16_off_align1" (i32.const 0)) (i32.const 0x0504))
(assert_return (invoke "i64_load_align2" (i32.const 1)) (i64.const 0xf2f1f00807060504))
(assert_return (invoke "store_off8" (i32.const 501) (i64.const 0x7766554433221100)))
(assert_return (invoke "i32.load" (i32.const 511)) (i32.const 0x55443322))
(assert_return (invoke "load_off_65535" (i32.const 0)) (i32.const 0x22))

;; the last bytes of memory are accessible
(assert_return (invoke "i32.load8_u" (i32.const 65535)) (i32.const 0x22))
(assert_return (invoke "i32.load" (i32.const 65532)) (i32.const 0x2211ffee))
(assert_return (invoke "i64.load" (i32.const 65528)) (i64.const 0x2211ffeeddccbbaa))
(assert_return (invoke "i32.load16_u" (i32.const 65534)) (i32.const 0x2211))

;; out-of-bounds accesses
(assert_trap (invoke "i32.load" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "i32.load" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "i32.load" (i32.const -1)) "out of bounds memory access")
(assert_trap (invoke "i32.load8_u" (i32.const 65536)) "out of bounds memory access")
(assert_trap (invoke "i32.load16_s" (i32.const 65535)) "out of bounds memory access")
(assert_trap (invoke "i64.load" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "i64.load32_u" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "i64.load16_u" (i32.const -2)) "out of bounds memory access")
(assert_trap (invoke "i64.load8_s" (i32.const 0x80000000)) "out of bounds memory access")
(assert_trap (invoke "f32.load" (i32.const 65533)) "out of bounds memory access")
(assert_trap (invoke "f64.load" (i32.const 65529)) "out of bounds memory access")
(assert_trap (invoke "i32.store" (i32.const 65533) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "i32.store8" (i32.const 65536) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "i32.store16" (i32.const -1) (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "i64.store" (i32.const 65529) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "i64.store32" (i32.const 65533) (i64.const 0)) "out of bounds memory access")
(assert_trap (invoke "f32.store" (i32.const 65535) (f32.const 0)) "out of bounds memory access")
(assert_trap (invoke "f64.store" (i32.const -8) (f64.const 0)) "out of bounds memory access")
(assert_trap (invoke "load_off4" (i32.const 65532)) "out of bounds memory access")
(assert_trap (invoke "load_off_max" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "load_off_max" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "load_off_65535" (i32.const 1)) "out of bounds memory access")
(assert_trap (invoke "store_off8" (i32.const 65521) (i64.const 0)) "out of bounds memory access")
;; the failed accesses above did not grow or corrupt the memory
(assert_return (invoke "size") (i32.const 1))
(assert_return (invoke "i64.load" (i32.const 65528)) (i64.const 0x2211ffeeddccbbaa))

;; memory.size / memory.grow with a maximum
(module
  (memory 1 3)
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
)
(assert_return (invoke "size") (i32.const 1))
(assert_trap (invoke "load" (i32.const 65536)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 0)) (i32.const 1))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 1))
(assert_return (invoke "size") (i32.const 2))
(assert_return (invoke "load" (i32.const 65536)) (i32.const 0))
(assert_return (invoke "store" (i32.const 131068) (i32.const 77)))
(assert_return (invoke "load" (i32.const 131068)) (i32.const 77))
(assert_trap (invoke "load" (i32.const 131069)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 2)) (i32.const -1))
(assert_return (invoke "size") (i32.const 2))
(assert_return (invoke "grow" (i32.const 1)) (i32.const 2))
(assert_return (invoke "size") (i32.const 3))
(assert_return (invoke "grow" (i32.const 1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const -1)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0)) (i32.const 3))
(assert_return (invoke "load" (i32.const 196604)) (i32.const 0))
(assert_trap (invoke "load" (i32.const 196608)) "out of bounds memory access")

;; zero-sized memory without maximum
(module
  (memory 0)
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
)
(assert_return (invoke "size") (i32.const 0))
(assert_trap (invoke "load8" (i32.const 0)) "out of bounds memory access")
(assert_trap (invoke "store8" (i32.const 0) (i32.const 1)) "out of bounds memory access")
(assert_return (invoke "grow" (i32.const 1)) (i32.const 0))
(assert_return (invoke "load8" (i32.const 0)) (i32.const 0))
(assert_return (invoke "store8" (i32.const 65535) (i32.const 0x1ff)))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0xff))
(assert_return (invoke "grow" (i32.const 0x10000)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 0x8000_0000)) (i32.const -1))
(assert_return (invoke "grow" (i32.const 3)) (i32.const 1))
(assert_return (invoke "size") (i32.const 4))
(assert_return (invoke "load8" (i32.const 0x3ffff)) (i32.const 0))

;; data segments: offsets from constants and imported globals, overlapping
;; segments apply in order
(module
  (import "spectest" "global_i32" (global $g i32))
  (memory 1)
  (data (i32.const 10) "abcdef")
  (data (i32.const 12) "XY")
  (data (global.get $g) "\2a")
  (data (i32.const 65535) "z")
  (data (i32.const 65536) "")
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
)
(assert_return (invoke "load8" (i32.const 10)) (i32.const 0x61))
(assert_return (invoke "load8" (i32.const 11)) (i32.const 0x62))
(assert_return (invoke "load8" (i32.const 12)) (i32.const 0x58))
(assert_return (invoke "load8" (i32.const 13)) (i32.const 0x59))
(assert_return (invoke "load8" (i32.const 14)) (i32.const 0x65))
(assert_return (invoke "load8" (i32.const 666)) (i32.const 42))
(assert_return (invoke "load8" (i32.const 65535)) (i32.const 0x7a))

;; an out-of-bounds active data segment fails instantiation
(assert_trap
  (module (memory 1) (data (i32.const 65535) "ab"))
  "out of bounds memory access")
(assert_trap
  (module (memory 0) (data (i32.const 1) ""))
  "out of bounds memory access")

;; validation
(assert_invalid
  (module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))
  "alignment must not be larger than natural")
(assert_invalid
  (module (memory 1) (func (i64.store16 align=4 (i32.const 0) (i64.const 0))))
  "alignment must not be larger than natural")
(assert_invalid
  (module (memory 1) (func (drop (f64.load align=16 (i32.const 0)))))
  "alignment must not be larger than natural")
(assert_invalid
  (module (func (drop (i32.load (i32.const 0)))))
  "unknown memory")
(assert_invalid
  (module (func (drop (memory.size))))
  "unknown memory")
(assert_invalid
  (module (func (drop (memory.grow (i32.const 1)))))
  "unknown memory")
(assert_invalid
  (module (data (i32.const 0) "x"))
  "unknown memory")
(assert_invalid
  (module (memory 2 1))
  "size minimum must not be greater than maximum")
(assert_invalid
  (module (memory 65537))
  "memory size must be at most 65536 pages (4GiB)")
(assert_invalid
  (module (memory 1 65537))
  "memory size must be at most 65536 pages (4GiB)")
(assert_invalid
  (module (memory 1) (func (drop (i32.load (i64.const 0)))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (f32.store (i32.const 0) (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (memory 1) (func (result i32) (memory.grow (f32.const 1))))
  "type mismatch")
(assert_malformed
  (module quote "(memory 1) (func (drop (i32.load align=3 (i32.const 0))))")
  "alignment")
(assert_malformed
  (module quote "(memory 1) (func (drop (i32.load offset=0x100000000 (i32.const 0))))")
  "i32 constant")
