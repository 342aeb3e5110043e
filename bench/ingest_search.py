"""Ingest and search benchmark on the shared corpus (or any paths given).

Prints ingest time, words/s and passages/s, search latency per mode (median over the
query set, with each mode's ratio to keyword search measured in the same run) and peak
memory.  Usage: python bench/ingest_search.py [PATH ...] [--store DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

QUERIES = [
    "protection of civilians mandate renewal", "keeping supply convoys safe", "improvised explosive devices",
    "sexual violence in conflict", "disarmament demobilization reintegration", "elections support",
    "contractor communication problems", "humanitarian access restrictions", "ceasefire violations",
    "arms embargo monitoring", "MONUSCO drawdown", "UNMISS mandate extension", "test procedures failure",
    "mine action", "security sector reform", "human rights violations reporting", "Lebanon Blue Line",
    "displacement camps", "peace agreement implementation", "software verification lessons",
]


def default_paths() -> list[Path]:
    shared = Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared")) / "corpus"
    return [shared / "unsc-2025" / "pdf", shared / "unsc-2025" / "text", shared / "nasa-llis" / "lessons.jsonl"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--store", help="store folder (default: a temporary one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    paths = [Path(p) for p in args.paths] or default_paths()
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(map(str, missing))} not found", file=sys.stderr)
        return 0

    from ingest import IngestOptions, ingest_paths
    from kg import open_store
    from search import Embedder, search

    store = open_store(args.store or tempfile.mkdtemp(prefix="mg-bench-"))
    t0 = time.perf_counter()
    embedder = Embedder()
    embedder.encode(["warm up"])
    load_s = time.perf_counter() - t0
    report = ingest_paths(store, paths, embedder=embedder, options=IngestOptions())
    latency: dict[str, list[float]] = {}
    for mode in ("keyword", "vector", "hybrid"):
        search(store, QUERIES[0], mode=mode, embedder=embedder)  # warm caches
        for q in QUERIES:
            t = time.perf_counter()
            search(store, q, mode=mode, k=10, embedder=embedder)
            latency.setdefault(mode, []).append(time.perf_counter() - t)
    med = {m: statistics.median(v) * 1000 for m, v in latency.items()}
    out = {
        "paths": [str(p) for p in paths], "model_load_s": round(load_s, 2), **report.as_json(),
        "words_per_s": round(report.words / report.seconds, 1) if report.seconds else None,
        "passages_per_s": round(report.passages / report.seconds, 1) if report.seconds else None,
        "search_median_ms": {m: round(v, 2) for m, v in med.items()},
        "search_ratio_vs_keyword": {m: round(v / med["keyword"], 2) for m, v in med.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "store": store.stats(),
    }
    out["errors"] = out["errors"][:20]
    print(json.dumps(out, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
