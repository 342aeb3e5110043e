"""Graph-aware boosts (search/boosts.py) on the sample corpus: real spaCy extraction, a real store.

corpus/sample holds a Secretary-General report on South Sudan (S/2099/1), resolutions on UNMISS
and after-action reports from Mali, so "South Sudan" in a query should link the report's
passages and not the Mali ones.
"""

from __future__ import annotations

import pytest

from search import boosts, search
from search.engine import RRF_K, RRF_WEIGHTS
from search.fusion import rrf


def _doc_passages(store, name: str) -> set[int]:
    docs = [d for d in store.find_documents(limit=1000) if str(d.get("source", "")).endswith(name)]
    assert docs, f"{name} is not in the sample store"
    return {p["id"] for d in docs for p in store.document_passages(d["id"])}


def test_query_entities_takes_the_longest_name_and_ignores_plain_words(sample_store):
    ids = [e["id"] for e in boosts.query_entities(sample_store, "civilians sheltering in South Sudan")]
    assert "state:south-sudan" in ids
    assert "state:sudan" not in ids  # "Sudan" is inside the longer name, not a second actor
    assert boosts.query_entities(sample_store, "keeping supply convoys safe") == []
    assert boosts.query_entities(sample_store, "south sudan") == []  # not written as a name


def test_a_country_stands_for_its_missions_too(sample_store):
    ids = boosts.actor_ids(sample_store, boosts.query_entities(sample_store, "elections in South Sudan"))
    assert {"state:south-sudan", "mission:unmiss"} <= ids
    assert "mission:minusma" not in ids


def test_linked_passages_are_those_of_documents_about_the_actor(sample_store):
    report = _doc_passages(sample_store, "S_2099_1.txt")   # CONCERNS UNMISS
    mali = _doc_passages(sample_store, "aar_convoy_gao_kidal.md")
    got = boosts.linked(sample_store, {"state:south-sudan", "mission:unmiss"}, report | mali)
    assert got == report
    assert boosts.linked(sample_store, {"mission:minusma"}, report | mali) == mali
    assert boosts.linked(sample_store, [], report) == set()


def test_graph_list_reranks_candidates_only(sample_store):
    text = "attacks on civilians in South Sudan"
    lists = [sample_store.keyword_search(text, 50), sample_store.keyword_search("convoy ambush Gao", 50)]
    out, weights = boosts.with_graph_list(sample_store, text, lists, RRF_K, RRF_WEIGHTS)
    assert len(out) == 3 and out[:2] == lists
    assert weights == (*RRF_WEIGHTS, boosts.GRAPH_WEIGHT)
    base = [pid for pid, _ in rrf(lists, k=RRF_K, weights=RRF_WEIGHTS)]
    graph = [pid for pid, _ in out[2]]
    assert graph and set(graph) <= set(base)
    assert graph == [pid for pid in base if pid in set(graph)]  # the base order is kept
    assert set(graph) == boosts.linked(sample_store, {"state:south-sudan", "mission:unmiss"}, base)


def test_a_query_naming_nothing_ranks_as_before(sample_store):
    lists = [sample_store.keyword_search("convoy ambush", 50), sample_store.keyword_search("road", 50)]
    out, weights = boosts.with_graph_list(sample_store, "convoy ambush on the road", lists, RRF_K, RRF_WEIGHTS)
    assert out is lists and weights == RRF_WEIGHTS


def _linked_in_top(store, embedder, text: str, k: int) -> int:
    results = search(store, text, k=k, embedder=embedder)["results"]
    about = boosts.actor_ids(store, boosts.query_entities(store, text))
    return len(boosts.linked(store, about, [r["passage_id"] for r in results]))


def test_hybrid_search_lifts_passages_about_the_named_country(sample_store, embedder, monkeypatch):
    text = "convoy ambushed on the road, South Sudan"
    monkeypatch.setattr(boosts, "GRAPH_WEIGHT", 0.0)
    before = _linked_in_top(sample_store, embedder, text, 5)
    monkeypatch.setattr(boosts, "GRAPH_WEIGHT", 2.0)
    after = _linked_in_top(sample_store, embedder, text, 5)
    assert after > before, (before, after)
