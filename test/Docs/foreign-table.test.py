import re
import sys

root = sys.argv[1]
code = open(f"{root}/lib/Dialect/Predict/Transforms/ForeignRegistry.cpp").read()
table = code[code.index("kRegistry[]"):]
registry = set(re.findall(r'\{"([a-z_.]+)",', table))
docs = open(f"{root}/docs/ForeignCalls.md").read()
rows = docs[docs.index("## Known functions"):]
documented = set(re.findall(r"`((?:numpy|scipy)\.[a-z_.]+)`", rows))
missing = sorted(registry - documented)
extra = sorted(documented - registry)
if missing or extra or not registry:
    sys.exit(f"registry without docs: {missing}; docs without registry: {extra}")
print(f"{len(registry)} functions documented")
