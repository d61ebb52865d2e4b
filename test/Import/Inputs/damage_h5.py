#!/usr/bin/python3
"""Damages an HDF5 file the way a bad disk or a bad copy might: sets the
size of the first object in its first global heap collection (where h5py
keeps variable-length strings, such as Keras's model_config).

  damage_h5.py IN.h5 OUT.h5 SIZE

Size 0 makes the HDF5 library (1.10) loop forever; a huge size makes it read
far outside its buffer and crash. predict-import must report both, naming
the file.
"""
import struct
import sys

src, dst, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = bytearray(open(src, "rb").read())
heap = data.find(b"GCOL")
if heap < 0:
    sys.exit(f"{src}: no global heap collection")
# Collection header: "GCOL", version, 3 reserved, collection size (8 bytes);
# then objects: index (2), reference count (2), reserved (4), size (8), data.
struct.pack_into("<Q", data, heap + 16 + 8, size)
open(dst, "wb").write(bytes(data))
