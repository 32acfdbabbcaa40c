;; pelato spec tests: sign-extension operators.
;; Original test script for the pelato project.

(module
  (func (export "i32.extend8_s") (param i32) (result i32) (i32.extend8_s (local.get 0)))
  (func (export "i32.extend16_s") (param i32) (result i32) (i32.extend16_s (local.get 0)))
  (func (export "i64.extend8_s") (param i64) (result i64) (i64.extend8_s (local.get 0)))
  (func (export "i64.extend16_s") (param i64) (result i64) (i64.extend16_s (local.get 0)))
  (func (export "i64.extend32_s") (param i64) (result i64) (i64.extend32_s (local.get 0)))
  ;; combined with loads: byte stored in memory, re-extended
  (memory 1)
  (func (export "byte_roundtrip") (param i32) (result i32)
    (i32.store8 (i32.const 0) (local.get 0))
    (i32.extend8_s (i32.load8_u (i32.const 0))))
)

(assert_return (invoke "i32.extend8_s" (i32.const 0)) (i32.const 0))
(assert_return (invoke "i32.extend8_s" (i32.const 0x7f)) (i32.const 127))
(assert_return (invoke "i32.extend8_s" (i32.const 0x80)) (i32.const -128))
(assert_return (invoke "i32.extend8_s" (i32.const 0xff)) (i32.const -1))
(assert_return (invoke "i32.extend8_s" (i32.const 0x12345678)) (i32.const 0x78))
(assert_return (invoke "i32.extend8_s" (i32.const 0x876543d0)) (i32.const -48))
(assert_return (invoke "i32.extend8_s" (i32.const -1)) (i32.const -1))
(assert_return (invoke "i32.extend8_s" (i32.const 0xffffff00)) (i32.const 0))

(assert_return (invoke "i32.extend16_s" (i32.const 0)) (i32.const 0))
(assert_return (invoke "i32.extend16_s" (i32.const 0x7fff)) (i32.const 32767))
(assert_return (invoke "i32.extend16_s" (i32.const 0x8000)) (i32.const -32768))
(assert_return (invoke "i32.extend16_s" (i32.const 0xffff)) (i32.const -1))
(assert_return (invoke "i32.extend16_s" (i32.const 0x12345678)) (i32.const 0x5678))
(assert_return (invoke "i32.extend16_s" (i32.const 0xabcd9876)) (i32.const 0xffff9876))
(assert_return (invoke "i32.extend16_s" (i32.const 0xffff0000)) (i32.const 0))

(assert_return (invoke "i64.extend8_s" (i64.const 0)) (i64.const 0))
(assert_return (invoke "i64.extend8_s" (i64.const 0x7f)) (i64.const 127))
(assert_return (invoke "i64.extend8_s" (i64.const 0x80)) (i64.const -128))
(assert_return (invoke "i64.extend8_s" (i64.const 0xff)) (i64.const -1))
(assert_return (invoke "i64.extend8_s" (i64.const 0x0123456789abcdef)) (i64.const 0xffffffffffffffef))
(assert_return (invoke "i64.extend8_s" (i64.const 0xfedcba9876543201)) (i64.const 1))

(assert_return (invoke "i64.extend16_s" (i64.const 0x7fff)) (i64.const 32767))
(assert_return (invoke "i64.extend16_s" (i64.const 0x8000)) (i64.const -32768))
(assert_return (invoke "i64.extend16_s" (i64.const 0x0123456789abcdef)) (i64.const 0xffffffffffffcdef))
(assert_return (invoke "i64.extend16_s" (i64.const 0xffffffffffff0123)) (i64.const 0x0123))

(assert_return (invoke "i64.extend32_s" (i64.const 0x7fffffff)) (i64.const 0x7fffffff))
(assert_return (invoke "i64.extend32_s" (i64.const 0x80000000)) (i64.const 0xffffffff80000000))
(assert_return (invoke "i64.extend32_s" (i64.const 0xffffffff)) (i64.const -1))
(assert_return (invoke "i64.extend32_s" (i64.const 0x0123456789abcdef)) (i64.const 0xffffffff89abcdef))
(assert_return (invoke "i64.extend32_s" (i64.const 0xfedcba9812345678)) (i64.const 0x12345678))
(assert_return (invoke "i64.extend32_s" (i64.const 0)) (i64.const 0))

(assert_return (invoke "byte_roundtrip" (i32.const 0x1ff)) (i32.const -1))
(assert_return (invoke "byte_roundtrip" (i32.const 0x17f)) (i32.const 127))

(assert_invalid
  (module (func (result i32) (i32.extend8_s (i64.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result i64) (i64.extend32_s (i32.const 0))))
  "type mismatch")
(assert_invalid
  (module (func (result i32) (i64.extend16_s (i64.const 0))))
  "type mismatch")
