#!/usr/bin/env python3
"""Each module's `#include <muze/X/...>` lines must match the table in docs/ARCHITECTURE.md.

For every row `| module | depends on | never on |` of the table under "Layers and what they may
use", the module's sources (src/core/<module>, or src/<module> for audio, cli and gui) and its
public headers (include/muze/<module>) may include only headers of the module itself and of the
modules its "depends on" column names, directly or through them ("core" stands for every core
module). Prints every
offending line and exits 1; exits 0 with a summary otherwise.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2])
arch = (root / "docs/ARCHITECTURE.md").read_text(encoding="utf-8")
section = arch.split("## Layers and what they may use", 1)[1]
rows = re.findall(r"^\|\s*([a-z]+)(?: \(src/[a-z]+\))?\s*\|([^|]*)\|([^|]*)\|", section, re.M)
table = {name: deps for name, deps, _never in rows if name not in ("module",)}
if not table:
    sys.exit("no layer table found in docs/ARCHITECTURE.md")

core = sorted(p.name for p in (root / "src/core").iterdir() if p.is_dir())
allowed = {}
for name, deps in table.items():
    words = set(re.findall(r"[a-z]+", deps))
    ok = {name} | {m for m in words if m in table}
    if "core" in words:
        ok |= set(core)
    allowed[name] = ok
# What a module depends on, it may use through: the closure of the "depends on" column.
changed = True
while changed:
    changed = False
    for name, ok in allowed.items():
        more = set().union(*(allowed.get(m, set()) for m in ok)) - ok
        if more:
            ok |= more
            changed = True

include_re = re.compile(r'^\s*#\s*include\s*[<"]muze/([a-z]+)/')
problems, files = [], 0
for name, ok in sorted(allowed.items()):
    dirs = [root / "src/core" / name, root / "src" / name, root / "include/muze" / name]
    for d in dirs:
        if not d.is_dir():
            continue
        for f in sorted(d.rglob("*")):
            if f.suffix not in (".h", ".cpp", ".mm"):
                continue
            files += 1
            for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                m = include_re.match(line)
                if m and m.group(1) not in ok:
                    problems.append(f"{f.relative_to(root)}:{n}: {name} may not include muze/{m.group(1)}/ "
                                    f"(docs/ARCHITECTURE.md allows {', '.join(sorted(ok))})")
for p in problems:
    print(p)
print(f"layers: {files} files of {len(allowed)} modules checked, {len(problems)} violations")
sys.exit(1 if problems else 0)
