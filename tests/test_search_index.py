"""The FAISS cache beside the store: sync, save, reload, rebuild.  Small fake vectors, no model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg import DocumentBundle, DocumentRecord, PassageRecord, open_store
from search import VectorIndex, index_store
from search.index import CONFIG_FILE, INDEX_FILE

DIM = 8


def unit(seed: int, n: int = 1) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def bundle(source: str, texts: list[str], vectors: np.ndarray) -> DocumentBundle:
    text = "\n\n".join(texts)
    b = DocumentBundle(DocumentRecord(source=source, sha256="x", format="txt", text=text, title=source))
    pos = 0
    for i, t in enumerate(texts):
        b.passages.append(PassageRecord(i, t, pos, pos + len(t), f"{source}#{i}"))
        pos += len(t) + 2
    b.vectors = vectors
    return b


def add(store, source: str, seed: int, n: int = 3) -> tuple[list[int], np.ndarray]:
    vecs = unit(seed, n)
    store.set_vector_meta("fake-model", DIM)
    [doc_id] = store.replace_file(source, str(seed), 1, [bundle(source, [f"{source} passage {i}" for i in range(n)], vecs)])
    return [p["id"] for p in store.document_passages(doc_id)], vecs


def test_sync_search_save_and_reload(store):
    ids, vecs = add(store, "/a.txt", 1)
    idx = VectorIndex.load_or_create(store, "fake-model", DIM)
    assert idx.ids == set(ids) and len(idx) == 3
    hits = idx.search(vecs[1], 2)
    assert hits[0][0] == ids[1] and hits[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(hits) == 2

    idx.save()
    config = json.loads((store.index_dir / CONFIG_FILE).read_text())
    assert config == {"model": "fake-model", "dim": DIM, "count": 3, "version": 1, "metric": "inner_product",
                      "type": "flat"}
    assert not list(store.index_dir.glob("*.tmp"))

    again = VectorIndex.load(store.index_dir)  # from its own config, no flags
    assert (again.model, again.dim, again.ids) == ("fake-model", DIM, set(ids))
    assert again.search(vecs[1], 1) == hits[:1]
    assert again.sync(store) == 0


def test_search_with_allowed_ids(store):
    ids, vecs = add(store, "/a.txt", 1, n=5)
    idx = VectorIndex.load_or_create(store)
    hits = idx.search(vecs[0], 10, allowed={ids[2], ids[4], 999999})
    assert {h[0] for h in hits} == {ids[2], ids[4]}
    assert idx.search(vecs[0], 10, allowed=set()) == []
    assert idx.search(vecs[0], 10, allowed={999999}) == []
    assert len(idx.search(vecs[0], 1, allowed=set(ids))) == 1
    assert [h[0] for h in idx.search(vecs[3], 1, allowed=set(ids))] == [ids[3]]


def test_sync_removes_vectors_of_a_replaced_document(store):
    old_ids, _ = add(store, "/a.txt", 1)
    keep_ids, _ = add(store, "/b.txt", 2)
    idx = index_store(store)
    assert idx.ids == set(old_ids + keep_ids)
    new_ids, new_vecs = add(store, "/a.txt", 3)  # same file, new content
    assert not set(new_ids) & set(old_ids)
    idx = index_store(store)
    assert idx.ids == set(new_ids + keep_ids) == set(store.vector_ids())
    assert idx.search(new_vecs[0], 1)[0][0] == new_ids[0]
    assert VectorIndex.load(store.index_dir).ids == idx.ids  # saved
    store.remove_file("/b.txt")
    assert index_store(store).ids == set(new_ids)


def test_another_process_adds_vectors(tmp_path):
    """Two store objects on one folder stand for the web app and a CLI ingest."""
    path = str(tmp_path / "shared-store")
    web, cli = open_store(path), open_store(path)
    try:
        a_ids, _ = add(cli, "/a.txt", 1)
        index_store(cli)
        idx = VectorIndex.load_or_create(web)
        assert idx.ids == set(a_ids)
        b_ids, b_vecs = add(cli, "/b.txt", 2)
        index_store(cli)
        assert idx.sync(web) == len(b_ids)
        assert idx.search(b_vecs[2], 1)[0][0] == b_ids[2]
    finally:
        web.close()
        cli.close()


def test_damaged_cache_is_rebuilt(store):
    ids, vecs = add(store, "/a.txt", 1)
    VectorIndex.load_or_create(store).save()
    (store.index_dir / INDEX_FILE).write_bytes(b"not a faiss index")
    assert VectorIndex.load(store.index_dir) is None
    idx = VectorIndex.load_or_create(store)
    assert idx.ids == set(ids) and idx.search(vecs[0], 1)[0][0] == ids[0]


def test_model_or_dimension_change_rebuilds(store):
    add(store, "/a.txt", 1)
    VectorIndex.load_or_create(store).save()
    config_path = store.index_dir / CONFIG_FILE
    config = json.loads(config_path.read_text())
    config["model"] = "older-model"
    config_path.write_text(json.dumps(config))
    assert VectorIndex.load(store.index_dir).model == "older-model"
    idx = VectorIndex.load_or_create(store)
    assert idx.model == "fake-model" and len(idx) == 3

    # the store switches to a model of another dimension: the cache follows the store
    store.set_vector_meta("wider-model", 16)
    store.remove_file("/a.txt")
    vecs = np.eye(2, 16, dtype=np.float32)
    store.replace_file("/c.txt", "c", 1, [bundle("/c.txt", ["one", "two"], vecs)])
    idx.sync(store)
    assert (idx.model, idx.dim, len(idx)) == ("wider-model", 16, 2)


def test_recreated_store_with_stale_cache(tmp_path):
    """A store rebuilt from scratch beside an old index reuses passage ids: the spot check catches it."""
    path = tmp_path / "s"
    s = open_store(str(path))
    ids, _ = add(s, "/a.txt", 1)
    index_store(s)
    s.close()
    (path / "graph.sqlite").unlink()
    for extra in ("graph.sqlite-wal", "graph.sqlite-shm"):
        (path / extra).unlink(missing_ok=True)
    s = open_store(str(path))
    try:
        ids2, vecs2 = add(s, "/z.txt", 99)
        idx = VectorIndex.load_or_create(s)
        assert idx.ids == set(ids2)
        assert [h[0] for h in idx.search(vecs2[1], 1)] == [ids2[1]]
        assert idx.search(vecs2[1], 1)[0][1] == pytest.approx(1.0, abs=1e-5)
    finally:
        s.close()


def test_empty_store(store):
    assert index_store(store) is None  # no vectors, no embedder: nothing to index
    store.set_vector_meta("fake-model", DIM)
    idx = index_store(store)
    assert len(idx) == 0 and idx.search(unit(1)[0], 5) == []
    assert json.loads((store.index_dir / CONFIG_FILE).read_text())["count"] == 0


def test_vector_stamp_skips_the_id_comparison(store, monkeypatch):
    """A store offering vector_stamp() spares each search the full id list."""
    monkeypatch.setattr(store, "vector_stamp",
                        lambda: tuple(store.db.execute("SELECT COUNT(*), MAX(passage_id) FROM vectors").fetchone()),
                        raising=False)
    calls = []
    real = store.vector_ids
    monkeypatch.setattr(store, "vector_ids", lambda: calls.append(1) or real())
    a_ids, _ = add(store, "/a.txt", 1)
    idx = VectorIndex.load_or_create(store)
    assert idx.ids == set(a_ids) and len(calls) == 1
    assert idx.sync(store) == 0 and len(calls) == 1  # unchanged stamp: no id list read
    b_ids, _ = add(store, "/b.txt", 2)
    assert idx.sync(store) == 3 and len(calls) == 2
    store.remove_file("/a.txt")
    assert idx.sync(store) == 3 and idx.ids == set(b_ids)


def test_threads_search_while_another_writes(store):
    """The web app's threads share one cached index; an ingest writes meanwhile."""
    import threading

    from search.engine import _open_index

    add(store, "/a.txt", 1)
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader():
        try:
            while not stop.is_set():
                idx = _open_index(store, None, None)
                hits = idx.search(unit(5)[0], 5)
                assert hits
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for n in range(10):
            add(store, f"/doc{n}.txt", 100 + n)
            if n % 3 == 0:
                store.remove_file(f"/doc{n}.txt")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not errors, errors[0]
    assert _open_index(store, None, None).ids == set(store.vector_ids())


def test_reindex_command_rebuilds_the_cache_from_stored_vectors(store):
    from click.testing import CliRunner

    from missiongraph.cli import cli

    ids, vecs = add(store, "/d/a.txt", 1, n=4)
    add(store, "/d/b.txt", 2, n=2)
    index_store(store)
    (store.index_dir / INDEX_FILE).write_bytes(b"not a faiss index")       # a damaged cache
    r = CliRunner().invoke(cli, ["--store", store.url, "reindex", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["vectors"] == 6 and json.loads(r.output)["model"] == "fake-model"
    idx = VectorIndex.load(store.index_dir)
    assert len(idx) == 6 and idx.search(vecs[2], 1)[0][0] == ids[2]
