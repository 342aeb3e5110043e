"""How right is mandate lineage?  Checked against our hand labels, task by task.

    python bench/lineage.py [--shared ../shared]

The labelled resolutions (tests/data/resolutions_gold.json and resolutions_heldout.json) are
ingested into a scratch store.  For each mission, consecutive labelled resolutions give the
expected change of each task: "new" (labelled now, not before), "carried" (labelled in both)
or "dropped" (labelled before, not in a renewal that restates the mandate).  Our lineage says
new / kept / reworded / strengthened / weakened (all "carried") / dropped.  The score is the
share of labelled (resolution, task) changes ours gets right, over resolutions whose mission
and action we read as the labels do (a wrong mission or action is counted in the resolution
figures, not twice here).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CARRIED = {"kept", "reworded", "strengthened", "weakened"}


def expected(labels: list[dict]) -> dict[tuple[str, str], dict[str, str]]:
    """(mission, symbol) -> {task: change} from consecutive labelled resolutions of a mission."""
    by_mission: dict[str, list[dict]] = {}
    for e in labels:
        for m in e["missions"]:
            by_mission.setdefault(m, []).append(e)
    out = {}
    for mission, rows in by_mission.items():
        rows.sort(key=lambda e: (int(e["symbol"].split("(")[1][:4]), int(e["symbol"].split("/")[2].split()[0])))
        standing: set[str] = set()
        for e in rows:
            tasks = {t["task"] for t in e["tasks"]}
            if not tasks:
                out[(mission, e["symbol"])] = {}
                continue
            change = {t: ("carried" if t in standing else "new") for t in tasks}
            if e["action"] in ("establish", "extend"):
                change.update({t: "dropped" for t in standing - tasks})
                standing = set(tasks)
            else:
                standing |= tasks
            out[(mission, e["symbol"])] = change
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--verbose", action="store_true", help="list each disagreement")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "corpus").is_dir():
        print(f"no shared corpus at {shared}")
        return 0
    from ingest.pipeline import ingest_paths
    from kg import open_store
    from kg.mandates import timeline

    labels = []
    for name in ("resolutions_gold.json", "resolutions_heldout.json"):
        labels += json.loads((ROOT / "tests" / "data" / name).read_text(encoding="utf-8"))
    want = expected(labels)
    gold_by_symbol = {e["symbol"]: e for e in labels}
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        files = [shared / "corpus" / e["corpus"] / e["file"] for e in labels]
        report = ingest_paths(store, files)
        if report.errors:
            print("ingest errors:", report.errors)
        outcome, confusion = Counter(), Counter()
        for mission in sorted({m for m, _ in want}):
            found = [e for e in store.find_entities(mission) if e["type"] == "Mission"]
            if not found:
                continue
            ours = {r["symbol"]: r for r in timeline(store, found[0]["id"])}
            for (m, symbol), changes in want.items():
                if m != mission or not changes:
                    continue
                r = ours.get(symbol)
                if r is None or r["action"] != gold_by_symbol[symbol]["action"]:
                    outcome["skipped (mission or action read differently)"] += len(changes)
                    continue
                got = {t["task"]: ("carried" if t["change"] in CARRIED else t["change"]) for t in r["tasks"]}
                got.update({t["task"]: "dropped" for t in r["dropped"]})
                for task, change in changes.items():
                    mine = got.get(task, "absent")
                    confusion[(change, mine)] += 1
                    if args.verbose and mine != change:
                        print(f"  {mission} {symbol} {task}: labels {change}, ours {mine}")
                    outcome["right" if mine == change else "wrong"] += 1
        store.close()
    judged = outcome["right"] + outcome["wrong"]
    print(f"labelled task changes judged: {judged}; right {outcome['right']} "
          f"({outcome['right'] / judged:.3f})" if judged else "nothing judged")
    for k, v in outcome.items():
        if k not in ("right", "wrong"):
            print(f"{k}: {v}")
    print("expected -> ours: " + ", ".join(f"{a}->{b}: {n}" for (a, b), n in sorted(confusion.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
