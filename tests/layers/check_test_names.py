#!/usr/bin/env python3
"""Every Catch2 TEST_CASE must reach CTest as itself.

catch_discover_tests keeps test names in a CMake list, so a ';' in a name splits it into
pieces, and a backslash, '[' or '"' means something else in the test spec CTest passes back;
either way the name matches no test case: Catch then prints "No test cases matched" and exits 0, and
CTest reports a pass for a test that never ran. Names must also be unique (Catch refuses
duplicates at start-up, which would fail every test of that runner).
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
pattern = re.compile(r'\bTEST_CASE\(\s*"((?:[^"\\]|\\.)*)"')
problems = []
seen = {}
for path in sorted((root / "tests").rglob("*.cpp")):
    text = path.read_text(encoding="utf-8", errors="replace")
    for m in pattern.finditer(text):
        name = m.group(1)
        line = text.count("\n", 0, m.start()) + 1
        where = f"{path.relative_to(root)}:{line}"
        if ";" in name:
            problems.append(f"{where}: ';' in \"{name}\" splits it in CTest; the test would never run")
        for bad, why in (("\\", "escapes the next character in a Catch test spec"),
                         ("[", "starts a tag in a Catch test spec"), ('\\"', "quotes in a Catch test spec")):
            if bad in name:
                problems.append(f"{where}: {bad!r} in \"{name}\" {why}; CTest's name would match no test")
        key = (path.parent, name)
        if key in seen:
            problems.append(f"{where}: \"{name}\" is also at {seen[key]}")
        seen.setdefault(key, where)
for p in problems:
    print(p)
print(f"{len(seen)} test cases, {len(problems)} problems")
sys.exit(1 if problems else 0)
