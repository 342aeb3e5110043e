"""Hybrid ranking variants, each scored on every query set in one run.

Each variant sets a few module-level knobs of the search code (fusion k and weights, the graph
list's weight, per-kind weights, pseudo-relevance feedback on keyword, vector depth per unit)
and runs the judged queries through ``search.search`` on the bench store of
bench/search_quality.py.  Choices are made on ``dev`` alone; the held-out columns are printed
so that a gain on dev can be seen to carry, or not.

Usage: python bench/fusion_variants.py [--only NAME ...] [--modes hybrid keyword] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# name -> {"module.attribute": value}; every variant starts from the defaults.
VARIANTS: dict[str, dict] = {
    "default": {},
    "equal weights for every kind (before)": {"search.engine.KIND_WEIGHTS": {}},
    "rrf k=60": {"search.engine.RRF_K": 60},
    "rrf k=10": {"search.engine.RRF_K": 10},
    "weights 1:1": {"search.engine.RRF_WEIGHTS": (1.0, 1.0)},
    "weights 1:1.5": {"search.engine.RRF_WEIGHTS": (1.0, 1.5)},
    "weights 1:3": {"search.engine.RRF_WEIGHTS": (1.0, 3.0)},
    "no graph list": {"search.boosts.GRAPH_WEIGHT": 0.0},
    "graph list 1.0": {"search.boosts.GRAPH_WEIGHT": 1.0},
    "lessons 1:1": {"search.engine.KIND_WEIGHTS": {"lesson": (1.0, 1.0)}},
    "lessons 1:1.5, reports 1:2.5": {"search.engine.KIND_WEIGHTS": {"lesson": (1.0, 1.5), "sg_report": (1.0, 2.5)}},
    "reports 1:3": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0)}},
    "prf 5 units, 10 terms, 0.3": {"search.keyword_index.PRF_UNITS": 5},
    "prf 3 units, 10 terms, 0.5": {"search.keyword_index.PRF_UNITS": 3, "search.keyword_index.PRF_WEIGHT": 0.5},
    "prf 10 units, 20 terms, 0.2": {"search.keyword_index.PRF_UNITS": 10, "search.keyword_index.PRF_TERMS": 20,
                                     "search.keyword_index.PRF_WEIGHT": 0.2},
    "title weight 0": {"search.keyword_index.TITLE_WEIGHT": 0.0},
    "title weight 1": {"search.keyword_index.TITLE_WEIGHT": 1.0},
    "vector depth 5 per unit": {"search.engine.UNIT_DEPTH": 5},
    "reports 1:4": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 4.0)}},
    "reports 1:3, lessons 1:1.5": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0), "lesson": (1.0, 1.5)}},
    "reports 1:3, resolutions 1:1": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0), "resolution": (1.0, 1.0)}},
    "reports 1:3, resolutions 1:3": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0), "resolution": (1.0, 3.0)}},
    "reports 1:3, others 1:1.5": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0)},
                                   "search.engine.RRF_WEIGHTS": (1.0, 1.5)},
    "reports 1:3, k=10": {"search.engine.KIND_WEIGHTS": {"sg_report": (1.0, 3.0)}, "search.engine.RRF_K": 10},
    "convex 1:2": {"search.engine.FUSION": "convex"},
    "convex 1:3": {"search.engine.FUSION": "convex", "search.engine.RRF_WEIGHTS": (1.0, 3.0)},
    "convex 1:1": {"search.engine.FUSION": "convex", "search.engine.RRF_WEIGHTS": (1.0, 1.0)},
}


def _apply(settings: dict) -> dict:
    """Set the knobs; return the previous values."""
    import importlib

    old = {}
    for path, value in settings.items():
        module, attr = path.rsplit(".", 1)
        mod = importlib.import_module(module)
        old[path] = getattr(mod, attr)
        setattr(mod, attr, value)
    return old


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="variant names to run (default: all)")
    ap.add_argument("--modes", nargs="*", default=["hybrid"], choices=["hybrid", "keyword", "vector"])
    ap.add_argument("--sets", nargs="*", default=["dev", "heldout"])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    print("command: python bench/fusion_variants.py " + " ".join(sys.argv[1:]), file=sys.stderr)

    import search_quality as SQ
    from search import Embedder, search
    from search.quality import run_queries, summarize

    shared = SQ.shared_default()
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared data not found at {shared}", file=sys.stderr)
        return 0
    embedder = Embedder()
    store, _ = SQ.build_store(SQ.DEFAULT_STORE, shared, embedder)
    files = {"dev": SQ.QUERIES, "heldout": SQ.HELDOUT, "heldout2": SQ.HELDOUT.with_name("search_queries_heldout2.json")}
    sets = {name: SQ.load_queries(files[name]) for name in args.sets if files[name].is_file()}

    def ranker(text: str, mode: str) -> list[dict]:
        return search(store, text, k=10, mode=mode, embedder=embedder)["results"]

    out: dict = {}
    for name, settings in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        old = _apply(settings)
        try:
            out[name] = {s: summarize(run_queries(qs, ranker, args.modes, 10))
                         for s, qs in sets.items()}
        finally:
            _apply(old)
        line = " | ".join(f"{s} {m} {out[name][s][m]['all']['ndcg']:.3f}" for s in sets for m in args.modes)
        print(f"{name:<32} {line}", file=sys.stderr, flush=True)

    lines = ["| variant | " + " | ".join(f"{s} {m} nDCG@10 / R@10 / MRR" for s in sets for m in args.modes) + " |",
             "|---|" + "---|" * (len(sets) * len(args.modes))]
    for name, r in out.items():
        cells = [f"{r[s][m]['all']['ndcg']:.3f} / {r[s][m]['all']['recall']:.3f} / {r[s][m]['all']['mrr']:.3f}"
                 for s in sets for m in args.modes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    print("\n".join(lines), file=sys.stderr)
    if args.json:
        print(json.dumps(out, indent=2))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
