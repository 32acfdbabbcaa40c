;; Instantiation exhausts the stack in the start function.
(module
  (func $rec (result i32) (i32.add (call $rec) (i32.const 1)))
  (func $start (drop (call $rec)))
  (start $start))
