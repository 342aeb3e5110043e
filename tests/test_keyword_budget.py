"""Keyword search keeps its cost bounded on large stores (kg/sqlite_keyword.py), shown here on
a small real store with the row budget turned down so every path is taken."""

from __future__ import annotations

import numpy as np
import pytest

from corpus.scale import SentencePool, iter_documents
from corpus.scale_store import write_documents
from kg import sqlite_keyword
from kg.sqlite_store import fts_query


@pytest.fixture()
def scale_store(store):
    pool = SentencePool(per_group=8, seed=1)
    vecs = np.random.default_rng(0).standard_normal((len(pool), 8)).astype(np.float32)
    store.set_vector_meta("fake-model", 8)
    write_documents(store, pool, vecs, iter_documents(pool, 600, seed=2), label="kw", docs_per_file=20)
    return store


def plain_or(store, query: str, k: int) -> list[tuple[int, float]]:
    sql = sqlite_keyword._SQL + " ORDER BY s DESC LIMIT ?"
    return [(r[0], r[1]) for r in store.db.execute(sql, (fts_query(query), k))]


def test_within_budget_the_ranking_is_plain_bm25(scale_store):
    for q in ("convoy attacked near Gao", "the mandate of the mission", "Observation: spare parts"):
        assert scale_store.keyword_search(q, 20) == plain_or(scale_store, q, 20)


def test_over_budget_rows_with_every_word_come_first(scale_store, monkeypatch):
    monkeypatch.setattr(sqlite_keyword, "BUDGET", 30)
    monkeypatch.setattr(sqlite_keyword, "EXACT_ROWS", 100)
    q = "convoy held up at an illegal checkpoint"
    hits = scale_store.keyword_search(q, 10)
    assert len(hits) == 10
    words = ("convoy", "held", "illegal", "checkpoint")
    texts = {p["id"]: p["text"].lower() for p in scale_store.passages_by_ids([h for h, _ in hits])}
    assert all(all(w in texts[h] for w in words) for h, _ in hits[:5])
    # "the"-like words are dropped over budget: a query of them alone still answers
    assert scale_store.keyword_search("the of to", 5)


def test_over_budget_filters_still_find_their_rows(scale_store, monkeypatch):
    monkeypatch.setattr(sqlite_keyword, "BUDGET", 30)
    monkeypatch.setattr(sqlite_keyword, "EXACT_ROWS", 100)
    allowed = scale_store.filter_passage_ids(kind="lesson")
    hits = scale_store.keyword_search("recommendation convoy routes", 10, allowed)
    assert hits and {h for h, _ in hits} <= allowed
    unfiltered_lessons = [h for h, _ in plain_or(scale_store, "recommendation convoy routes", 10_000) if h in allowed]
    assert len(hits) == min(10, len(unfiltered_lessons))


def test_a_small_store_is_always_ranked_exactly(scale_store, monkeypatch):
    monkeypatch.setattr(sqlite_keyword, "BUDGET", 30)   # over budget, but the store is small
    q = "what went wrong with the convoy to the base"
    assert scale_store.keyword_search(q, 20) == plain_or(scale_store, q, 20)
