"""What the ``why`` of each hit and the facet counts cost inside ``search()``, in one run.

Per query and mode, back to back: the search with its why step switched off (``explain.attach``
and the store's ``passage_links`` made no-ops for this run only: the baseline), the search as
shipped, and the search with ``facets=True``.  Prints the medians over ``--rounds`` passes of
the judged queries (tests/data/search_queries.json) and each one's ratio to the baseline.

Store: ``--store DIR``, else the bench-quality store (~/.cache/missiongraph/bench-quality-store,
built by bench/search_quality.py).

Usage: python bench/search_explain.py [--store DIR] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

QUERIES = ROOT / "tests" / "data" / "search_queries.json"
DEFAULT_STORE = Path.home() / ".cache" / "missiongraph" / "bench-quality-store"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=str(DEFAULT_STORE))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not Path(args.store).expanduser().is_dir():
        print(f"skipped: no store at {args.store} (run bench/search_quality.py first)", file=sys.stderr)
        return 0

    from kg import open_store
    from search import Embedder, explain, search

    store = open_store(str(Path(args.store).expanduser()))
    embedder = Embedder()
    queries = [q["query"] for q in json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]]
    shipped = (explain.attach, type(store).passage_links)

    def timed(query: str, mode: str, baseline: bool = False, **kw) -> float:
        if baseline:
            explain.attach, type(store).passage_links = (lambda *a, **k: None), (lambda self, ids: {})
        try:
            t0 = time.perf_counter()
            search(store, query, k=10, mode=mode, embedder=embedder, **kw)
            return (time.perf_counter() - t0) * 1000
        finally:
            explain.attach, type(store).passage_links = shipped

    out = {}
    for mode in ("keyword", "vector", "hybrid"):
        search(store, queries[0], mode=mode, embedder=embedder, facets=True)   # warm caches and the model
        ms: dict[str, list[float]] = {"baseline": [], "why": [], "why_facets": []}
        for _ in range(args.rounds):
            for q in queries:
                ms["baseline"].append(timed(q, mode, baseline=True))
                ms["why"].append(timed(q, mode))
                ms["why_facets"].append(timed(q, mode, facets=True))
        med = {name: round(statistics.median(v), 1) for name, v in ms.items()}
        out[mode] = {**{f"{name}_median_ms": v for name, v in med.items()},
                     "why_ratio": round(med["why"] / med["baseline"], 2),
                     "why_facets_ratio": round(med["why_facets"] / med["baseline"], 2)}
    if args.json:
        print(json.dumps({"store": args.store, "queries": len(queries), "rounds": args.rounds, "modes": out}, indent=2))
    else:
        for mode, r in out.items():
            print(f"{mode:8} baseline {r['baseline_median_ms']:6.1f} ms | why {r['why_median_ms']:6.1f} ms "
                  f"({r['why_ratio']:.2f}x) | why + facets {r['why_facets_median_ms']:6.1f} ms "
                  f"({r['why_facets_ratio']:.2f}x)")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
