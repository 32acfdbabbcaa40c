;; A start function that never returns: instantiation must still obey Limits::deadline/fuel.
(module
  (func $forever
    (loop $l
      br $l))
  (start $forever))
