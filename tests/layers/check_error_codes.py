#!/usr/bin/env python3
"""Error codes come from one table: include/muze/util/errorcodes.h (docs/DESIGN.md §6).

A code is a stable string that leaves the process (`muze-cli --json`, journal rows), and callers
branch on it, so a typo in a free string would silently turn an offline vault into a failed one.
This fails on a string literal given as the code to makeError() or Error(), assigned to an
Error's `.code`, or compared with one, in any source under src/, include/ or platform/. It also
checks the table itself: each constant's name is its value, and no value appears twice.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
TABLE = "include/muze/util/errorcodes.h"

# Files allowed a literal code: none (keep it that way).
ALLOWED = set()

LITERAL = re.compile(r'(QStringLiteral|QLatin1String|QLatin1StringView|QString::fromLatin1|QString::fromUtf8)\s*\(\s*u?"|^\s*u?"')
CALL = re.compile(r"\b(makeError|Error)(?:\s+\w+)?\s*\(")  # makeError(...), Error(...), Error e(...)
CODE_USE = re.compile(r'(?:\.code|\bcode)\s*(==|!=|=)\s*(QStringLiteral|QLatin1String|QLatin1StringView|u?")')


def arguments(text, start):
    """The top-level arguments of the call whose '(' ends at `start`, as (offset, text)."""
    args, depth, i, begin, in_string = [], 1, start, start, False
    while i < len(text) and depth:
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if not depth:
                args.append((begin, text[begin:i]))
        elif c == "," and depth == 1:
            args.append((begin, text[begin:i]))
            begin = i + 1
        i += 1
    return args


def strip_comments(text):
    """Comments blanked to spaces (strings kept), so offsets and line numbers stay."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


problems, allowed_hits, files = [], {}, 0
for folder in ("src", "include", "platform"):
    for path in sorted((root / folder).rglob("*")):
        if path.suffix not in (".cpp", ".h", ".mm") or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if rel == TABLE:
            continue
        files += 1
        text = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
        hits = []
        for m in CALL.finditer(text):
            if text[max(0, m.start() - 1)] in ":." or re.search(r"\b(struct|class)\s+$", text[: m.start()]):
                continue  # a declaration or another class's member, not a construction
            args = arguments(text, m.end())
            if len(args) >= 2 and LITERAL.search(args[1][1]):
                hits.append((args[1][0], f"a string literal as the code of {m.group(1)}(): {' '.join(args[1][1].split())}"))
        for m in CODE_USE.finditer(text):
            hits.append((m.start(), f"a string literal {m.group(1)} an Error's code"))
        for offset, what in hits:
            line = text.count("\n", 0, offset) + 1
            if rel in ALLOWED:
                allowed_hits[rel] = allowed_hits.get(rel, 0) + 1
            else:
                problems.append(f"{rel}:{line}: {what}; use a constant of muze::errc ({TABLE})")

table = (root / TABLE).read_text(encoding="utf-8")
seen = {}
for name, value in re.findall(r'inline constexpr ErrorCode (\w+)\{"([^"]*)"\}', table):
    if name != value:
        problems.append(f"{TABLE}: errc::{name} is \"{value}\"; a constant is named as its value")
    if value in seen:
        problems.append(f"{TABLE}: \"{value}\" is both errc::{seen[value]} and errc::{name}")
    seen.setdefault(value, name)
if not seen:
    problems.append(f"{TABLE}: no constants found; did the table's form change?")

for p in problems:
    print(p)
for rel in sorted(ALLOWED):
    if rel not in allowed_hits:
        print(f"note: {rel} is allowed but has no literal codes now")
print(f"{files} files, {len(seen)} codes, {sum(allowed_hits.values())} literal codes in allowed files, "
      f"{len(problems)} problems")
sys.exit(1 if problems else 0)
