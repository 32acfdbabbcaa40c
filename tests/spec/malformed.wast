;; pelato spec tests: malformed modules (binary decoding and text parsing
;; errors, assert_malformed).
;; Original test script for the pelato project.

;; Well-formed baselines: the smallest module, and one with a custom section.
(module binary "\00asm" "\01\00\00\00")
(module binary "\00asm" "\01\00\00\00" "\00\04\03abc")
(module binary
  "\00asm" "\01\00\00\00"
  "\01\05\01\60\00\01\7f"        ;; type section: [] -> [i32]
  "\03\02\01\00"                 ;; function section: 1 function of type 0
  "\07\05\01\01\66\00\00"        ;; export section: "f" -> func 0
  "\0a\06\01\04\00\41\2a\0b"     ;; code section: (i32.const 42)
)
(assert_return (invoke "f") (i32.const 42))

;; ---------------------------------------------------------------- preamble
(assert_malformed (module binary "") "unexpected end")
(assert_malformed (module binary "\00as") "unexpected end")
(assert_malformed (module binary "\00asn\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "asm\00\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "\7fELF\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "\00ASM\01\00\00\00") "magic header not detected")
(assert_malformed (module binary "\00asm") "unexpected end")
(assert_malformed (module binary "\00asm\01\00\00") "unexpected end")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module binary "\00asm\00\00\00\01") "unknown binary version")
(assert_malformed (module binary "\00asm\0d\00\00\00") "unknown binary version")

;; ---------------------------------------------------------------- sections
;; unknown section id
(assert_malformed (module binary "\00asm\01\00\00\00" "\7f\00") "malformed section id")
;; section header without a size
(assert_malformed (module binary "\00asm\01\00\00\00" "\01") "unexpected end")
;; section size larger than the remaining bytes
(assert_malformed (module binary "\00asm\01\00\00\00" "\01\05\01\60\00") "unexpected end")
(assert_malformed (module binary "\00asm\01\00\00\00" "\00\10\03abc") "unexpected end")
;; section contents shorter than the declared size
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\05\01\60\00\00\00")
  "section size mismatch")
;; over-long LEB128 section size
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\84\80\80\80\80\00\01\60\00\00")
  "integer representation too long")
;; LEB128 u32 with unused bits set
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\08\81\80\80\80\70\60\00\00")
  "integer too large")
;; sections out of order / duplicated
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\03\01\00" "\01\01\00")
  "unexpected content after last section")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\01\00" "\01\01\00")
  "unexpected content after last section")
;; custom section whose name runs past the section end
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\00\02\05ab")
  "unexpected end")

;; ------------------------------------------------------------------ types
;; wrong function type form
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\04\01\40\00\00")
  "malformed functype")
;; bad value type in a parameter list
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\05\01\60\01\10\00")
  "malformed value type")
;; truncated type vector
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\03\02\60\00")
  "unexpected end")

;; -------------------------------------------------------- function/code
;; function section without a code section
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00")
  "function and code section have inconsistent lengths")
;; code section without a function section
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\0a\04\01\02\00\0b")
  "function and code section have inconsistent lengths")
;; two functions declared, one body
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\03\02\00\00" "\0a\04\01\02\00\0b")
  "function and code section have inconsistent lengths")
;; function body missing its final `end`
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\0a\04\01\02\00\01")
  "END opcode expected")
;; body size runs past the section
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\0a\04\01\05\00\0b")
  "unexpected end")
;; unknown opcode
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\0a\05\01\03\00\ff\0b")
  "illegal opcode")
;; too many locals
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00"
    "\0a\0c\01\0a\02\ff\ff\ff\ff\0f\7f\02\7e\0b")
  "too many locals")
;; truncated immediate of i32.const
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00" "\0a\05\01\03\00\41\80")
  "unexpected end")

;; ------------------------------------------------------------ other sections
;; memory limits with an unknown flag
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\05\03\01\10\00")
  "malformed limits flags")
;; export name that is not valid UTF-8
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00"
    "\07\05\01\01\ff\00\00" "\0a\04\01\02\00\0b")
  "malformed UTF-8 encoding")
;; export with an unknown kind
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\01\04\01\60\00\00" "\03\02\01\00"
    "\07\05\01\01\66\7f\00" "\0a\04\01\02\00\0b")
  "malformed export kind")
;; data count section disagreeing with the data section
(assert_malformed
  (module binary
    "\00asm\01\00\00\00" "\05\03\01\00\01" "\0c\01\02" "\0b\07\01\00\41\00\0b\01\61")
  "data count and data section have inconsistent lengths")

;; ---------------------------------------------------------------- text
(assert_malformed (module quote "(func (i33.add))") "unknown operator")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_malformed (module quote "(func (drop (i32.const 0x1_0000_0000)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i64.const 18446744073709551616)))") "constant out of range")
(assert_malformed (module quote "(func (drop (f32.const 1e39)))") "constant out of range")
(assert_malformed (module quote "(func (drop (i32.const nan)))") "unexpected token")
(assert_malformed (module quote "(func (drop (f32.const 0x1.g)))") "unknown operator")
(assert_malformed (module quote "(func $f) (func $f)") "duplicate func")
(assert_malformed (module quote "(func (local $x i32) (local $x i32))") "duplicate local")
(assert_malformed (module quote "(func (drop (local.get $nope)))") "unknown local")
(assert_malformed (module quote "(func (call $nope))") "unknown function")
(assert_malformed (module quote "(func block $a end $b)") "mismatching label")
(assert_malformed (module quote "(type $t (func)) (func (type $t) (param i32))") "inline function type")
(assert_malformed (module quote "(func) (import \"m\" \"f\" (func))") "import after function")
(assert_malformed (module quote "(memory 1) (import \"m\" \"mem\" (memory 1))") "import after memory")
(assert_malformed (module quote "(func) (start 0) (start 0)") "multiple start sections")
(assert_malformed (module quote "(func nop") "unexpected end")
(assert_malformed (module quote "(func) )") "unexpected token")
(assert_malformed (module quote "(memory 1) (data (i32.const 0) \"\\q\")") "unknown escape")
(assert_malformed (module quote "(memory 1) (func (drop (i32.load offset=-1 (i32.const 0))))") "unknown operator")
(assert_malformed (module quote "(func (param i32) (result i32) (param i64))") "unexpected token")
