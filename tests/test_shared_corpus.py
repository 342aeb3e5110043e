"""End to end on the shared corpus: 2025 PDFs and their text exports, and the NASA lessons.

The ingest runs once per test session (a few minutes, the ``corpus_store`` fixture in
conftest.py); every test reads the same store.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg import views
from missiongraph.cli import cli

pytestmark = [pytest.mark.shared, pytest.mark.slow]

SEARCH_KEYS = {"rank", "score", "source", "symbol", "record", "paragraph", "page", "start", "end", "title", "kind",
               "text"}


def _cli(store, *args):
    result = CliRunner().invoke(cli, ["--store", store.url, *args])
    return result, (json.loads(result.stdout) if result.exit_code == 0 and "--json" in args else None)


def test_ingest_report(corpus_store):
    r = corpus_store.ingest_report
    assert r.documents > 1270 + 150, r.as_json()
    assert not r.errors, r.errors[:5]
    assert corpus_store.check() == []


def test_reingest_is_a_no_op(corpus_store, shared_dir, extractor, embedder):
    from ingest import ingest_paths

    before = corpus_store.stats()
    report = ingest_paths(corpus_store, [shared_dir / "corpus" / "unsc-2025" / "text"], extractor=extractor,
                          embedder=embedder)
    assert report.documents == 0 and report.unchanged >= 180
    assert corpus_store.stats() == before


def test_unmiss_renewal(corpus_store):
    result, res = _cli(corpus_store, "resolution", "2779", "--json")
    assert result.exit_code == 0, result.output
    assert res["symbol"] == "S/RES/2779 (2025)"
    assert "UNMISS" in res["missions"] and res["action"] == "extend"
    assert res["adopted"] == "2025-05-08"
    assert len(res["cites"]) >= 2 and all(c.startswith("S/RES/") for c in res["cites"])
    assert "S/RES/2779 (2025)" not in res["cites"]
    assert any(t["task"] == "protection_of_civilians" for t in res["tasks"])
    assert set(res) >= {"symbol", "adopted", "missions", "action", "chapter_vii", "mandate_until", "mandate_period",
                        "cites", "tasks"}
    assert len(res["documents"]) == 2  # the PDF and its text export merge under one symbol


def test_report_pursuant_to_resolution(corpus_store):
    result, doc = _cli(corpus_store, "document", "S/2025/403", "--json")
    assert result.exit_code == 0, result.output
    assert doc["kind"] == "sg_report" and doc["symbol"] == "S/2025/403"
    assert {"symbol": "S/RES/2765 (2024)", "paragraph": "49"} in doc["pursuant_to"]
    assert "MONUSCO" in doc["missions"]
    assert set(doc) >= {"source", "title", "symbol", "kind", "date", "missions", "pursuant_to", "armed_groups",
                        "locations", "reporting_period"}


def test_entity_with_aliases(corpus_store):
    result, ent = _cli(corpus_store, "entity", "MONUSCO", "--json")
    assert result.exit_code == 0, result.output
    assert ent["type"] == "Mission" and ent["mentions"] > 10
    assert any("Stabilization" in a for a in ent["aliases"])
    assert ent["related"] and set(ent["related"][0]) == {"id", "name", "type", "relation", "count"}


def test_mandate_timeline(corpus_store):
    result, m = _cli(corpus_store, "mandate", "UNMISS", "--json")
    assert result.exit_code == 0, result.output
    assert "S/RES/2779 (2025)" in [r["symbol"] for r in m["resolutions"]]
    dates = [r["adopted"] for r in m["resolutions"] if r["adopted"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("mode", ["hybrid", "vector", "keyword"])
def test_search_contract_and_provenance(corpus_store, mode):
    result, data = _cli(corpus_store, "search", "protection of civilians in South Sudan", "--mode", mode, "--json")
    assert result.exit_code == 0, result.output
    assert data["mode"] == mode and data["results"]
    for r in data["results"]:
        assert set(r) >= SEARCH_KEYS
        doc = corpus_store.find_documents(source=r["source"], limit=2000)
        text = next(d["text"] for d in doc if d["record"] == r["record"])
        assert r["start"] < r["end"] <= len(text)
    hashes = [corpus_store.passages_by_ids([r["passage_id"]])[0]["norm_hash"] for r in data["results"]]
    assert len(hashes) == len(set(hashes)), "identical passages must collapse"


def test_nasa_lesson_found_by_meaning(corpus_store):
    result, data = _cli(corpus_store, "search", "loose screws in a reworked inverter caused voltage swings",
                        "--mode", "vector", "--json")
    assert result.exit_code == 0
    hits = [(r["record"], r["kind"]) for r in data["results"][:3]]
    assert ("1", "lesson") in hits, hits
    assert data["results"][0]["source"].endswith("lessons.jsonl")


def test_pdf_passages_have_pages_and_paragraphs(corpus_store):
    docs = [d for d in corpus_store.find_documents(symbol="S/2025/403") if d["format"] == "pdf"]
    assert docs
    passages = corpus_store.document_passages(docs[0]["id"])
    assert {p["page"] for p in passages} >= {1, 2, 3}
    assert "1" in {p["paragraph"] for p in passages}
    for p in passages:
        assert "25-09041" not in p["text"]  # job numbers are page furniture


def test_filters(corpus_store):
    result, data = _cli(corpus_store, "search", "armed groups attacks", "--kind", "sg_report", "--mission", "MONUSCO",
                        "--json")
    assert result.exit_code == 0 and data["results"]
    assert all(r["kind"] == "sg_report" for r in data["results"])
    result, data = _cli(corpus_store, "search", "armed groups attacks", "--year", "2025", "--json")
    assert data["results"] and all(r["date"].startswith("2025") for r in data["results"])
    result, data = _cli(corpus_store, "search", "armed groups attacks", "--year", "1950", "--json")
    assert data["results"] == []  # no document in these corpora is dated 1950


def test_resolution_preamble_labels(corpus_store):
    docs = corpus_store.find_documents(symbol="S/RES/2779 (2025)")
    labels = [p["paragraph"] for d in docs for p in corpus_store.document_passages(d["id"])]
    assert "PP1" in labels and "1" in labels


def test_views_agree_with_cli(corpus_store):
    assert views.resolution_view(corpus_store, "S/RES/2779(2025)")["symbol"] == "S/RES/2779 (2025)"
