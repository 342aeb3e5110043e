"""Choose the FAISS index: recall@10 against exact search, latency, build time and size.

For each size, the stored vectors of the cached scale store (``bench/search_scale.py build``)
are searched with real query embeddings (template queries plus the judged query strings), one
query at a time as the engine does: on one OpenMP thread by default, as ``search/index.py``
searches (``--search-threads 2`` to compare), while builds use ``--threads``.  Candidates: exact Flat, HNSW
(M=32) at several efSearch, IVF-Flat (nlist = 4 sqrt(N), trained as ``search/ann.py`` trains
it) at several nprobe, IVF-SQ8 likewise.  The choice: the lowest p95 among those with
recall@10 >= 0.95.

Usage: python bench/faiss_choice.py 100k 1M [--threads 2] [--no-hnsw]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time

import numpy as np

import scale_common as C

RECALL_TARGET = 0.95
K = 10
BUILD_THREADS = 2
SEARCH_THREADS = 1


def stored_vectors(n: int) -> np.ndarray:
    from kg import open_store

    store = open_store(str(C.store_path(n)))
    dim = int(store.vector_meta()["dim"])
    blobs = [r[0] for r in store.db.execute("SELECT vec FROM vectors ORDER BY passage_id")]
    store.close()
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


def _size_mb(index) -> float:
    import faiss

    with tempfile.NamedTemporaryFile(dir=C.cache_dir(), suffix=".faiss") as fh:
        faiss.write_index(index, fh.name)
        return round(os.path.getsize(fh.name) / 2**20, 1)


def _measure(index, queries: np.ndarray, truth: np.ndarray, params=None) -> dict:
    import faiss

    found, times = [], []
    faiss.omp_set_num_threads(SEARCH_THREADS)
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q.reshape(1, -1), K, params=params)
        times.append(time.perf_counter() - t)
        found.append(ids[0])
    faiss.omp_set_num_threads(BUILD_THREADS)
    recall = np.mean([len(set(f) & set(t)) / K for f, t in zip(found, truth)])
    return {"recall@10": round(float(recall), 4), **C.percentiles(times)}


def candidates(xb: np.ndarray, queries: np.ndarray, hnsw: bool) -> list[dict]:
    import faiss

    from search.ann import IndexPolicy, build_ivf

    n, dim = xb.shape
    ids = np.arange(n, dtype=np.int64)
    rows = []
    t = time.perf_counter()
    flat = faiss.IndexFlatIP(dim)
    flat.add(xb)
    build = time.perf_counter() - t
    _, truth = flat.search(queries, K)
    rows.append({"index": "Flat (exact)", "build_s": round(build, 1), "size_mb": _size_mb(flat),
                 **_measure(flat, queries, truth)})
    del flat

    policy = IndexPolicy()
    nlist = policy.nlist(n)
    t = time.perf_counter()
    ivf = build_ivf(ids, xb, policy)
    build, size = time.perf_counter() - t, _size_mb(ivf)
    for nprobe in (16, 32, 64, 128, 192, 256):
        rows.append({"index": f"IVF{nlist},Flat nprobe={nprobe}", "build_s": round(build, 1), "size_mb": size,
                     **_measure(ivf, queries, truth, faiss.SearchParametersIVF(nprobe=nprobe))})
    del ivf

    t = time.perf_counter()
    sq = faiss.index_factory(dim, f"IVF{nlist},SQ8", faiss.METRIC_INNER_PRODUCT)
    sq.cp.niter = policy.train_iterations
    sample = np.random.default_rng(1234).choice(n, min(n, nlist * policy.train_per_list), replace=False)
    sq.train(np.ascontiguousarray(xb[np.sort(sample)]))
    sq.add(xb)
    build, size = time.perf_counter() - t, _size_mb(sq)
    for nprobe in (64, 128, 256):
        rows.append({"index": f"IVF{nlist},SQ8 nprobe={nprobe}", "build_s": round(build, 1), "size_mb": size,
                     **_measure(sq, queries, truth, faiss.SearchParametersIVF(nprobe=nprobe))})
    del sq

    if hnsw:
        t = time.perf_counter()
        h = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        h.add(xb)
        build, size = time.perf_counter() - t, _size_mb(h)
        for ef in (32, 64, 128, 256):
            rows.append({"index": f"HNSW32 efSearch={ef}", "build_s": round(build, 1), "size_mb": size,
                         **_measure(h, queries, truth, faiss.SearchParametersHNSW(efSearch=ef))})
        del h
    return rows


def choose(rows: list[dict]) -> dict | None:
    ok = [r for r in rows if r["recall@10"] >= RECALL_TARGET]
    return min(ok, key=lambda r: (r["p95"], r["p50"])) if ok else None


def table(rows: list[dict]) -> str:
    lines = ["| index | recall@10 | p50 ms | p95 ms | build s | size MB |", "|---|---|---|---|---|---|"]
    lines += [f"| {r['index']} | {r['recall@10']:.3f} | {r['p50']} | {r['p95']} | {r['build_s']} | {r['size_mb']} |"
              for r in rows]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="+")
    ap.add_argument("--threads", type=int, default=2, help="OpenMP threads for building")
    ap.add_argument("--search-threads", type=int, default=1, help="OpenMP threads for each single-query search")
    ap.add_argument("--no-hnsw", action="store_true", help="skip HNSW (its build is the slowest)")
    args = ap.parse_args()
    import faiss

    from search.embeddings import Embedder

    global BUILD_THREADS, SEARCH_THREADS
    BUILD_THREADS, SEARCH_THREADS = args.threads, args.search_threads
    faiss.omp_set_num_threads(args.threads)
    queries = np.ascontiguousarray(Embedder().encode(C.bench_queries()), dtype=np.float32)
    report = {"threads": args.threads, "search_threads": args.search_threads, "queries": len(queries), "recall_target": RECALL_TARGET, "sizes": {}}
    for n in map(C.parse_size, args.sizes):
        xb = stored_vectors(n)
        rows = candidates(xb, queries, hnsw=not args.no_hnsw)
        report["sizes"][C.label(n)] = {"n": len(xb), "nlist": int(round(4 * math.sqrt(len(xb)))), "rows": rows,
                                       "choice": choose(rows)}
        print(f"\n{C.label(n)} ({len(xb):,} vectors)\n" + table(rows), file=sys.stderr, flush=True)
        del xb
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
