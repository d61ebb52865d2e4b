#!/usr/bin/python3
"""Writes a valid MLIR function nesting N scf.execute_region ops.

  deep_mlir.py OUT.mlir N
"""
import sys

n = int(sys.argv[2])
s = ["func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {"]
s += ["%%r%d = scf.execute_region -> tensor<?x4xf32> {" % i for i in range(n)]
s.append("scf.yield %x : tensor<?x4xf32>")
for i in reversed(range(n)):
    s.append("}")
    if i > 0:
        s.append("scf.yield %%r%d : tensor<?x4xf32>" % i)
s += ["return %r0 : tensor<?x4xf32>", "}"]
open(sys.argv[1], "w").write("\n".join(s) + "\n")
