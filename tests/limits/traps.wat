;; Every way a call can fail, one function each, plus well-behaved ones to call afterwards.
(module
  (memory (export "memory") 1)

  (func $answer (export "answer") (result i32) i32.const 42)

  (func $boom (export "boom") unreachable)
  (func $calls_boom (export "calls_boom") call $boom)

  (func $div (export "div") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.div_s)

  (func $oob (export "oob") (result i32)
    i32.const 0x7ffffff0
    i32.load)

  ;; Never returns: only Limits::deadline or ::fuel stops it.
  (func $spin (export "spin")
    (loop $forever
      br $forever))

  ;; Infinite recursion.
  (func $recurse (export "recurse")
    call $recurse)

  ;; Recursion to depth n, returns n.
  (func $depth (export "depth") (param $n i32) (result i32)
    local.get $n
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get $n
      i32.const 1
      i32.sub
      call $depth
      i32.const 1
      i32.add
    end)

  (func $grow (export "grow") (param $pages i32) (result i32)
    local.get $pages
    memory.grow)

  (func $size (export "size") (result i32)
    memory.size)

  ;; The memory bomb: memory.grow one page at a time until it fails, then returns the size.
  (func $grow_until_fail (export "grow_until_fail") (result i32)
    (loop $more
      (br_if $more
        (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    memory.size)
)
