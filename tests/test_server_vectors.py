"""The graph server's own vector index (``vector_index = server``) against exact cosine search.

Runs on the session's Bolt server (FalkorDB by default, Neo4j with MISSIONGRAPH_TEST_NEO4J_URI).
"""

from __future__ import annotations

import numpy as np
import pytest

from kg import DocumentBundle, DocumentRecord, PassageRecord, open_store
from missiongraph.errors import ConfigError
from search.engine import search

DIM = 16
WORDS = ("convoy escort route patrol river bridge clinic election ballot curfew checkpoint airstrip "
         "ceasefire monitor militia camp").split()


def _bundles(rng, docs: int = 6, per_doc: int = 8, dim: int = DIM) -> list[tuple[str, DocumentBundle]]:
    out = []
    for d in range(docs):
        sents = [" ".join(rng.choice(WORDS, size=6)) + "." for _ in range(per_doc)]
        text = " ".join(sents)
        b = DocumentBundle(DocumentRecord(source=f"/data/report-{d}.txt", sha256=f"sha{d}", format="txt", text=text,
                                          title=f"Report {d}", kind="after_action", date="2025-03-01"))
        pos = 0
        for n, s in enumerate(sents):
            b.passages.append(PassageRecord(n, s, pos, pos + len(s), f"h{d}-{n}"))
            pos += len(s) + 1
        v = rng.normal(size=(per_doc, dim)).astype(np.float32)
        b.vectors = v / np.linalg.norm(v, axis=1, keepdims=True)
        out.append((b.document.source, b))
    return out


@pytest.fixture(scope="module")
def server_store(bolt_server, tmp_path_factory):
    from kg.bolt import BoltStore

    s = BoltStore(bolt_server, index_dir=tmp_path_factory.mktemp("bolt-vec-cache"))
    yield s
    s.conn.write("MATCH (n) DETACH DELETE n")
    s.close()


def _fill(store, bundles, model: str = "test-model", dim: int = DIM) -> None:
    store.conn.write("MATCH (n) DETACH DELETE n")
    store._migrate()
    store.set_vector_meta(model, dim)
    for path, b in bundles:
        store.replace_file(path, b.document.sha256, len(b.document.text), [b])


def _exact(store, vec, k, allowed=None):
    ids = store.vector_ids()
    if allowed is not None:
        ids = [i for i in ids if i in allowed]
    sims = store.get_vectors(ids) @ vec
    order = np.argsort(-sims)[:k]
    return [(ids[i], float(sims[i])) for i in order]


def test_server_index_agrees_with_exact_search(server_store):
    rng = np.random.default_rng(7)
    _fill(server_store, _bundles(rng))
    for _ in range(5):
        q = rng.normal(size=DIM).astype(np.float32)
        q /= np.linalg.norm(q)
        got = server_store.server_vector_search(q, 5)
        want = _exact(server_store, q, 5)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=2e-3)  # the query's 1e-4 rounding


def test_server_index_respects_filters_and_removals(server_store):
    rng = np.random.default_rng(11)
    bundles = _bundles(rng)
    _fill(server_store, bundles)
    q = rng.normal(size=DIM).astype(np.float32)
    q /= np.linalg.norm(q)
    allowed = set(server_store.vector_ids()[::5])
    got = server_store.server_vector_search(q, 4, allowed)
    assert [i for i, _ in got] == [i for i, _ in _exact(server_store, q, 4, allowed)]
    assert server_store.server_vector_search(q, 4, set()) == []

    server_store.remove_file(bundles[0][0])
    left = set(server_store.vector_ids())
    got = server_store.server_vector_search(q, 60)
    assert {i for i, _ in got} == left  # every remaining passage, none of the removed file's


def test_embedded_store_has_no_server_index(tmp_path, monkeypatch):
    with open_store(str(tmp_path / "s")) as s:
        assert s.server_vector_search(np.zeros(DIM, dtype=np.float32), 3) is None
        s.set_vector_meta("test-model", DIM)
        b = _bundles(np.random.default_rng(1), docs=1)[0][1]
        s.replace_file("/data/one.txt", "x", 1, [b])
        monkeypatch.setenv("MISSIONGRAPH_VECTOR_INDEX", "server")
        with pytest.raises(ConfigError, match="no server vector index"):
            search(s, "convoy escort", mode="vector", embedder=_FixedEmbedder())
        monkeypatch.setenv("MISSIONGRAPH_VECTOR_INDEX", "hnsw")
        with pytest.raises(ConfigError, match="unknown vector_index 'hnsw'"):
            search(s, "convoy escort", mode="vector", embedder=_FixedEmbedder())


class _FixedEmbedder:
    """Only for the configuration checks above, which fail before any vector is compared."""

    name, dim = "test-model", DIM

    def encode(self, texts):
        return np.ones((len(texts), DIM), dtype=np.float32) / np.sqrt(DIM)


def test_search_through_the_server_index_matches_faiss(server_store, embedder, monkeypatch):
    texts = ["Convoys waited at the bridge until engineers cleared the route of explosive devices.",
             "The clinic in the camp ran out of vaccines after the rains cut the road.",
             "Polling stations opened late because ballot papers arrived by helicopter.",
             "Patrols along the buffer zone reported shots fired near the observation post."]
    server_store.conn.write("MATCH (n) DETACH DELETE n")
    server_store._migrate()
    server_store.set_vector_meta(embedder.name, embedder.dim)
    for n, t in enumerate(texts):
        b = DocumentBundle(DocumentRecord(source=f"/data/note-{n}.txt", sha256=f"n{n}", format="txt", text=t,
                                          title=f"Note {n}", kind="after_action"))
        b.passages = [PassageRecord(0, t, 0, len(t), f"t{n}")]
        b.vectors = embedder.encode([t])
        server_store.replace_file(b.document.source, b.document.sha256, len(t), [b])
    query = "roadside bombs delaying supply convoys"
    monkeypatch.setenv("MISSIONGRAPH_VECTOR_INDEX", "faiss")
    by_faiss = search(server_store, query, k=4, mode="vector", embedder=embedder)["results"]
    monkeypatch.setenv("MISSIONGRAPH_VECTOR_INDEX", "server")
    by_server = search(server_store, query, k=4, mode="vector", embedder=embedder)["results"]
    assert [r["source"] for r in by_server] == [r["source"] for r in by_faiss]
    assert by_server[0]["source"] == "/data/note-0.txt"
    assert np.allclose([r["score"] for r in by_server], [r["score"] for r in by_faiss], atol=2e-3)
