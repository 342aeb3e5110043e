"""Search end to end on a small store with real MiniLM embeddings."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from kg import DocumentBundle, DocumentRecord, EntityRecord, MentionRecord, PassageRecord, RelationRecord
from missiongraph.errors import ConfigError, InputError
from search import VectorIndex, index_store, search
from search.engine import RESULT_KEYS
from search.index import CONFIG_FILE, INDEX_FILE

CONTRACT = {"rank", "score", "source", "symbol", "record", "paragraph", "page", "start", "end", "title", "kind", "text"}

RESOLUTION = [
    "Decides to extend the mandate of UNMISS until 30 April 2026.",
    "Authorizes UNMISS to use all necessary means to protect civilians under threat of physical violence, "
    "irrespective of the source of such violence.",
    "Requests the Secretary-General to report to the Council every 90 days on the implementation of the mandate.",
]
AAR = [
    "The convoy from Gao to Kidal was delayed for six hours because an improvised explosive device was found "
    "on the main supply route.",
    "Engineers cleared the road after a route-clearance team arrived with mine detection dogs.",
    "Patrols should coordinate with community leaders before entering villages to build trust.",
]
LESSON = [
    "Loose screws in a reworked power inverter caused intermittent voltage fluctuations during spacecraft testing.",
]


def _hash(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()


def make_bundle(embedder, source, paragraphs, *, kind, date, title, symbol=None, record=None, mission=None):
    text = "\n\n".join(paragraphs)
    b = DocumentBundle(DocumentRecord(source=source, sha256=_hash(text), format=source.rsplit(".", 1)[-1], text=text,
                                      title=title, kind=kind, symbol=symbol, date=date, record=record))
    pos = 0
    for i, para in enumerate(paragraphs):
        b.passages.append(PassageRecord(i, para, pos, pos + len(para), _hash(para), page=1 if source.endswith(".pdf")
                                        else None, paragraph=str(i + 1)))
        pos += len(para) + 2
    b.vectors = embedder.encode(paragraphs)
    if mission:
        b.entities = [EntityRecord(f"mission:{mission.lower()}", "Mission", mission)]
        b.relations = [RelationRecord("doc:@", "CONCERNS", f"mission:{mission.lower()}")]
        b.mentions = [MentionRecord(f"mission:{mission.lower()}", text.index(mission), text.index(mission) + len(mission),
                                    mission, 0)]
    return b


def write(store, embedder, source, paragraphs, **kw):
    store.set_vector_meta(embedder.name, embedder.dim)
    b = make_bundle(embedder, source, paragraphs, **kw)
    [doc_id] = store.replace_file(source, b.document.sha256, len(b.document.text), [b])
    return doc_id


@pytest.fixture()
def corpus(store, embedder):
    write(store, embedder, "/docs/res2779.pdf", RESOLUTION, kind="resolution", date="2025-05-08",
          title="Resolution 2779 (2025)", symbol="S/RES/2779 (2025)", mission="UNMISS")
    # the text export of the same resolution: identical paragraphs, another file
    write(store, embedder, "/docs/res2779.txt", RESOLUTION, kind="resolution", date="2025-05-08",
          title="Resolution 2779 (2025)", symbol="S/RES/2779 (2025)", mission="UNMISS")
    write(store, embedder, "/docs/aar_convoy.md", AAR, kind="after_action", date="2024-03-02",
          title="Convoy Gao to Kidal")
    write(store, embedder, "/docs/lessons.jsonl", LESSON, kind="lesson", date="2023-01-15", title="Inverter",
          record="1")
    index_store(store, embedder)
    return store


def texts(answer):
    return [r["text"] for r in answer["results"]]


def test_contract(corpus, embedder):
    for mode in ("hybrid", "vector", "keyword"):
        answer = search(corpus, "  protect civilians  ", k=5, mode=mode, embedder=embedder)
        assert answer["query"] == "protect civilians" and answer["mode"] == mode
        assert answer["results"], mode
        assert [r["rank"] for r in answer["results"]] == list(range(1, len(answer["results"]) + 1))
        scores = [r["score"] for r in answer["results"]]
        assert scores == sorted(scores, reverse=True)
        for r in answer["results"]:
            assert set(r) >= CONTRACT | {"passage_id", "doc_id"}
            assert tuple(r) == RESULT_KEYS
            doc_text = corpus.get_document(r["doc_id"])["text"]
            assert doc_text[r["start"]:r["end"]] == r["text"]


def test_vector_mode_finds_a_paraphrase(corpus, embedder):
    top = search(corpus, "a roadside bomb held up the vehicles", k=3, mode="vector", embedder=embedder)["results"][0]
    assert top["text"] == AAR[0] and top["kind"] == "after_action" and top["paragraph"] == "1"
    top = search(corpus, "screws came loose and the voltage went up and down", k=1, mode="vector",
                 embedder=embedder)["results"][0]
    assert top["record"] == "1" and top["kind"] == "lesson"
    assert 0 < top["score"] <= 1.0


def test_keyword_mode_finds_exact_terms(corpus):
    answer = search(corpus, "mine detection dogs", k=3, mode="keyword")
    assert texts(answer)[0] == AAR[1]
    assert search(corpus, "xylophone", mode="keyword")["results"] == []


def test_hybrid_combines_both(corpus, embedder):
    answer = search(corpus, "explosive device on the supply route", k=3, mode="hybrid", embedder=embedder)
    assert texts(answer)[0] == AAR[0]
    # no shared word beyond stop words: only the vector side can find it, hybrid still does
    answer = search(corpus, "roadside bomb held up the vehicles", k=5, mode="hybrid", embedder=embedder)
    assert AAR[0] in texts(answer)[:2]


def test_identical_passages_collapse(corpus, embedder):
    for mode in ("hybrid", "vector", "keyword"):
        answer = search(corpus, "protect civilians under threat", k=20, mode=mode, embedder=embedder)
        found = texts(answer)
        assert len(found) == len(set(found)), mode
        assert found.count(RESOLUTION[1]) == 1
    # 2 copies of 3 resolution paragraphs + 4 others: 7 distinct passages in all
    assert len(search(corpus, "mandate convoy inverter civilians", k=50, mode="vector", embedder=embedder)["results"]) == 7


def test_k_limits_results(corpus, embedder):
    assert len(search(corpus, "the", k=1, mode="keyword")["results"]) == 1
    assert len(search(corpus, "mandate", k=2, mode="vector", embedder=embedder)["results"]) == 2


def test_filters_apply_to_every_mode(corpus, embedder):
    for mode in ("hybrid", "vector", "keyword"):
        got = search(corpus, "explosive device convoy", k=10, mode=mode, kind="lesson", embedder=embedder)
        assert {r["kind"] for r in got["results"]} <= {"lesson"}, mode
        got = search(corpus, "mandate of the mission", k=10, mode=mode, year=2024, embedder=embedder)
        assert got["results"] and {r["date"][:4] for r in got["results"]} == {"2024"}, mode
        got = search(corpus, "the mandate", k=10, mode=mode, mission="UNMISS", embedder=embedder)
        assert got["results"] and {r["symbol"] for r in got["results"]} == {"S/RES/2779 (2025)"}, mode
        assert search(corpus, "convoy", mode=mode, year=1990, embedder=embedder)["results"] == []
        assert search(corpus, "convoy", mode=mode, kind="after_action", mission="UNMISS",
                      embedder=embedder)["results"] == []
    assert search(corpus, "convoy", mode="keyword", year="2024")["results"]  # the web form gives strings


@pytest.mark.parametrize("query, mode, k, fragment", [
    ("", "hybrid", 10, "empty"),
    ("   \n\t", "keyword", 10, "empty"),
    ("convoy " * 200, "keyword", 10, "characters"),
    ("convoy", "semantic", 10, "mode"),
    ("convoy", "keyword", 0, "k must be"),
    ("convoy", "keyword", 1001, "k must be"),
    ("convoy", "keyword", "ten", "k must be"),
    (None, "keyword", 10, "text"),
])
def test_bad_input(store, query, mode, k, fragment):
    with pytest.raises(InputError, match=fragment) as info:
        search(store, query, k=k, mode=mode)
    if isinstance(query, str):
        assert info.value.input == query


def test_bad_year(store):
    with pytest.raises(InputError, match="year"):
        search(store, "convoy", mode="keyword", year="last year")


def test_odd_queries_do_not_break_keyword_search(corpus):
    for q in ['"unbalanced', "NEAR(a b)", "mandate*", "a OR AND NOT", "-", "???", "ÜNMISS café", "1325 (2000)"]:
        assert isinstance(search(corpus, q, mode="keyword")["results"], list)


def test_index_persists_and_reloads(corpus, embedder):
    d = corpus.index_dir
    assert (d / INDEX_FILE).is_file() and (d / CONFIG_FILE).is_file()
    idx = VectorIndex.load(d)
    assert idx.model == embedder.name and idx.dim == embedder.dim == 384
    assert idx.ids == set(corpus.vector_ids()) and len(idx) == 10
    assert VectorIndex.load_or_create(corpus).sync(corpus) == 0
    # the cache can go: it is rebuilt from the stored vectors
    (d / INDEX_FILE).unlink()
    (d / CONFIG_FILE).unlink()
    from search import engine

    engine._INDEXES.clear()
    top = search(corpus, "a roadside bomb held up the vehicles", k=1, mode="vector", embedder=embedder)
    assert top["results"][0]["text"] == AAR[0]
    assert (d / INDEX_FILE).is_file()


def test_replaced_document_leaves_no_stale_vectors(corpus, embedder):
    old = set(corpus.vector_ids())
    new_text = ["Helicopter medical evacuation took forty minutes because the landing zone was not secured."]
    write(corpus, embedder, "/docs/aar_convoy.md", new_text, kind="after_action", date="2024-03-02", title="Medevac")
    index_store(corpus, embedder)
    idx = VectorIndex.load(corpus.index_dir)
    assert idx.ids == set(corpus.vector_ids()) and len(old - idx.ids) == 3
    found = texts(search(corpus, "roadside bomb delayed the convoy", k=10, mode="vector", embedder=embedder))
    assert not set(AAR) & set(found)
    assert found[0] == new_text[0] or new_text[0] in found


def test_search_sees_vectors_written_by_another_store_object(corpus, embedder, tmp_path):
    """The web app keeps one index per store; a CLI ingest writes through another connection."""
    from kg import open_store

    search(corpus, "warm up the cache", k=1, mode="vector", embedder=embedder)
    other = open_store(corpus.url)
    try:
        write(other, embedder, "/docs/new.md", ["Flooding cut off the airstrip at Bentiu for two weeks."],
              kind="after_action", date="2024-08-01", title="Floods")  # no index_store: the cache is stale
    finally:
        other.close()
    top = search(corpus, "the runway was under water", k=1, mode="vector", embedder=embedder)["results"][0]
    assert "Bentiu" in top["text"]


def test_store_without_vectors(store, embedder):
    b = make_bundle(embedder, "/docs/aar.md", AAR, kind="after_action", date="2024-03-02", title="Convoy")
    b.vectors = None
    store.replace_file("/docs/aar.md", "x", 1, [b])
    assert search(store, "convoy", mode="vector", embedder=embedder)["results"] == []
    assert texts(search(store, "convoy", mode="hybrid", embedder=embedder))[0] == AAR[0]


def test_model_mismatch_is_a_config_error(corpus, embedder):
    corpus.set_vector_meta("some-other-model", 384)
    with pytest.raises(ConfigError, match="some-other-model"):
        search(corpus, "convoy", mode="vector", embedder=embedder)
    assert search(corpus, "convoy", mode="keyword")["results"]


def test_empty_store(store, embedder):
    for mode in ("hybrid", "vector", "keyword"):
        assert search(store, "convoy", mode=mode, embedder=embedder) == {"query": "convoy", "mode": mode, "results": []}


def test_keyword_mode_loads_no_model(tmp_path):
    """The fast path: no torch, sentence-transformers or faiss for a keyword search."""
    code = textwrap.dedent(f"""
        import sys
        import numpy as np
        from kg import DocumentBundle, DocumentRecord, PassageRecord, open_store
        from search import search
        s = open_store({str(tmp_path / 's')!r})
        s.set_vector_meta("fake", 4)
        t = "Engineers cleared the road with mine detection dogs."
        b = DocumentBundle(DocumentRecord(source="/a.md", sha256="x", format="md", text=t))
        b.passages = [PassageRecord(0, t, 0, len(t), "h")]
        b.vectors = np.ones((1, 4), dtype=np.float32)
        s.replace_file("/a.md", "x", 1, [b])
        r = search(s, "detection dogs", mode="keyword")
        assert r["results"][0]["text"] == t, r
        print([m for m in ("torch", "sentence_transformers", "transformers", "faiss") if m in sys.modules])
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_embedder_basics(embedder):
    v = embedder.encode(["protect civilians", "protection of civilians", "voltage fluctuations"])
    assert v.dtype == np.float32 and v.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]
    assert embedder.encode([]).shape == (0, embedder.dim)
    from search import Embedder

    assert Embedder().model is embedder.model  # loaded once per process
    with pytest.raises(ConfigError, match="model"):
        Embedder("/no/such/model/folder")


