"""Damages a bytecode file the way a flipped bit can: the size 3 of its
`tensor<?x3xf32>` becomes -3. MLIR's bytecode writes a shape as a count
and signed varints (zigzag, then MLIR's prefix varint: 3 is 0x0D, -3 is
0x0B, a dynamic size nine bytes 0x00 0xFF...), so the shape [?, 3] is the
bytes 05 00 FF*8 0D; it must be found exactly once.

    negative_size.py IN.mlirbc OUT.mlirbc
"""

import sys

data = open(sys.argv[1], "rb").read()
shape = bytes([0x05, 0x00] + [0xFF] * 8 + [0x0D])
if data.count(shape) != 1:
    sys.exit(f"the shape [?, 3] is in {sys.argv[1]} {data.count(shape)} "
             "times, not once")
open(sys.argv[2], "wb").write(data.replace(shape, shape[:-1] + b"\x0B"))
