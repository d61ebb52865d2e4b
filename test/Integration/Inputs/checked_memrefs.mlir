// Run-time checks in a module on memrefs, after buffers were allocated: a
// failing check frees them (runtime-checks.test; LeakSanitizer in the
// sanitizer build).
func.func @rows(%x: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %out = memref.alloc(%n) : memref<?x4xf32>
  memref.copy %x, %out : memref<?x4xf32> to memref<?x4xf32>
  %scratch = memref.alloc() : memref<1000xf32>
  %ok = arith.cmpi ule, %n, %c3 : index
  predict.assert %ok, "{0} rows is too many (at most {1})" (%n, %c3 : index, index) loc("limits.py":4:2)
  memref.dealloc %scratch : memref<1000xf32>
  return %out : memref<?x4xf32>
}

// A buffer larger than the tensor limit (16 GiB) fails the call.
func.func @huge(%x: memref<?x4xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %giga = arith.constant 4294967296 : index
  %n = memref.dim %x, %c0 : memref<?x4xf32>
  %keep = memref.alloc(%n) : memref<?x4xf32>
  %size = arith.muli %n, %giga : index
  %big = memref.alloc(%size) : memref<?xf32>
  memref.dealloc %keep : memref<?x4xf32>
  return %big : memref<?xf32>
}
