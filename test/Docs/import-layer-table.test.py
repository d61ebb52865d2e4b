"""Checks that each class of predict-import's list of the classes it
compiles is named in the 'compiled' column of docs/Import.md's table."""

import re
import sys

err, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
listed = re.search(r"predict compiles models of these layers: (.*?); nothing", err)
assert listed, err
classes = [c.strip() for c in listed.group(1).split(",")]
table = doc[doc.index("| family | compiled |"):]
table = table[:table.index("\n\n")]
compiled = " ".join(row.split("|")[2] for row in table.splitlines()[2:])
words = set(re.findall(r"[A-Za-z0-9]+", compiled))
# "MaxPooling1D/2D" names MaxPooling1D and MaxPooling2D (and /3D a third).
for m in re.finditer(r"([A-Za-z]+)1D/2D(/3D)?", compiled):
    words |= {m.group(1) + "1D", m.group(1) + "2D"} | (
        {m.group(1) + "3D"} if m.group(2) else set())
missing = [c for c in classes if c not in words]
assert len(classes) > 60 and not missing, missing
print("every compiled class is in the table")
