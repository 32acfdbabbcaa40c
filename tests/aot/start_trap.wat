;; Instantiation traps in the start function.
(module
  (memory 1)
  (func $start (unreachable))
  (start $start))
