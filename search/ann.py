"""The two FAISS layouts the passage index switches between, and the policy that picks one.

Below ``IndexPolicy.ivf_min`` vectors the index is exact (``IndexIDMap2`` over
``IndexFlatIP``): a brute-force scan is fast there and needs no training.  From ``ivf_min`` on
it is ``IndexIVFFlat`` (inner product, ``nlist = lists_per_sqrt * sqrt(N)`` lists, 5% of them
searched per query), chosen by ``bench/faiss_choice.py``: at 1M passages it kept recall@10
against exact search above 0.95 at a small fraction of the flat scan's latency (figures in
the README, "Search at scale").  HNSW was measured too but cannot remove ids, and passages are
removed whenever a file is re-ingested; IVF removes and adds by id in place.

Rebuild policy: an IVF index is trained on the vectors it holds when it is built; it is
rebuilt (retrained) only when the count has grown or shrunk ``retrain_growth``-fold since, so
rebuild work stays proportional to growth; below ``ivf_min / 2`` it falls back to exact (the
gap avoids flapping at the threshold).
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

FLAT, IVF = "flat", "ivf"


def faiss_module():
    import faiss

    return faiss


@contextmanager
def one_omp_thread():
    """Search one query on this thread alone (the setting is per calling thread in OpenMP).

    A single query gains nothing from FAISS's OpenMP threads, and on 2 shared cores their
    barriers cost more than the search (a 10k exact scan: 0.6 ms on one thread, ~90 ms on two
    while other jobs ran).  Builds, which run outside this block, keep every thread.
    """
    faiss = faiss_module()
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


@dataclass(frozen=True)
class IndexPolicy:
    """When to use which layout, and the IVF parameters."""
    ivf_min: int = 50_000
    lists_per_sqrt: float = 4.0
    probe_fraction: float = 0.05  # lists searched per query, as a share of nlist
    min_nprobe: int = 16
    retrain_growth: float = 4.0
    train_per_list: int = 40      # k-means sample: 40 points per list (FAISS warns under 39)
    train_iterations: int = 10

    def nlist(self, n: int) -> int:
        return max(1, int(round(self.lists_per_sqrt * math.sqrt(max(1, n)))))

    def nprobe(self, nlist: int) -> int:
        return min(nlist, max(self.min_nprobe, math.ceil(self.probe_fraction * nlist)))

    def target(self, n: int, kind: str, trained_on: int) -> str | None:
        """The layout ``n`` vectors should be in, or None when the current one may stay."""
        if kind == FLAT:
            return IVF if n >= self.ivf_min else None
        if n < self.ivf_min // 2:
            return FLAT
        if n >= trained_on * self.retrain_growth or n * self.retrain_growth <= trained_on:
            return IVF
        return None


def new_flat(dim: int):
    faiss = faiss_module()
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def build_ivf(ids: np.ndarray, vecs: np.ndarray, policy: IndexPolicy, seed: int = 1234):
    """Train an IVF index on (a sample of) ``vecs`` and add them all under ``ids``."""
    faiss = faiss_module()
    n, dim = vecs.shape
    nlist = min(policy.nlist(n), n)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()
    index.cp.niter = policy.train_iterations
    index.cp.seed = seed
    sample = min(n, nlist * policy.train_per_list)
    if sample < n:
        pick = np.sort(np.random.default_rng(seed).choice(n, sample, replace=False))
        index.train(np.ascontiguousarray(vecs[pick]))
    else:
        index.train(vecs)
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by passage id
    index.nprobe = policy.nprobe(nlist)
    if n:
        index.add_with_ids(vecs, ids)
    return index


def kind_of(index) -> str | None:
    faiss = faiss_module()
    if isinstance(index, faiss.IndexIDMap2) and isinstance(faiss.downcast_index(index.index), faiss.IndexFlat):
        return FLAT
    if isinstance(index, faiss.IndexIVFFlat):
        return IVF
    return None


def prepare_loaded(index, nprobe: int | None) -> None:
    """What a freshly read IVF index needs: its id hashtable and the saved nprobe."""
    faiss = faiss_module()
    if kind_of(index) == IVF:
        if index.direct_map.type != faiss.DirectMap.Hashtable:
            index.set_direct_map_type(faiss.DirectMap.Hashtable)
        if nprobe:
            index.nprobe = min(int(nprobe), index.nlist)


def stored_ids(index) -> np.ndarray:
    """Every id the index holds (int64)."""
    faiss = faiss_module()
    if kind_of(index) == FLAT:
        return faiss.vector_to_array(index.id_map).astype(np.int64)
    invlists = index.invlists
    parts = []
    for lst in range(index.nlist):
        size = invlists.list_size(lst)
        if size:
            parts.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size).copy())
    return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, dtype=np.int64)


def all_vectors(index) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of everything in the index, to rebuild it in another layout."""
    ids = np.sort(stored_ids(index))
    if not len(ids):
        return ids, np.zeros((0, index.d), dtype=np.float32)
    return ids, np.ascontiguousarray(index.reconstruct_batch(ids), dtype=np.float32)


def remove(index, ids: np.ndarray) -> int:
    """Remove ``ids``; IVF's id hashtable takes an id array, the flat map a hashed batch."""
    faiss = faiss_module()
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    if kind_of(index) == IVF:
        sel = faiss.IDSelectorArray(len(ids), faiss.swig_ptr(ids))
    else:
        sel = faiss.IDSelectorBatch(len(ids), faiss.swig_ptr(ids))
    return int(index.remove_ids(sel))


def search_params(index, allowed: np.ndarray | None, total: int):
    """Parameters for one search; a filter widens IVF's probe so sparse matches are still found.

    With a fraction f of the vectors allowed, probing ``nprobe / f`` lists visits about as many
    allowed vectors as an unfiltered search would; at ``nlist`` it is exact over ``allowed``.
    """
    faiss = faiss_module()
    sel = faiss.IDSelectorBatch(len(allowed), faiss.swig_ptr(allowed)) if allowed is not None else None
    if kind_of(index) != IVF:
        return faiss.SearchParameters(sel=sel) if sel is not None else None, sel
    nprobe = index.nprobe
    if allowed is not None:
        nprobe = min(index.nlist, math.ceil(index.nprobe * total / max(1, len(allowed))))
    params = faiss.SearchParametersIVF(nprobe=nprobe)
    if sel is not None:
        params.sel = sel
    return params, sel
