"""Ingest embeds several files in one call: every passage still gets its own text's vector, and a
bad file inside a group is reported alone while the rest of the group is stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import ingest_paths
from kg import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    good = sorted(p for p in SAMPLE.iterdir() if p.suffix in (".txt", ".md"))[:4]
    bad = tmp_path_factory.mktemp("bad") / "broken.jsonl"
    bad.write_text('{"id": 1, "text": "fine"}\n{not json\n')
    return [*good[:2], bad, *good[2:]]


@pytest.mark.parametrize("workers", [0, 1])
def test_grouped_embedding_matches_each_text_alone(tmp_path, files, extractor, embedder, workers):
    with open_store(str(tmp_path / "store")) as store:
        report = ingest_paths(store, files, extractor=extractor, embedder=embedder, workers=workers)
        assert [Path(e["path"]).name for e in report.errors] == ["broken.jsonl"]
        assert "line 2" in report.errors[0]["error"]
        assert report.files == 4 and store.stats()["documents"] == 4
        ids = store.vector_ids()
        assert len(ids) == store.stats()["passages"] > 20
        stored = np.asarray(store.get_vectors(ids), dtype=np.float32)
        texts = {p["id"]: p["text"] for p in store.passages_by_ids(ids)}
        own = embedder.for_store(store)  # the encoder that wrote this new store: int8 by default
        alone = np.stack([own.encode([texts[i]])[0] for i in ids])
        cosines = np.sum(stored * alone, axis=1)
        assert cosines.min() > 0.999, cosines.min()
        assert store.check() == []


def test_worker_count_follows_the_cores_and_the_setting(monkeypatch):
    from ingest.pipeline import default_workers, resolve_workers
    from missiongraph.errors import ConfigError

    assert [default_workers(c) for c in (1, 2, 3, 6, 16)] == [0, 1, 1, 2, 5]
    assert resolve_workers(3) == 3 and resolve_workers(0) == 0
    monkeypatch.setenv("MISSIONGRAPH_WORKERS", "2")
    assert resolve_workers(None) == 2
    monkeypatch.setenv("MISSIONGRAPH_WORKERS", "auto")
    assert resolve_workers(None) == default_workers()
    monkeypatch.setenv("MISSIONGRAPH_WORKERS", "many")
    with pytest.raises(ConfigError, match="MISSIONGRAPH_WORKERS"):
        resolve_workers(None)
