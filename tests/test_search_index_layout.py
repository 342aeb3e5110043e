"""The index switches from exact to IVF at a size threshold (small here), and stays correct.

Real FAISS and a real store; the vectors are a few thousand clustered random unit vectors, so
IVF has structure to find, as it has with passage embeddings.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg import DocumentBundle, DocumentRecord, PassageRecord
from search import VectorIndex
from search.ann import FLAT, IVF, IndexPolicy
from search.index import CONFIG_FILE

DIM = 32
POLICY = IndexPolicy(ivf_min=2000, lists_per_sqrt=1.0, probe_fraction=0.16, min_nprobe=4)


def clustered(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(0).standard_normal((40, DIM)).astype(np.float32)
    v = centres[rng.integers(0, 40, n)] + 0.35 * rng.standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def add_file(store, source: str, seed: int, n: int) -> tuple[list[int], np.ndarray]:
    vecs = clustered(seed, n)
    store.set_vector_meta("fake-model", DIM)
    texts = [f"{source} passage {i}" for i in range(n)]
    text = "\n".join(texts)
    b = DocumentBundle(DocumentRecord(source=source, sha256=str(seed), format="txt", text=text), vectors=vecs)
    pos = 0
    for i, t in enumerate(texts):
        b.passages.append(PassageRecord(i, t, pos, pos + len(t), f"{source}#{i}"))
        pos += len(t) + 1
    [doc_id] = store.replace_file(source, str(seed), 1, [b])
    return [p["id"] for p in store.document_passages(doc_id)], vecs


def exact(ids: list[int], vecs: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    order = np.argsort(-(vecs @ query), kind="stable")[:k]
    return [ids[i] for i in order]


def test_policy_thresholds():
    p = IndexPolicy(ivf_min=1000, retrain_growth=4.0)
    assert p.target(999, FLAT, 0) is None and p.target(1000, FLAT, 0) == IVF
    assert p.target(1500, IVF, 1000) is None          # grows in place
    assert p.target(4000, IVF, 1000) == IVF           # fourfold: retrain
    assert p.target(600, IVF, 1000) is None           # hysteresis: stays IVF above ivf_min / 2
    assert p.target(499, IVF, 1000) == FLAT
    assert p.nlist(1_000_000) == 4000 and p.nprobe(4000) == 200
    assert p.nprobe(100) == 16 and p.nprobe(10) == 10


def test_switches_to_ivf_saves_its_layout_and_reloads(store):
    ids_a, vecs_a = add_file(store, "/a.txt", 1, 1500)
    idx = VectorIndex.load_or_create(store, policy=POLICY)
    assert idx.kind == FLAT and len(idx) == 1500
    ids_b, vecs_b = add_file(store, "/b.txt", 2, 1000)
    assert idx.sync(store) == 1000
    assert idx.kind == IVF and idx.trained_on == 2500 and idx.ids == set(store.vector_ids())
    idx.save()
    config = json.loads((store.index_dir / CONFIG_FILE).read_text())
    assert config["type"] == IVF and config["nlist"] == 50 and config["nprobe"] == 8 and config["trained_on"] == 2500

    again = VectorIndex.load(store.index_dir)  # no policy, no flags: the saved layout
    assert again.kind == IVF and again.index.nprobe == 8 and again.ids == idx.ids
    assert again.sync(store) == 0
    assert again.search(vecs_b[7], 1)[0][0] == ids_b[7]


def test_ivf_recall_against_exact(store):
    ids_a, vecs_a = add_file(store, "/a.txt", 1, 1500)
    ids_b, vecs_b = add_file(store, "/b.txt", 2, 1500)
    idx = VectorIndex.load_or_create(store, policy=POLICY)
    assert idx.kind == IVF
    ids, vecs = ids_a + ids_b, np.vstack([vecs_a, vecs_b])
    queries = clustered(99, 100)
    hits = [len(set(h for h, _ in idx.search(q, 10)) & set(exact(ids, vecs, q, 10))) / 10 for q in queries]
    assert np.mean(hits) >= 0.9
    top = idx.search(queries[0], 10)
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)
    assert top[0][1] == pytest.approx(float(vecs[ids.index(top[0][0])] @ queries[0]), abs=1e-5)


def test_ivf_adds_and_removes_in_place(store):
    add_file(store, "/a.txt", 1, 1500)
    ids_b, _ = add_file(store, "/b.txt", 2, 1000)
    idx = VectorIndex.load_or_create(store, policy=POLICY)
    centroids = idx.index.quantizer.reconstruct_n(0, idx.index.nlist)
    ids_c, vecs_c = add_file(store, "/c.txt", 3, 300)          # added without retraining
    assert idx.sync(store) == 300 and idx.trained_on == 2500
    assert np.array_equal(centroids, idx.index.quantizer.reconstruct_n(0, idx.index.nlist))
    assert idx.search(vecs_c[5], 1)[0][0] == ids_c[5]

    store.remove_file("/b.txt")                                  # removed by passage id
    assert idx.sync(store) == 1000 and idx.kind == IVF
    assert idx.ids == set(store.vector_ids()) and len(idx) == 1800
    gone = set(ids_b)
    for q in clustered(5, 20):
        assert not {h for h, _ in idx.search(q, 50)} & gone
    assert idx.sync(store) == 0


def test_filtered_search_on_ivf_is_exact_for_a_small_allowed_set(store):
    ids_a, vecs_a = add_file(store, "/a.txt", 1, 2500)
    idx = VectorIndex.load_or_create(store, policy=POLICY)
    assert idx.kind == IVF
    rng = np.random.default_rng(3)
    pick = sorted(rng.choice(len(ids_a), 40, replace=False).tolist())
    allowed = {ids_a[i] for i in pick}
    for q in clustered(7, 10):
        got = [h for h, _ in idx.search(q, 5, allowed=allowed)]
        assert got == exact([ids_a[i] for i in pick], vecs_a[pick], q, 5)
    assert idx.search(vecs_a[0], 5, allowed={10**9}) == []


def test_shrinks_back_to_exact_below_half_the_threshold(store):
    add_file(store, "/a.txt", 1, 1500)
    ids_b, vecs_b = add_file(store, "/b.txt", 2, 900)
    idx = VectorIndex.load_or_create(store, policy=POLICY)
    assert idx.kind == IVF
    store.remove_file("/a.txt")
    idx.sync(store)
    assert idx.kind == FLAT and idx.ids == set(ids_b)
    assert idx.search(vecs_b[3], 1)[0] == (ids_b[3], pytest.approx(1.0, abs=1e-5))
    idx.save()
    assert json.loads((store.index_dir / CONFIG_FILE).read_text())["type"] == FLAT
