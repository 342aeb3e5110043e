"""Recurrence clusters on the NASA lessons (and corpus/sample): how many, how big, and how pure.

Uses the store of bench/topic_agreement.py (the NASA lessons and corpus/sample, cached outside the
repository). ``--sample N --out DIR`` writes N clusters chosen by a rule (ordered by
``sha1("recurrence:" + cluster id)``) with their members' texts to DIR for reading, one file per
judge; ``--judged FILE`` scores judgments written back in the same shape: the precision of
membership (members judged to say the same lesson as the cluster's central one) and the share of
clusters with every member right.

Usage: python bench/recurrence.py [--store DIR] [--sample 40 --out DIR] [--judged FILE] [--json]
Skips (exit 0, reason on stderr) without ../shared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> int:
    import topic_agreement as T

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--store", default=str(T.DEFAULT_STORE))
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--out", help="folder for the sample to read")
    ap.add_argument("--judges", type=int, default=2, help="files the sample is split into")
    ap.add_argument("--judged", help="judgments to score (a JSON file: {cluster id: {key: true|false}})")
    ap.add_argument("--exclude", help="judgments made before (same shape): their clusters are not sampled again")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = T.shared_or_skip(args.shared, "recurrence")
    if shared is None:
        return 0
    import time

    from search.recurrence import CORE, LINK, find_clusters

    store = T.build_store(Path(args.store).expanduser(), shared, False)
    started = time.perf_counter()
    got = find_clusters(store)
    seconds = time.perf_counter() - started
    clusters = got["clusters"]
    sizes = Counter(c["size"] for c in clusters)
    clustered = sum(c["size"] for c in clusters)
    out = {"lessons": got["lessons"], "clusters": len(clusters), "lessons_in_clusters": clustered,
           "sizes": dict(sorted(sizes.items())), "largest": max(sizes) if sizes else 0,
           "link": LINK, "core": CORE, "seconds": round(seconds, 2),
           "top": [{"sentence": c["sentence"], "summary": c["summary"], "size": c["size"]} for c in clusters[:10]]}
    if args.sample:
        seen = set(json.loads(Path(args.exclude).read_text())) if args.exclude else set()
        chosen = sorted((c for c in clusters if c["id"] not in seen),
                        key=lambda c: hashlib.sha1(f"recurrence:{c['id']}".encode()).hexdigest())
        chosen = chosen[:args.sample]
        folder = Path(args.out or ".")
        folder.mkdir(parents=True, exist_ok=True)
        rows = {r["key"]: r for r in store.lessons(limit=10**9)}
        for j in range(args.judges):
            part = [{"cluster": c["id"], "central": c["summary"], "members": [
                {"key": t["key"], "title": t["title"], "lesson": rows[t["key"]].get("lesson"),
                 "recommendation": rows[t["key"]].get("recommendation"),
                 "observation": (rows[t["key"]].get("observation") or "")[:800]} for t in c["timeline"]]}
                for c in chosen[j::args.judges]]
            (folder / f"clusters_{j + 1}.json").write_text(json.dumps(part, indent=1))
        out["sampled"] = len(chosen)
    if args.judged:
        judged = json.loads(Path(args.judged).read_text())
        marks = [v for c in judged.values() for v in c.values()]
        out["judged_clusters"] = len(judged)
        out["judged_members"] = len(marks)
        out["precision"] = round(sum(marks) / len(marks), 3) if marks else None
        out["all_right"] = round(sum(all(c.values()) for c in judged.values()) / len(judged), 3) if judged else None
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{out['lessons']} lessons; {out['clusters']} clusters of 2 or more holding {clustered} lessons "
              f"(sizes {out['sizes']}); link {LINK}, core {CORE}; {out['seconds']} s")
        for t in out["top"]:
            print(f"  {t['sentence']}: {t['summary']}")
        if args.judged:
            print(f"judged {out['judged_clusters']} clusters, {out['judged_members']} members: precision of "
                  f"membership {out['precision']}, clusters with every member right {out['all_right']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
