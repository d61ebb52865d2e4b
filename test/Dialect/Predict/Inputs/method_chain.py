#!/usr/bin/python3
"""Writes a model whose methods call each other in a chain m0 -> m1 -> ...

  method_chain.py OUT.mlir N cycle|line

cycle: the last method calls m0 again (recursion through N methods);
line: the last method returns its argument doubled.
"""
import sys

out, n, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t = "tensor<?x4xf32>"
s = ["predict.model @m {"]
for i in range(n):
    name = "call" if i == 0 else "m%d" % i
    s.append("  predict.method @%s(%%x: %s) -> %s {" % (name, t, t))
    if i + 1 < n:
        s.append("    %%y = predict.method_call @m%d(%%x) : (%s) -> %s" % (i + 1, t, t))
    elif kind == "cycle":
        s.append("    %%y = predict.method_call @call(%%x) : (%s) -> %s" % (t, t))
    else:
        s.append("    %%y = predict.add %%x, %%x : (%s, %s) -> %s" % (t, t, t))
    s.append("    predict.return %y : " + t)
    s.append("  }")
s.append("}")
s.append("func.func @f(%%x: %s) -> %s {" % (t, t))
s.append("  %%y = predict.model_call @m(%%x) : (%s) -> %s" % (t, t))
s.append("  return %y : " + t)
s.append("}")
open(out, "w").write("\n".join(s) + "\n")
