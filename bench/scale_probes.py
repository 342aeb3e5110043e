"""Probes for ``bench/search_scale.py``: where a hybrid query spends its time, and what adding
documents to a large store costs the index (incremental sync against a full rebuild)."""

from __future__ import annotations

import itertools
import time


import scale_common as C


STAGES = {  # (module, function) -> label; everything the engine calls that showed up in profiles
    ("search/embeddings.py", "encode"): "query embedding",
    ("search/keyword_index.py", "search"): "BM25 over units (Tantivy)",
    ("search/keyword_index.py", "sync"): "keyword index freshness check",
    ("search/engine.py", "_best_keyword_passages"): "best passage of keyword-only units",
    ("search/units.py", "unit_members"): "unit passages of the results",
    ("kg/sqlite_store.py", "keyword_spans"): "matched-word spans (FTS5)",
    ("search/index.py", "search"): "FAISS search",
    ("search/index.py", "sync"): "index freshness check",
    ("search/engine.py", "_fuse"): "passages fetch + RRF fusion",
    ("search/boosts.py", "with_graph_list"): "graph boost list",
    ("kg/sqlite_store.py", "passage_links"): "passage links (facets)",
    ("search/explain.py", "attach"): "explanations",
}


def hybrid_stages(store, qs: list[str], warmup: int) -> dict:
    """Where ``search.engine.search`` spends a hybrid query's time, per function, by profiling
    the real call (so the figures follow the engine as it changes), plus unprofiled totals."""
    import cProfile
    import pstats

    from search.embeddings import Embedder
    from search.engine import search

    embedder = Embedder()
    for q in qs[:warmup]:
        search(store, q, mode="hybrid", k=10, embedder=embedder)
    totals = []
    for q in qs:
        t = time.perf_counter()
        search(store, q, mode="hybrid", k=10, embedder=embedder)
        totals.append(time.perf_counter() - t)
    prof = cProfile.Profile()
    prof.enable()
    for q in qs:
        search(store, q, mode="hybrid", k=10, embedder=embedder)
    prof.disable()
    stats = pstats.Stats(prof).stats
    per_query: dict[str, float] = {}
    for (path, _, name), (_, _, _, cumulative, _) in stats.items():
        for (module, func), label in STAGES.items():
            if name == func and path.endswith(module):
                per_query[label] = per_query.get(label, 0.0) + cumulative * 1000 / len(qs)
    return {"queries": len(qs), "warmup_excluded": warmup, "engine_total_ms": C.percentiles(totals),
            "mean_ms_per_query_by_stage (profiled)": {k: round(v, 2) for k, v in per_query.items()}}


def incremental(store, docs: int = 1000) -> dict:
    """Add ``docs`` documents: time the store write, the index sync and a full rebuild; then remove them."""
    from corpus.scale import iter_documents
    from corpus.scale_store import write_documents
    from search.embeddings import Embedder
    from search.index import VectorIndex

    embedder = Embedder()
    pool, vecs = C.pool_and_vectors(embedder)
    out: dict = {}
    t = time.perf_counter()
    idx = VectorIndex.load_or_create(store)
    out["load_and_check_s"] = round(time.perf_counter() - t, 2)
    before = len(idx)
    new_docs = list(itertools.islice(iter_documents(pool, 10**9, seed=101, first_number=90_000_000), docs))
    stats = write_documents(store, pool, vecs, new_docs, label="incremental", seed=101)
    out["store_write"] = stats
    t = time.perf_counter()
    out["sync_added"] = idx.sync(store)
    out["sync_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    idx.save()
    out["save_s"] = round(time.perf_counter() - t, 2)
    out["index_after"] = idx.config()
    probe = store.document_passages(store.find_documents(source=f"scale://incremental/file-{new_docs[0].number:08d}.jsonl",
                                                         limit=1)[0]["id"])[0]["id"]
    out["new_passage_found_first"] = idx.search(store.get_vectors([probe])[0], 1)[0][0] == probe

    t = time.perf_counter()
    full = VectorIndex(store.index_dir, idx.model, idx.dim)
    full.sync(store)
    out["full_rebuild_s"] = round(time.perf_counter() - t, 2)
    out["rebuild_over_sync"] = round(out["full_rebuild_s"] / max(out["sync_s"], 1e-6), 1)
    del full

    files = sorted({f"scale://incremental/file-{d.number:08d}.jsonl" for d in new_docs[::100]})
    t = time.perf_counter()
    for f in files:
        store.remove_file(f)
    out["store_remove_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    out["sync_removed"] = idx.sync(store)
    out["sync_remove_s"] = round(time.perf_counter() - t, 3)
    out["back_to_start"] = len(idx) == before and idx.ids == set(store.vector_ids())
    idx.save()
    out["peak_rss_mb"] = C.peak_rss_mb()
    return out
