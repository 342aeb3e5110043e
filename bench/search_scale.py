"""Search at scale: latency, build time, disk and memory at 10k / 100k / 1M passages.

Subcommands (each prints JSON; ``all`` prints the cost-growth table too):

  prepare                 embed the sentence pool once (cached) and check derived vectors
  build SIZE...           build the cached stores through the store's write path
  index SIZE              rebuild the FAISS cache from the store (``missiongraph reindex``'s path)
  latency SIZE            p50/p95/p99 per mode through ``search.engine.search``, query embedding included
  breakdown SIZE          where a hybrid query's time goes, stage by stage
  incremental SIZE        add 1,000 documents: index sync vs full rebuild, then remove them again
  all SIZE...             index + latency for each size, each in its own process (peak RSS per step)

Usage: python bench/search_scale.py all 10k 100k 1M
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import scale_common as C

WARMUP = 20


def cmd_prepare(args) -> dict:
    from corpus.scale_vectors import validate
    from search.embeddings import Embedder

    embedder = Embedder()
    t = time.perf_counter()
    pool, vecs = C.pool_and_vectors(embedder)
    out = {"sentences": len(pool), "pool_seconds": round(time.perf_counter() - t, 1)}
    out.update(validate(pool, vecs, embedder))
    (C.cache_dir() / "validation.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


def cmd_build(args) -> dict:
    from corpus.scale_store import build_store
    from search.embeddings import Embedder

    embedder = Embedder()
    pool, vecs = C.pool_and_vectors(embedder)
    out = {}
    for n in map(C.parse_size, args.sizes):
        def progress(done: int, n=n) -> None:
            if done % 100_000 < 1000:
                print(f"  {C.label(n)}: {done:,} passages", file=sys.stderr, flush=True)
        out[C.label(n)] = build_store(C.store_path(n), pool, vecs, n, model=embedder.name, seed=C.SEED,
                                      progress=progress)
    return out


def _open(n: int):
    from kg import open_store

    path = C.store_path(n)
    if not (path / "scale.json").is_file():
        raise SystemExit(f"no finished store at {path}; run: python bench/search_scale.py build {C.label(n)}")
    return open_store(str(path))


def cmd_index(args) -> dict:
    from search.engine import reindex

    store = _open(C.parse_size(args.size))
    out = reindex(store)
    from search.engine import _INDEXES

    idx = _INDEXES[store]
    out.update(idx.config(), index_mb=C.folder_mb(store.index_dir, "index.faiss"),
               store_mb=C.folder_mb(store.root, "graph.sqlite*"), peak_rss_mb=C.peak_rss_mb())
    return out


def cmd_latency(args) -> dict:
    from search.embeddings import Embedder
    from search.engine import search

    store = _open(C.parse_size(args.size))
    embedder = Embedder()
    qs = C.bench_queries(args.queries)
    out = {"queries": len(qs), "warmup_excluded": WARMUP, "k": 10}
    t = time.perf_counter()
    search(store, qs[0], mode="vector", embedder=embedder)  # loads the model and the saved index
    out["first_query_s"] = round(time.perf_counter() - t, 2)
    for mode in ("keyword", "vector", "hybrid"):
        for q in qs[:WARMUP]:
            search(store, q, mode=mode, k=10, embedder=embedder)
        times = []
        for q in qs:
            t = time.perf_counter()
            search(store, q, mode=mode, k=10, embedder=embedder)
            times.append(time.perf_counter() - t)
        out[mode] = C.percentiles(times)
    out["peak_rss_mb"] = C.peak_rss_mb()
    return out


def cmd_breakdown(args) -> dict:
    from scale_probes import hybrid_stages

    return hybrid_stages(_open(C.parse_size(args.size)), C.bench_queries(args.queries), WARMUP)


def cmd_incremental(args) -> dict:
    from scale_probes import incremental

    return incremental(_open(C.parse_size(args.size)), docs=args.docs)


def _child(*argv: str) -> dict:
    """Run one subcommand in a fresh process, so its peak RSS is its own."""
    r = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{r.stderr[-3000:]}")
    return json.loads(r.stdout)


def cmd_all(args) -> dict:
    rows = {}
    for n in map(C.parse_size, args.sizes):
        rows[C.label(n)] = {"index": _child("index", C.label(n)),
                            "latency": _child("latency", C.label(n), "--queries", str(args.queries))}
        print(f"{C.label(n)} done", file=sys.stderr, flush=True)
    print(growth_table(rows), file=sys.stderr)
    return rows


def growth_table(rows: dict) -> str:
    """Markdown: the figures per size, each with its ratio to the smallest size."""
    sizes = list(rows)
    base = rows[sizes[0]]
    metrics = [("hybrid p95 ms", lambda r: r["latency"]["hybrid"]["p95"]),
               ("vector p95 ms", lambda r: r["latency"]["vector"]["p95"]),
               ("keyword p95 ms", lambda r: r["latency"]["keyword"]["p95"]),
               ("index build s", lambda r: r["index"]["seconds"]),
               ("store MB", lambda r: r["index"]["store_mb"]),
               ("index MB", lambda r: r["index"]["index_mb"]),
               ("peak RSS MB (search)", lambda r: r["latency"]["peak_rss_mb"])]
    lines = ["| measure | " + " | ".join(sizes) + " |", "|---|" + "---|" * len(sizes)]
    for name, get in metrics:
        cells = [f"{get(rows[s])} ({get(rows[s]) / get(base):.1f}x)" if get(base) else str(get(rows[s]))
                 for s in sizes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("prepare")
    sub.add_parser("build").add_argument("sizes", nargs="+")
    for name in ("index", "latency", "breakdown", "incremental"):
        p = sub.add_parser(name)
        p.add_argument("size")
        p.add_argument("--queries", type=int, default=300, help="template queries (judged ones are added)")
        p.add_argument("--docs", type=int, default=1000, help="documents to add (incremental)")
    p = sub.add_parser("all")
    p.add_argument("sizes", nargs="+")
    p.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    out = globals()[f"cmd_{args.cmd}"](args)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
