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