class _FakeStore:
    def __init__(self, hashes: dict[int, str]):
        self.hashes = hashes

    def passages_by_ids(self, ids):
        return [{"id": i, "norm_hash": self.hashes[i], "text": f"p{i}"} for i in ids if i in self.hashes]


def test_copies_are_one_candidate_before_fusion():
    """P (a PDF paragraph) tops keyword, R (its text-export copy) tops vector: together they beat Q."""
    from search.engine import _fuse

    store = _FakeStore({1: "h-same", 2: "h-q", 3: "h-same", 4: "h-other"})
    keyword = [(1, 9.0), (2, 8.0)]
    vector = [(3, 0.9), (2, 0.8), (4, 0.1)]
    hits = _fuse(store, [keyword, vector], 10)
    from search.engine import RRF_K, RRF_WEIGHTS

    # shown as the copy the weighted fusion ranks best (vector counts double: R, id 3)
    assert [p["id"] for p, _ in hits] == [3, 2, 4]
    assert hits[0][1] == pytest.approx(RRF_WEIGHTS[0] / (RRF_K + 1) + RRF_WEIGHTS[1] / (RRF_K + 1))
    # one list: the first copy stands for the paragraph, its score kept
    hits = _fuse(store, [[(3, 0.9), (2, 0.8), (1, 0.7), (4, 0.1)]], 2)
    assert [(p["id"], s) for p, s in hits] == [(3, 0.9), (2, 0.8)]
    # an id the store no longer holds (a concurrent replace) drops out
    assert [p["id"] for p, _ in _fuse(store, [[(99, 1.0), (4, 0.5)]], 5)] == [4]
