"""The scale-corpus generator: deterministic, well-formed, and derived vectors that track real ones.

Small sizes only; the 10k-1M stores are built by bench/search_scale.py, never here.
"""

from __future__ import annotations

import numpy as np
import pytest

from corpus import scale_templates as T
from corpus.scale import SentencePool, iter_documents, missions, queries
from corpus.scale_store import write_documents
from corpus.scale_vectors import derive
from nlp.facts import DOCUMENT_KINDS


@pytest.fixture(scope="module")
def pool():
    return SentencePool(per_group=6, seed=3)


def test_same_seed_same_corpus(pool):
    again = SentencePool(per_group=6, seed=3)
    assert again.texts == pool.texts and again.groups == pool.groups
    assert list(iter_documents(pool, 500, seed=1)) == list(iter_documents(again, 500, seed=1))
    assert SentencePool(per_group=6, seed=4).texts != pool.texts
    assert list(iter_documents(pool, 500, seed=2)) != list(iter_documents(pool, 500, seed=1))
    assert queries(20, seed=5) == queries(20, seed=5)


def test_documents_are_well_formed(pool):
    docs = list(iter_documents(pool, 1234, seed=1))
    assert sum(len(d.passages) for d in docs) == 1234
    years = {m.acronym: (m.start, m.end) for m in missions()}
    own = {m: {i for (gm, _), ids in pool.groups.items() if gm == m for i in ids} for m in years}
    for d in docs:
        assert d.kind in DOCUMENT_KINDS and d.kind in T.KINDS
        start, end = years[d.mission]
        assert start <= int(d.date[:4]) <= end
        for p in d.passages:
            assert p and set(p) <= own[d.mission]
            assert "{" not in pool.passage_text(p)
    assert {d.kind for d in docs} == set(T.KINDS)
    assert len({pool.passage_text(p) for d in docs for p in d.passages}) > 0.8 * 1234


def test_every_mission_has_places_and_years():
    ms = missions()
    assert {m.acronym for m in ms} == set(T.PLACES)
    assert all(1990 <= m.start <= m.end <= 2025 for m in ms)


def test_derived_vectors_follow_real_embeddings(pool, embedder):
    """A derived passage vector sits close to the real embedding of the same text."""
    sample = [p for d in iter_documents(pool, 40, seed=9) for p in d.passages]
    used = sorted({i for p in sample for i in p})
    vecs = np.zeros((len(pool), embedder.dim), dtype=np.float32)
    vecs[used] = embedder.encode([pool.texts[i] for i in used])
    derived = derive(pool, vecs, sample, seed=1)
    real = embedder.encode([pool.passage_text(p) for p in sample])
    assert np.allclose(np.linalg.norm(derived, axis=1), 1.0, atol=1e-5)
    cos = np.sum(derived * real, axis=1)
    assert np.median(cos) > 0.85 and cos.min() > 0.6
    # and closer to its own text than to the other passages' texts
    assert np.mean(np.argmax(derived @ real.T, axis=1) == np.arange(len(sample))) >= 0.85
    assert np.array_equal(derive(pool, vecs, sample, seed=1), derived)


def test_written_store_supports_filters_and_search(pool, store):
    from search.engine import search

    dim = 16
    vecs = np.random.default_rng(0).standard_normal((len(pool), dim)).astype(np.float32)
    store.set_vector_meta("fake-model", dim)
    docs = list(iter_documents(pool, 300, seed=1))
    stats = write_documents(store, pool, vecs, docs, label="t", docs_per_file=10)
    assert stats["passages"] == 300 and store.stats()["passages"] == 300
    assert len(store.vector_ids()) == 300
    mission = docs[0].mission
    ids = store.filter_passage_ids(mission=mission)
    want = sum(len(d.passages) for d in docs if d.mission == mission)
    assert ids and len(ids) == want
    kind_ids = store.filter_passage_ids(kind="lesson")
    assert len(kind_ids) == sum(len(d.passages) for d in docs if d.kind == "lesson")
    hits = search(store, f"{mission} convoy", mode="keyword", mission=mission)["results"]
    assert hits and all(mission in h["title"] for h in hits)
