"""The web UI and JSON API on a store built once from ``corpus/sample``, via Flask's test client."""

from __future__ import annotations

import html
import json
import re

import pytest
from click.testing import CliRunner

from corpus import sample_dir
from search.engine import RESULT_KEYS as RESULT_KEYS_NOW
from webapp import create_app

SEARCH_KEYS = {"query", "mode", "results"}
RESULT_KEYS = {"rank", "score", "source", "symbol", "record", "paragraph", "page", "start", "end", "title", "kind",
               "text", "doc_id", "passage_id"}
RESOLUTION_KEYS = {"symbol", "adopted", "missions", "action", "chapter_vii", "mandate_until", "mandate_period",
                   "cites", "tasks"}
TASK_KEYS = {"task", "paragraph", "verb", "text"}
DOCUMENT_KEYS = {"source", "title", "symbol", "kind", "date", "missions", "pursuant_to", "armed_groups", "locations",
                 "reporting_period", "doc_id"}
ENTITY_KEYS = {"id", "name", "type", "aliases", "mentions", "related"}
RADIO_PASSAGE = "Contractor drivers did not have radios compatible with the escort"


@pytest.fixture(scope="session")
def app(sample_store, embedder):
    return create_app({"STORE": sample_store.url, "EMBEDDER": embedder, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


def _search(client, **params) -> dict:
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def _hit(client, query="convoy contractor drivers radios escort", **params) -> dict:
    hits = [h for h in _search(client, q=query, k=10, **params)["results"] if RADIO_PASSAGE in h["text"]]
    assert hits, f"the sample passage about radios is not among the results for {query!r}"
    return hits[0]


# -- the app --------------------------------------------------------------------------

def test_store_and_embedder_live_on_the_app(app, sample_store, embedder):
    state = app.extensions["missiongraph"]
    assert state.store_url == sample_store.url and state.embedder is embedder
    other = create_app({"STORE": sample_store.url})
    assert other.extensions["missiongraph"] is not state


# -- search ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["hybrid", "vector", "keyword"])
def test_search_page_shows_a_known_sample_passage(client, mode):
    r = client.get("/search", query_string={"q": "contractor drivers radios escort convoy", "mode": mode})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "did not have radios compatible with the escort" in re.sub(r"</?mark>", "", page)
    assert "aar_convoy_gao_kidal.md" in page


def test_search_page_marks_query_words_and_links_to_the_hit(client):
    hit = _hit(client, mode="keyword")
    page = client.get("/", query_string={"q": "contractor drivers radios", "mode": "keyword"}).get_data(as_text=True)
    assert "<mark>radios</mark>" in page
    assert f"/document/{hit['doc_id']}?hl={hit['passage_id']}#p{hit['passage_id']}" in page


def test_empty_query_shows_the_form(client):
    r = client.get("/")
    assert r.status_code == 200 and 'name="q"' in r.get_data(as_text=True)


def test_api_search_keys_match_the_contract(client):
    data = _search(client, q="protection of civilians", k=5)
    assert set(data) == SEARCH_KEYS and data["mode"] == "hybrid" and data["query"] == "protection of civilians"
    assert 0 < len(data["results"]) <= 5
    for rank, r in enumerate(data["results"], 1):
        assert RESULT_KEYS <= set(r) and set(r) == set(RESULT_KEYS_NOW) and r["rank"] == rank


def test_api_search_filters(client):
    data = _search(client, q="civilians", kind="resolution", mode="keyword")
    assert data["results"] and {r["kind"] for r in data["results"]} == {"resolution"}
    data = _search(client, q="civilians", year=2025, mode="keyword")
    assert data["results"] and all(r["symbol"] in ("S/RES/9002 (2025)", "S/2099/2") for r in data["results"])


def test_api_search_is_the_cli_search(client, sample_store):
    from missiongraph.cli import cli

    args = {"q": "IED convoy lessons", "k": "7", "mode": "keyword", "mission": "MINUSMA"}
    result = CliRunner().invoke(cli, ["--store", sample_store.url, "search", args["q"], "-k", args["k"],
                                      "--mode", args["mode"], "--mission", args["mission"], "--json"])
    assert result.exit_code == 0, result.output
    assert _search(client, **args) == json.loads(result.stdout)


def test_huge_query_is_a_400(client):
    r = client.get("/api/search", query_string={"q": "x" * 10_000})
    assert r.status_code == 400
    body = r.get_json()
    assert set(body) == {"error", "input"} and "characters" in body["error"]
    r = client.get("/search", query_string={"q": "x" * 10_000, "mode": "keyword"})
    assert r.status_code == 400 and "characters" in r.get_data(as_text=True)


@pytest.mark.parametrize("params", [{"q": "convoy", "k": "ten"}, {"q": "convoy", "year": "last"},
                                    {"q": "convoy", "mode": "psychic"}])
def test_bad_search_parameters_are_a_400(client, params):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400 and r.get_json()["error"]


# -- documents -----------------------------------------------------------------------

def test_document_page_highlights_the_hit(client):
    hit = _hit(client)
    r = client.get(f"/document/{hit['doc_id']}", query_string={"hl": hit["passage_id"]})
    page = r.get_data(as_text=True)
    assert r.status_code == 200
    assert f'<li id="p{hit["passage_id"]}" class="passage hit"' in page
    assert page.count('class="passage hit"') == 1
    marked = re.search(r'<mark class="passage-text">(.*?)</mark>', page, re.S)
    assert marked and html.unescape(marked.group(1)) == hit["text"]
    assert "After-action report: logistics convoy Gao to Kidal" in page


def test_document_page_without_highlight_and_unknown_id(client):
    hit = _hit(client)
    page = client.get(f"/document/{hit['doc_id']}").get_data(as_text=True)
    assert "passage hit" not in page and RADIO_PASSAGE in page
    r = client.get("/document/999999")
    assert r.status_code == 404 and "no document with id 999999" in r.get_data(as_text=True)


def test_api_document_by_symbol_and_by_path(client, sample_store):
    from kg import views

    data = client.get("/api/document/S/2099/1").get_json()
    assert DOCUMENT_KEYS <= set(data) and data == views.document_view(sample_store, "S/2099/1")
    assert data["kind"] == "sg_report" and data["symbol"] == "S/2099/1"
    path = str(sample_dir() / "S_2099_1.txt")
    by_path = client.get("/api/document/" + path.lstrip("/")).get_json()
    assert by_path["doc_id"] == data["doc_id"]


def test_report_page_links_the_resolution_it_answers(client):
    doc_id = client.get("/api/document/S/2099/1").get_json()["doc_id"]
    page = client.get(f"/document/{doc_id}").get_data(as_text=True)
    assert re.search(r'href="/resolution/S/RES/9001(%20| )(%28|\()2024(%29|\))"', page)


# -- entities ------------------------------------------------------------------------

def test_entity_page_and_api(client, sample_store):
    from kg import views

    data = client.get("/api/entity/UNMISS").get_json()
    assert ENTITY_KEYS <= set(data) and data == views.entity_view(sample_store, "UNMISS")
    assert data["type"] == "Mission" and data["mentions"] > 0
    r = client.get(f"/entity/{data['id']}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "UNMISS" in page
    assert re.search(r'href="/document/\d+\?hl=\d+#p\d+"', page), "mentions link to their passages"
    assert client.get("/entity/no-such-actor-anywhere").status_code == 404


# -- resolutions ---------------------------------------------------------------------

def test_resolution_page_and_api(client, sample_store):
    from kg import views

    r = client.get("/api/resolution/S/RES/9002 (2025)")
    data = r.get_json()
    assert r.status_code == 200 and RESOLUTION_KEYS <= set(data)
    assert data == views.resolution_view(sample_store, "9002 (2025)")
    assert data["tasks"] and all(TASK_KEYS <= set(t) for t in data["tasks"])
    assert data["chapter_vii"] is True and data["mandate_until"] == "2026-04-30"
    assert "S/RES/9001 (2024)" in data["cites"]
    page = client.get("/resolution/S/RES/9002 (2025)").get_data(as_text=True)
    assert "protection of civilians" in page and "2026-04-30" in page
    assert re.search(r'href="/resolution/S/RES/9001(%20| )(%28|\()2024(%29|\))"', page), "cites are links"


def test_unknown_resolution_is_a_404_with_a_json_body(client):
    r = client.get("/api/resolution/S/RES/9999 (2031)")
    assert r.status_code == 404
    assert r.get_json() == {"error": "resolution S/RES/9999 (2031) is not in the store", "input": "S/RES/9999 (2031)"}
    r = client.get("/resolution/S/RES/9999 (2031)")
    assert r.status_code == 404 and "is not in the store" in r.get_data(as_text=True)


def test_not_a_symbol_is_a_400(client):
    r = client.get("/api/resolution/not-a-symbol")
    assert r.status_code == 400 and r.get_json()["input"] == "not-a-symbol"


def test_unknown_api_route_is_json(client):
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and set(r.get_json()) == {"error", "input"}


# -- mandate and stats ---------------------------------------------------------------

def test_api_mandate_and_stats(client, sample_store):
    from kg import views

    mandate = client.get("/api/mandate/UNMISS").get_json()
    assert mandate == views.mandate_view(sample_store, "UNMISS")
    assert [r["symbol"] for r in mandate["resolutions"]][:2] == ["S/RES/9001 (2024)", "S/RES/9002 (2025)"]
    stats = client.get("/api/stats").get_json()
    assert stats["documents"] >= 8 and stats["resolutions"] >= 3
    assert client.get("/api/mandate/NOSUCHMISSION").status_code == 404


# -- escaping ------------------------------------------------------------------------

def test_markup_in_documents_is_escaped(store, embedder):
    """A title or passage holding markup shows as text, never as live HTML."""
    from kg.model import DocumentBundle, DocumentRecord, PassageRecord

    title = "<script>alert('pwned')</script> Convoy report"
    text = "Convoy <b>escort</b> & <img src=x onerror=alert(1)> notes on route clearance."
    doc = DocumentRecord(source="/tmp/evil.md", sha256="0" * 64, format="md", text=text, title=title, kind="other")
    [doc_id] = store.replace_file("/tmp/evil.md", "0" * 64, len(text),
                                  [DocumentBundle(document=doc, passages=[PassageRecord(0, text, 0, len(text), "h")])])
    client = create_app({"STORE": store.url, "EMBEDDER": embedder, "TESTING": True}).test_client()
    pid = store.document_passages(doc_id)[0]["id"]
    pages = [client.get(f"/document/{doc_id}", query_string={"hl": pid}).get_data(as_text=True),
             client.get("/search", query_string={"q": "convoy escort route", "mode": "keyword"}).get_data(as_text=True)]
    for page in pages:
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>escort</b>" not in page
        assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt; Convoy report" in page
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
    bad = client.get("/entity/<script>x</script>").get_data(as_text=True)
    assert "<script>x</script>" not in bad


def test_mission_page_timeline_and_clause_history(client):
    page = client.get("/mission/UNMISS")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "S/RES/9001 (2024)" in html and "S/RES/9002 (2025)" in html
    assert 'class="change-new"' in html and "/clause/" in html
    changed = client.get("/api/mandate/UNMISS").get_json()["resolutions"][1]["tasks"]
    later = next(t for t in changed if t["change"] != "new")
    clause = client.get(f"/clause/{later['clause_id']}")
    assert clause.status_code == 200 and "S/RES/9001 (2024)" in clause.get_data(as_text=True)
    data = client.get(f"/api/clause/{later['clause_id']}").get_json()
    assert [v["symbol"] for c in data["history"] for v in c["versions"] if c["task"] == later["task"]][:2] == \
        ["S/RES/9001 (2024)", "S/RES/9002 (2025)"]


def test_mandate_api_as_of_and_bad_date(client):
    on = client.get("/api/mandate/UNMISS", query_string={"as_of": "2025-06-01"}).get_json()
    assert on["in_force"]["resolution"] == "S/RES/9002 (2025)"
    assert client.get("/api/mandate/UNMISS", query_string={"as_of": "2023-01-01"}).get_json()["in_force"] is None
    bad = client.get("/api/mandate/UNMISS", query_string={"as_of": "soon"})
    assert bad.status_code == 400 and bad.get_json()["input"] == "soon"
    assert client.get("/api/clause/S/RES/1 (1946) OP 1").status_code == 404


def test_report_incidents_link_to_the_clauses_in_force(client, sample_store):
    doc = next(d for d in sample_store.find_documents() if d["source"].endswith("S_2099_1.txt"))
    html = client.get(f"/document/{doc['id']}").get_data(as_text=True)
    assert "Mandate in force" in html and "/clause/S/RES/9001%20(2024)%20OP%203" in html


# -- facets and why on the search page and the API -----------------------------------

def test_search_page_escapes_a_hostile_query_and_marks_matched_words(client):
    hostile = '<script>alert("x")</script> <b>radios</b> contractor drivers'
    page = client.get("/search", query_string={"q": hostile, "mode": "keyword"}).get_data(as_text=True)
    assert "<script>alert" not in page and "<b>radios</b>" not in page
    assert "&lt;script&gt;alert(" in page
    assert "<mark>radios</mark>" in page and "matched: " in page
    assert 'href="/entity/' in page or "names:" not in page


def test_search_page_facet_links_add_a_filter(client):
    page = client.get("/search", query_string={"q": "convoy escort", "mode": "keyword"}).get_data(as_text=True)
    assert '<aside class="facets"' in page and "<h3>country</h3>" in page
    links = re.findall(r'href="(/search\?[^"]*country=Mali[^"]*)"', page)
    assert links, "no facet link for the country Mali"
    narrowed = client.get(html.unescape(links[0])).get_data(as_text=True)
    assert 'value="Mali"' in narrowed and 'title="remove this filter"' in narrowed


def test_api_search_facets_are_the_cli_facets(client, sample_store):
    from missiongraph.cli import cli

    args = {"q": "civilians protection", "k": "5", "mode": "keyword", "task": "protection_of_civilians",
            "country": "South Sudan"}
    result = CliRunner().invoke(cli, ["--store", sample_store.url, "search", args["q"], "-k", args["k"], "--mode",
                                      args["mode"], "--task", args["task"], "--country", args["country"], "--facets",
                                      "--json"])
    assert result.exit_code == 0, result.output
    data = _search(client, facets="1", **args)
    assert data == json.loads(result.stdout)
    assert set(data) == SEARCH_KEYS | {"facets", "facet_pool"} and data["results"]
    assert data["facets"]["task"][0]["value"] == "protection_of_civilians"
    assert "facets" not in _search(client, facets="0", **args)


@pytest.mark.parametrize("params", [{"q": "convoy", "task": "peacekeeping"}, {"q": "convoy", "facets": "maybe"},
                                    {"q": "convoy", "facets": "1", "year": "MMXXV"}])
def test_bad_facet_parameters_are_a_400(client, params):
    r = client.get("/api/search", query_string=params)
    assert r.status_code == 400 and set(r.get_json()) == {"error", "input"}
    page = client.get("/search", query_string=params)
    assert page.status_code == 400


def test_mark_spans_clips_what_it_is_given():
    from webapp.text import mark_spans

    assert mark_spans("convoy radios", [[7, 13], [0, 6]]) == [("convoy", True), (" ", False), ("radios", True)]
    assert mark_spans("abcd", [[1, 99], [0, 2], [-5, 1]]) == [("abcd", True)]      # clipped and merged
    assert mark_spans("abcd", [[2, 1], [1, 2]]) == [("a", False), ("b", True), ("cd", False)]
    assert mark_spans("", []) == [("", False)]
