"""Facet filters, facet counts and the ``why`` of each hit, on ``corpus/sample`` ingested with the
real extractor and embedder (the session's ``sample_store``), plus the CLI options."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from missiongraph.stopwords import STOPWORDS
from missiongraph.errors import InputError
from search import search
from search.facets import FACETS, passage_values

RADIO_PASSAGE = "Contractor drivers did not have radios compatible with the escort"


def values_of(store, pid: int) -> dict:
    return passage_values(store.passage_links([pid])[pid])


def test_each_filter_keeps_only_passages_with_that_value(sample_store, embedder):
    cases = {"country": "South Sudan", "task": "protection_of_civilians", "topic": "CONVOY protection",
             "mission": "MINUSMA"}
    for name, value in cases.items():
        answer = search(sample_store, "convoy civilians protection mandate", k=20, embedder=embedder, **{name: value})
        assert answer["results"], name
        for r in answer["results"]:
            have = [str(v).lower() for v in values_of(sample_store, r["passage_id"])[name]]
            assert value.lower() in have, (name, r["text"][:80])
    topical = search(sample_store, "convoy", k=20, mode="keyword", topic="convoy protection")["results"]
    assert {r["kind"] for r in topical} == {"lesson"}
    assert all(sample_store.get_document(r["doc_id"])["meta"]["topic"] == "convoy protection" for r in topical)


def test_country_covers_the_missions_deployed_there(sample_store):
    """The report on MONUSCO concerns the DRC even where a paragraph names only the mission."""
    hits = search(sample_store, "MONUSCO", k=50, mode="keyword", country="Democratic Republic of the Congo")["results"]
    states = [e["id"] for r in hits for e in sample_store.passage_links([r["passage_id"]])[r["passage_id"]]["entities"]
              if e["type"] == "State"]
    assert hits and len(states) < len(hits)     # some hits name no State at all: they come in by their mission
    assert search(sample_store, "MONUSCO", mode="keyword", country="Narnia")["results"] == []


def test_filters_combine_with_and(sample_store):
    mali = search(sample_store, "convoy", k=50, mode="keyword", country="Mali")["results"]
    assert mali and {r["kind"] for r in mali} >= {"after_action"}
    both = search(sample_store, "convoy", k=50, mode="keyword", country="Mali", kind="after_action")["results"]
    assert both and {r["passage_id"] for r in both} <= {r["passage_id"] for r in mali}
    assert {r["kind"] for r in both} == {"after_action"}
    assert search(sample_store, "convoy", mode="keyword", country="Mali", kind="resolution")["results"] == []
    assert search(sample_store, "civilians", mode="keyword", task="protection_of_civilians", year=2025,
                  mission="UNMISS")["results"]
    assert search(sample_store, "civilians", mode="keyword", task="protection_of_civilians", year=2023)["results"] == []


def test_facet_counts_match_the_filters(sample_store, embedder):
    """Filtering by any counted value leaves a pool in which every passage has that value."""
    answer = search(sample_store, "convoy escort civilians lessons", k=5, embedder=embedder, facets=True)
    plain = search(sample_store, "convoy escort civilians lessons", k=5, embedder=embedder)
    assert answer["results"] == plain["results"]                     # counting never changes the results
    pool, facets = answer["facet_pool"], answer["facets"]
    assert list(facets) == list(FACETS) and len(answer["results"]) <= pool <= 100
    assert sum(v["count"] for v in facets["kind"]) == pool           # one kind per passage
    for name, values in facets.items():
        counts = [v["count"] for v in values]
        assert counts == sorted(counts, reverse=True) and all(0 < c <= pool for c in counts), name
    for name in FACETS:
        assert facets[name], f"no {name} counted"
        top = facets[name][0]["value"]
        narrowed = search(sample_store, "convoy escort civilians lessons", k=5, mode="keyword", facets=True,
                          **{name: top})
        assert narrowed["facet_pool"] > 0
        assert narrowed["facets"][name][0] == {"value": top, "count": narrowed["facet_pool"]}, name
    assert "facets" not in search(sample_store, "convoy", mode="keyword")


@pytest.mark.parametrize("mode", ["keyword", "vector", "hybrid"])
def test_why_terms_occur_in_the_passage(sample_store, embedder, mode):
    query = "The contractor drivers and their radios, UNMISS and Gao"
    answer = search(sample_store, query, k=10, mode=mode, embedder=embedder)
    assert answer["results"]
    for r in answer["results"]:
        why = r["why"]
        assert set(why) >= {"matched_terms", "entities", "modes"}
        assert not set(why["matched_terms"]) & STOPWORDS
        words = [r["text"][s:e].lower() for s, e in why["spans"]]
        assert len(words) >= len(why["matched_terms"])
        for term in why["matched_terms"]:          # each matched term is a word of the text (stemmed alike)
            assert term in query.lower() and any(w[:4] == term[:4] for w in words), (term, words)
        for e in why["entities"]:
            assert sample_store.get_entity(e["id"])["name"] == e["name"]
        assert set(why["modes"]) == {"keyword", "vector"}
        if mode != "hybrid":
            assert why["modes"][mode] == r["rank"]
            assert why["modes"]["vector" if mode == "keyword" else "keyword"] is None
    radio = next((r for r in answer["results"] if RADIO_PASSAGE in r["text"]), None)
    assert radio is not None or mode != "keyword"
    if radio is not None:
        assert {"contractor", "drivers", "radios"} <= set(radio["why"]["matched_terms"])


def test_why_puts_the_actors_the_query_names_first(sample_store):
    hits = search(sample_store, "UNMISS protect civilians in juba", k=30, mode="keyword")["results"]
    naming = [r["why"]["entities"] for r in hits if len(r["why"]["entities"]) > 1
              and "mission:unmiss" in [e["id"] for e in r["why"]["entities"]]]
    assert naming
    for entities in naming:
        flags = [e["in_query"] for e in entities]
        assert flags == sorted(flags, reverse=True)                 # the named ones first
        assert {e["id"] for e in entities if e["in_query"]} <= {"mission:unmiss", "location:juba"}
        assert next(e for e in entities if e["id"] == "mission:unmiss")["in_query"]


@pytest.mark.parametrize("bad, fragment", [
    ({"task": "peacekeeping"}, "unknown task"),
    ({"country": ["Mali"]}, "country must be text"),
    ({"topic": 5}, "topic must be text"),
    ({"kind": {"a": 1}}, "kind must be text"),
    ({"facets": "yes"}, "facets must be true or false"),
])
def test_bad_facet_input_is_an_input_error(sample_store, bad, fragment):
    with pytest.raises(InputError, match=fragment):
        search(sample_store, "convoy", mode="keyword", **bad)


def test_cli_search_options(sample_store):
    from missiongraph.cli import cli

    run = lambda *a: CliRunner().invoke(cli, ["--store", sample_store.url, "search", *a])  # noqa: E731
    args = ["convoy radios", "-k", "4", "--mode", "keyword", "--topic", "contractor communication"]
    r = run(*args, "--facets", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["results"] and data == search(sample_store, "convoy radios", k=4, mode="keyword",
                                              topic="contractor communication", facets=True)
    text = run(*args, "--facets").output
    assert "why: matched: " in text and "Facets (over the best" in text and "topic: contractor communication (" in text
    mali = json.loads(run("convoy", "--mode", "keyword", "--country", "Mali", "--task", "demining", "--json").stdout)
    assert mali == search(sample_store, "convoy", mode="keyword", country="Mali", task="demining")
    bad = run("civilians", "--task", "peacekeeping")
    assert bad.exit_code == 2 and "peacekeeping" in bad.output
