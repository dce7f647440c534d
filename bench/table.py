#!/usr/bin/env python3
"""Folds the rows the benches append (bench/lib.sh `bench_row`) into one table and a JSON file.
Usage: table.py ROWS.tsv OUT.json SCALE RUNS LOAD_BEFORE LOAD_AFTER
Each row: run, figure, unit, muze value, peer name, peer value ('' = no peer), goal.
Several runs of one figure give its median. ratio = muze ÷ peer."""
import json, statistics, sys

rows_path, out_path, scale, runs, load_before, load_after = sys.argv[1:7]
figures = {}  # figure -> dict, in first-seen order
for line in open(rows_path, encoding="utf-8"):
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 7:
        continue
    run, figure, unit, muze, peer_name, peer, goal = parts
    f = figures.setdefault(figure, {"figure": figure, "unit": unit, "peer_name": peer_name, "goal": goal,
                                    "muze_runs": [], "peer_runs": []})
    if muze:
        f["muze_runs"].append(float(muze))
    if peer:
        f["peer_runs"].append(float(peer))

def fmt(v, unit):
    if v is None:
        return "-"
    return ("%.3f" % v if v < 10 else "%.1f" % v) + " " + unit

out = []
for f in figures.values():
    muze = statistics.median(f["muze_runs"]) if f["muze_runs"] else None
    peer = statistics.median(f["peer_runs"]) if f["peer_runs"] else None
    ratio = muze / peer if muze is not None and peer else None
    met = None
    if ratio is not None and f["goal"]:
        op, bound = f["goal"][:2], float(f["goal"][2:])
        met = ratio <= bound if op == "<=" else ratio >= bound
    out.append({"figure": f["figure"], "unit": f["unit"], "muze": muze, "peer": f["peer_name"], "peer_value": peer,
                "ratio": ratio, "goal": f["goal"] or None, "met": met, "muze_runs": f["muze_runs"],
                "peer_runs": f["peer_runs"]})

w = max([len(r["figure"]) for r in out] + [6])
print("\nscale %s, %s run(s) (median), load average %s before / %s after" % (scale, runs, load_before, load_after))
print("%-*s | %14s | %-28s | %7s | %s" % (w, "figure", "muze", "peer", "ratio", "goal"))
print("-" * (w + 75))
for r in out:
    if r["peer_value"] is None:
        peer = ("%s: not measured" % r["peer"]) if r["peer"] else "-"
    else:
        peer = "%s %s" % (r["peer"], fmt(r["peer_value"], r["unit"]))
    ratio = "%.2f" % r["ratio"] if r["ratio"] is not None else "-"
    goal = (r["goal"].replace("<=", "≤ ").replace(">=", "≥ ") + (" met" if r["met"] else " MISSED")) if r["met"] is not None else ""
    print("%-*s | %14s | %-28s | %7s | %s" % (w, r["figure"], fmt(r["muze"], r["unit"]), peer, ratio, goal))
with open(out_path, "w", encoding="utf-8") as f:
    json.dump({"scale": scale, "runs": int(runs), "load_before": load_before, "load_after": load_after,
               "rows": out}, f, indent=2)
print("\nJSON: %s" % out_path)
