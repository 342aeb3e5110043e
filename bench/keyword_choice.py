"""Which keyword engine, tokenisation and title weight: measured, not assumed.

Two parts, each printing its table and JSON:

  quality   on the judged query sets over the bench store of bench/search_quality.py: our
            Tantivy index with each analyzer (Snowball stems, plain words, stems without stop
            words) and title weight, a plain bm25s over the same units (with and without stop
            words), and FTS5's passage-level BM25 (the embedded store's own, exact at this size);
            nDCG@10 / Recall@10 / MRR on dev and held-out.
  scale     on the generated stores of bench/search_scale.py (10k / 100k / 1M passages):
            index build, disk, p50/p95 of one query on one thread (template and judged query
            strings), Tantivy against bm25s; adding and removing 1,000 documents in place
            (Tantivy) against a full rebuild (bm25s has no in-place update).

Usage:
  python bench/keyword_choice.py quality [--store DIR]
  python bench/keyword_choice.py scale 10k 100k 1M [--queries 300] [--no-bm25s]

Skips with a reason when ../shared, the stores or bm25s are absent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

VARIANTS = [("en_stem", 0.3), ("en_stem", 0.0), ("en_stem", 1.0), ("en_plain", 0.3), ("en_stem_stop", 0.3)]


def _rows_of(store, uids: list[int]) -> list[dict]:
    return store.passages_by_ids(uids)


def _score(store, sets: dict, rank) -> dict:
    """{set: {"ndcg", "recall", "mrr"}} for one ranking function text -> result rows."""
    from search.quality import aliases_of, evaluate, mean, qrels_of, ranked_keys

    out = {}
    for name, queries in sets.items():
        rows = [evaluate(ranked_keys(rank(q["query"]), aliases_of(q["relevant"])), qrels_of(q["relevant"]), 10)
                for q in queries]
        out[name] = {m: round(mean(r[m] for r in rows), 3) for m in ("ndcg", "recall", "mrr")}
    return out


def cmd_quality(args) -> dict:
    import search_quality as SQ
    from search import keyword_index as ki

    shared = Path(args.shared)
    if not (shared / "corpus").is_dir():
        raise SystemExit(f"skipped: shared data not found at {shared}")
    from search import Embedder

    store, _ = SQ.build_store(Path(args.store).expanduser(), shared, Embedder())
    sets = {"dev": SQ.load_queries(SQ.QUERIES), "heldout": SQ.load_queries(SQ.HELDOUT)}
    out: dict = {}
    scratch = Path(tempfile.mkdtemp(prefix="mg-keyword-choice-"))
    try:
        for analyzer, title in VARIANTS:
            ki.TITLE_WEIGHT = title
            t = time.perf_counter()
            idx = ki.KeywordIndex(scratch / f"{analyzer}", analyzer)
            idx.sync(store)
            build = time.perf_counter() - t
            name = f"tantivy {analyzer} title {title}"
            out[name] = _score(store, sets, lambda q: _rows_of(store, [h.passage_ids[0] for h in idx.search(q, 10)]))
            out[name]["build_s"] = round(build, 2)
            print(f"{name}: {out[name]}", file=sys.stderr)
        ki.TITLE_WEIGHT = 0.3
        try:
            from bm25_reference import Bm25Reference

            for stop in ("en", None):
                ref = Bm25Reference.from_store(store, stopwords=stop)
                name = f"bm25s stem, stop words {'removed' if stop else 'kept'}"
                out[name] = _score(store, sets, lambda q: ref.search(q, 10))
                out[name]["build_s"] = round(ref.build_seconds, 2)
        except ImportError as e:
            print(f"bm25s skipped: {e}", file=sys.stderr)
        out["fts5 passages (porter)"] = _score(store, sets, lambda q: _rows_of(
            store, [pid for pid, _ in store.keyword_search(q, 40)]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(quality_table(out), file=sys.stderr)
    return out


def quality_table(rows: dict) -> str:
    lines = ["| variant | dev nDCG@10 / R@10 / MRR | held-out nDCG@10 / R@10 / MRR |", "|---|---|---|"]
    for name, r in rows.items():
        cells = [f"{r[s]['ndcg']:.3f} / {r[s]['recall']:.3f} / {r[s]['mrr']:.3f}" for s in ("dev", "heldout")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _latency(fn, queries: list[str], warmup: int = 20) -> dict:
    import scale_common as C

    for q in queries[:warmup]:
        fn(q)
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append(time.perf_counter() - t)
    return C.percentiles(times)


def _incremental(store, idx, docs: int = 1000) -> dict:
    """Add ``docs`` generated documents, sync; remove them, sync; against a full rebuild."""
    import scale_common as C
    from corpus.scale import iter_documents
    from corpus.scale_store import write_documents
    from search import keyword_index as ki
    from search.embeddings import Embedder

    pool, vecs = C.pool_and_vectors(Embedder())
    before = len(idx)
    new_docs = list(itertools.islice(iter_documents(pool, 10**9, seed=202, first_number=91_000_000), docs))
    write_documents(store, pool, vecs, new_docs, label="kwincremental", seed=202)
    out: dict = {}
    t = time.perf_counter()
    out["sync_added_docs"] = idx.sync(store)
    out["sync_add_s"] = round(time.perf_counter() - t, 3)
    with tempfile.TemporaryDirectory(prefix="mg-kw-full-") as tmp:
        t = time.perf_counter()
        full = ki.KeywordIndex(Path(tmp))
        full.sync(store)
        out["full_rebuild_s"] = round(time.perf_counter() - t, 2)
        del full
    files = sorted({f"scale://kwincremental/file-{d.number:08d}.jsonl" for d in new_docs[::100]})
    for f in files:
        store.remove_file(f)
    t = time.perf_counter()
    out["sync_removed_docs"] = idx.sync(store)
    out["sync_remove_s"] = round(time.perf_counter() - t, 3)
    out["back_to_start"] = len(idx) == before
    out["rebuild_over_sync_add"] = round(out["full_rebuild_s"] / max(out["sync_add_s"], 1e-6), 1)
    return out


def cmd_scale(args) -> dict:
    import scale_common as C
    from kg import open_store
    from search import keyword_index as ki

    queries = C.bench_queries(args.queries)
    out: dict = {}
    for n in map(C.parse_size, args.sizes):
        path = C.store_path(n)
        if not (path / "scale.json").is_file():
            print(f"skipped {C.label(n)}: no store at {path} (python bench/search_scale.py build {C.label(n)})",
                  file=sys.stderr)
            continue
        store = open_store(str(path))
        row: dict = {"passages": store.stats().get("passages")}
        with tempfile.TemporaryDirectory(prefix="mg-kw-scale-") as tmp:
            t = time.perf_counter()
            idx = ki.KeywordIndex(Path(tmp) / "keyword")
            idx.sync(store)
            row["tantivy"] = {"units": len(idx), "build_s": round(time.perf_counter() - t, 2),
                              "disk_mb": C.folder_mb(Path(tmp) / "keyword"),
                              "latency": _latency(lambda q: idx.search(q, 50), queries),
                              "peak_rss_mb": C.peak_rss_mb()}
            exact = all([h.uid for h in idx.search(q, 10)] == [h.uid for h in idx.search(q, 100_000)[:10]]
                        for q in queries[:30])
            row["tantivy"]["top10_equals_exhaustive_on_30_queries"] = exact
            if args.incremental:
                row["tantivy"]["incremental"] = _incremental(store, idx)
            del idx
        if not args.no_bm25s:
            try:
                from bm25_reference import Bm25Reference

                ref = Bm25Reference.from_store(store)
                row["bm25s"] = {"units": len(ref.units), "build_s": round(ref.build_seconds, 2),
                                "latency": _latency(lambda q: ref.search(q, 50), queries),
                                "peak_rss_mb": C.peak_rss_mb()}
                del ref
            except ImportError as e:
                row["bm25s"] = {"skipped": str(e)}
        store.close()
        out[C.label(n)] = row
        print(f"{C.label(n)}: {json.dumps(row)}", file=sys.stderr, flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("quality")
    q.add_argument("--store", default=str(Path.home() / ".cache" / "missiongraph" / "bench-quality-store"))
    q.add_argument("--shared", default=str(ROOT.parent / "shared"))
    s = sub.add_parser("scale")
    s.add_argument("sizes", nargs="+")
    s.add_argument("--queries", type=int, default=300)
    s.add_argument("--no-bm25s", action="store_true")
    s.add_argument("--incremental", action="store_true", help="also add and remove 1,000 documents")
    args = ap.parse_args()
    print("command: python bench/keyword_choice.py " + " ".join(sys.argv[1:]), file=sys.stderr)
    result = cmd_quality(args) if args.cmd == "quality" else cmd_scale(args)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
