"""Search quality on the judged query sets: keyword vs vector vs hybrid, in one run.

Builds (once) or reuses a store of the shared text corpus (unsc-2025/text, no PDFs) and the
NASA lessons, cached outside the repository, then runs the judged queries in the three modes
(k=10) and prints nDCG@10, Recall@10 and MRR per mode, overall and per query group
(nasa / reports / resolutions).  Two query sets: the development set
(tests/data/search_queries.json), on which ranking choices were made, and the held-out set
(tests/data/search_queries_heldout.json), written and judged before any of those choices was
run on it; by default both are reported side by side, so a gain on dev can be checked on
queries nobody tuned on.

Usage: python bench/search_quality.py [--set both|dev|heldout|all] [--store DIR] [--shared DIR]
       [--rebuild] [--check] [--per-query] [--no-boosts] [--reference] [--json]

``--reference`` adds a row ``bm25-ref``: a plain BM25 (bm25s) over the same whole records.

The first build takes several minutes on two cores; a finished build leaves a marker file
in the store folder and later runs only search.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

QUERIES = ROOT / "tests" / "data" / "search_queries.json"
HELDOUT = ROOT / "tests" / "data" / "search_queries_heldout.json"
DEFAULT_STORE = Path.home() / ".cache" / "missiongraph" / "bench-quality-store"
MARKER = "bench-quality-built.json"
MODES = ("keyword", "vector", "hybrid")
REFERENCE = "bm25-ref"   # bm25s over whole records (bench/bm25_reference.py), with --reference
GROUPS = ("nasa", "reports", "resolutions")
K = 10


def shared_default() -> Path:
    return Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared"))


def build_store(store_dir: Path, shared: Path, embedder, rebuild: bool = False):
    """Open the cached store, ingesting the text corpus and the lessons unless already done."""
    from ingest import IngestOptions, ingest_paths
    from kg import open_store

    store_dir.mkdir(parents=True, exist_ok=True)
    marker = store_dir / MARKER
    store = open_store(str(store_dir))
    if marker.exists() and not rebuild:
        return store, json.loads(marker.read_text())
    text = shared / "corpus" / "unsc-2025" / "text"
    lessons = shared / "corpus" / "nasa-llis" / "lessons.jsonl"
    t0 = time.perf_counter()
    print(f"ingesting into the bench store {store_dir} (several minutes the first time) ...", file=sys.stderr)
    r1 = ingest_paths(store, [text], embedder=embedder, options=IngestOptions())
    r2 = ingest_paths(store, [lessons], embedder=embedder, options=IngestOptions(id_field="lesson_number"))
    info = {"paths": [str(text), str(lessons)], "seconds": round(time.perf_counter() - t0, 1),
            "documents_added": r1.documents + r2.documents, "files_unchanged": r1.unchanged + r2.unchanged,
            "passages_added": r1.passages + r2.passages, "errors": (r1.errors + r2.errors)[:20]}
    marker.write_text(json.dumps(info, indent=2))
    return store, info


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def missing_judgments(store, queries: list[dict], shared: Path) -> list[str]:
    """Judged items the store does not hold (a renamed file, a changed paragraph label)."""
    from search.quality import judge, qrel_key

    items = [(q["id"], x) for q in queries for r in q["relevant"] for x in (r, *(r.get("same_as") or ()))]
    by_source: dict[str, set] = {}
    for _, r in items:
        by_source.setdefault(r["source"], set())
    for source, present in by_source.items():
        for doc in store.find_documents(source=str((shared / source).resolve()), limit=100000):
            for p in store.document_passages(doc["id"]):
                key = judge({**p, "source": p.get("source") or doc.get("source")})
                if key is not None:
                    present.add(key)
    missing = []
    for qid, r in items:
        if qrel_key({"grade": 1, **r}) not in by_source[r["source"]]:
            missing.append(f"{qid}: {r['source']} {r.get('record') or r.get('paragraph')}")
    return missing


def run(store, queries: list[dict], embedder, k: int = K, reference=None) -> dict:
    """Per-query metrics for every mode: {mode: [{"id", "group", "ndcg", "recall", "mrr"}]}, plus
    ``bm25-ref`` when a reference ranker (``bench/bm25_reference.py``) is given."""
    from search import search
    from search.quality import run_queries

    def ranker(text: str, mode: str) -> list[dict]:
        if mode == REFERENCE:
            return reference.search(text, k)
        return search(store, text, k=k, mode=mode, embedder=embedder)["results"]

    return run_queries(queries, ranker, MODES + ((REFERENCE,) if reference is not None else ()), k)


def summarize(per: dict[str, list[dict]]) -> dict:
    from search.quality import summarize as summary_of

    return summary_of(per, GROUPS)


def table(summaries: dict[str, dict]) -> str:
    """One row per mode and group; one block of columns per query set, side by side."""
    names = list(summaries)
    head = f"{'mode':<8} {'group':<12}" + "".join(f" | {name + ' n':>11} {'nDCG@10':>8} {'R@10':>6} {'MRR':>6}"
                                                   for name in names)
    lines = [head]
    for mode in summaries[names[0]]:
        for g in ("all", *GROUPS):
            row = f"{mode:<8} {g:<12}"
            for name in names:
                s = summaries[name][mode][g]
                row += f" | {s['n']:>11} {s['ndcg']:>8.3f} {s['recall']:>6.3f} {s['mrr']:>6.3f}"
            lines.append(row)
    return "\n".join(lines)


def query_sets(choice: str, dev: Path, heldout: Path) -> dict[str, list[dict]]:
    """The query sets to run: dev, heldout, both (reported side by side) or all (one merged set)."""
    if choice == "all":
        return {"all": load_queries(dev) + load_queries(heldout)}
    names = ("dev", "heldout") if choice == "both" else (choice,)
    return {name: load_queries(dev if name == "dev" else heldout) for name in names}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", default=str(DEFAULT_STORE), help=f"store folder (default: {DEFAULT_STORE})")
    ap.add_argument("--shared", default=str(shared_default()), help="the shared data folder (holds corpus/)")
    ap.add_argument("--set", dest="which", choices=("both", "dev", "heldout", "all"), default="both",
                    help="query set: dev, heldout, both side by side (default), or all merged into one")
    ap.add_argument("--queries", default=str(QUERIES), help="dev query file")
    ap.add_argument("--heldout", default=str(HELDOUT), help="held-out query file")
    ap.add_argument("--rebuild", action="store_true", help="ingest again even if the store is marked as built")
    ap.add_argument("--per-query", action="store_true", help="also print each query's nDCG@10 per mode")
    ap.add_argument("--check", action="store_true",
                    help="only list judged items missing from the store (exit 1 if any)")
    ap.add_argument("--no-boosts", action="store_true",
                    help="hybrid without the graph-aware list (search/boosts.py), to see what it adds")
    ap.add_argument("--reference", action="store_true",
                    help="also rank with a plain BM25 over whole records (bm25s; skipped if not installed)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    if args.no_boosts:
        from search import boosts

        boosts.GRAPH_WEIGHT = 0.0

    shared = Path(args.shared)
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared data not found at {shared}", file=sys.stderr)
        return 0
    from search import Embedder

    embedder = Embedder()
    store, info = build_store(Path(args.store).expanduser(), shared, embedder, args.rebuild)
    sets = query_sets(args.which, Path(args.queries), Path(args.heldout))
    missing = [m for queries in sets.values() for m in missing_judgments(store, queries, shared)]
    if args.check:
        print("\n".join(missing) or "every judged item is in the store")
        store.close()
        return 1 if missing else 0
    if missing:
        print(f"warning: {len(missing)} judged items are not in the store (run with --check)", file=sys.stderr)
    reference = None
    if args.reference:
        try:
            from bm25_reference import Bm25Reference

            reference = Bm25Reference.from_store(store)
        except ImportError as e:
            print(f"reference skipped: {e} (pip install bm25s PyStemmer)", file=sys.stderr)
    t0 = time.perf_counter()
    per = {name: run(store, queries, embedder, reference=reference) for name, queries in sets.items()}
    summaries = {name: summarize(rows) for name, rows in per.items()}
    seconds = round(time.perf_counter() - t0, 1)
    if args.json:
        first = next(iter(summaries))
        out = {"k": K, "queries": sum(len(q) for q in sets.values()), "store": str(Path(args.store).expanduser()),
               "boosts": not args.no_boosts,
               "build": info, "search_seconds": seconds, "missing_judgments": missing,
               "summary": summaries[first], "sets": summaries}
        if args.per_query:
            out["per_query"] = per[first]
            out["per_query_sets"] = per
        print(json.dumps(out, indent=2))
    else:
        counts = ", ".join(f"{name} {len(q)}" for name, q in sets.items())
        print(f"queries: {counts}; k={K}; store {Path(args.store).expanduser()} ({seconds} s searching)")
        print(table(summaries))
        if args.per_query:
            for name, queries in sets.items():
                print(f"\n[{name}] {'query':<10} {'group':<12} " + " ".join(f"{m:>8}" for m in per[name]))
                for i, q in enumerate(queries):
                    print(f"{q['id']:<10} {q['group']:<12} " + " ".join(f"{per[name][m][i]['ndcg']:>8.3f}" for m in per[name]))
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
