"""The store test-suite: every backend must pass it (parametrised by ``backend_url``)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from kg import (
    ClauseRecord, DocumentBundle, DocumentRecord, EntityRecord, MentionRecord, PassageRecord, RelationRecord,
    ResolutionRecord, open_store,
)
from kg import views
from missiongraph.errors import ConfigError, NotFoundError, StoreError

TEXT = "Decides to extend the mandate of UNMISS until 30 April 2026. Protect civilians in Juba."


def bundle(source="/data/r.txt", text=TEXT, symbol="S/RES/2779 (2025)", dim=4, bad_span=False) -> DocumentBundle:
    b = DocumentBundle(DocumentRecord(source=source, sha256="abc", format="txt", text=text, title="Resolution",
                                      kind="resolution", symbol=symbol, date="2025-05-08"))
    b.passages = [PassageRecord(0, text[:61], 0, 61, "h0", paragraph="1"),
                  PassageRecord(1, text[62:], 62, len(text) + (50 if bad_span else 0), "h1", paragraph="2")]
    b.vectors = np.eye(2, dim, dtype=np.float32)
    b.entities = [EntityRecord("mission:unmiss", "Mission", "UNMISS", ["United Nations Mission in South Sudan"]),
                  EntityRecord("location:juba", "Location", "Juba")]
    b.mentions = [MentionRecord("mission:unmiss", 33, 39, "UNMISS", 0), MentionRecord("location:juba", 82, 86, "Juba", 1)]
    b.resolutions = [ResolutionRecord(symbol, 2779, 2025, "2025-05-08", "extend", True, "2026-04-30", None,
                                      ["UNMISS"], ["S/RES/2729 (2024)"])]
    b.clauses = [ClauseRecord(f"{symbol} OP 1", symbol, 0, "1", "operative", "decides", text[:61], 0, 61, [], 0),
                 ClauseRecord(f"{symbol} OP 2", symbol, 1, "2", "operative", "decides", text[62:], 62, len(text),
                              ["protection_of_civilians"], 1)]
    b.relations = [RelationRecord(f"res:{symbol}", "CONCERNS", "mission:unmiss"),
                   RelationRecord(f"res:{symbol}", "EXTENDS", "mission:unmiss"),
                   RelationRecord("doc:@", "CONCERNS", "mission:unmiss")]
    return b


@pytest.fixture(scope="module")
def bolt_store(bolt_server, tmp_path_factory):
    """One Bolt store (one driver, one warm pool) for the module: FalkorDB stalls on every
    second new connection, so opening a store per test would spend its time in handshakes."""
    from kg.bolt import BoltStore

    s = BoltStore(bolt_server, index_dir=tmp_path_factory.mktemp("bolt-cache"))
    yield s
    s.close()


@pytest.fixture(params=["sqlite", "bolt"])
def backend(request, tmp_path):
    if request.param == "sqlite":
        s = open_store(str(tmp_path / "store"))
    else:
        s = request.getfixturevalue("bolt_store")
        if request.node.get_closest_marker("neo4j_only") and s.server != "neo4j":
            pytest.skip(f"needs true rollback; {s.server} over Bolt has none (set MISSIONGRAPH_TEST_NEO4J_URI)")
        s.conn.write("MATCH (n) DETACH DELETE n")   # a clean graph per test
        s._migrate()
    s.set_vector_meta("test-model", 4)
    yield s
    if request.param == "sqlite":
        s.close()


def corrupt_keyword_index(store) -> None:
    """Break the keyword index behind the store's back, the way each backend can break."""
    if store.stats()["backend"] == "sqlite":
        raw = sqlite3.connect(store.db_path)
        raw.execute("DELETE FROM passages_fts")
        raw.commit()
        raw.close()
    elif store.server == "neo4j":
        store.conn.write("DROP INDEX mg_passage_fulltext")
    else:
        store.conn.write("CALL db.idx.fulltext.drop('Passage')")


def test_write_and_read_back(backend):
    [doc_id] = backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    doc = backend.get_document(doc_id)
    assert doc["symbol"] == "S/RES/2779 (2025)" and doc["text"] == TEXT
    passages = backend.document_passages(doc_id)
    assert [p["paragraph"] for p in passages] == ["1", "2"]
    assert all(TEXT[p["start"]:p["end"]] == p["text"] for p in passages)
    assert backend.file_sha("/data/r.txt") == "abc"
    assert backend.check() == []


def test_replace_is_idempotent_and_removes_old_facts(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    backend.replace_file("/data/r.txt", "abd", 10, [bundle()])
    st = backend.stats()
    assert (st["documents"], st["passages"], st["vectors"], st["mentions"], st["clauses"]) == (1, 2, 2, 2, 2)
    assert len(backend.keyword_search("civilians", 10)) == 1
    assert backend.check() == []


def test_failed_write_leaves_previous_state(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    before = backend.stats()
    with pytest.raises(StoreError, match="outside the text"):
        backend.replace_file("/data/r.txt", "zzz", 10, [bundle(bad_span=True)])
    assert backend.stats() == before
    assert backend.file_sha("/data/r.txt") == "abc"


def test_passage_ids_are_never_reused(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    first = set(backend.vector_ids())
    backend.replace_file("/data/r.txt", "abd", 10, [bundle()])
    assert not first & set(backend.vector_ids())


def test_keyword_search_is_safe_with_operators(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    for q in ['"unbalanced', "NEAR(", "a OR", "*", "civilians' AND 1=1; --"]:
        backend.keyword_search(q, 5)  # must not raise
    hits = backend.keyword_search("protecting civilians", 5)
    assert hits and hits[0][1] > 0


def test_filters(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    assert len(backend.filter_passage_ids(mission="UNMISS")) == 2
    assert len(backend.filter_passage_ids(mission="united nations mission in south sudan")) == 2
    assert backend.filter_passage_ids(year=1999) == set()
    assert backend.filter_passage_ids(kind="sg_report") == set()
    assert backend.filter_passage_ids() is None


def test_vectors_round_trip(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    ids = backend.vector_ids()
    vecs = backend.get_vectors(list(reversed(ids)))
    assert vecs.shape == (2, 4) and vecs[0][1] == 1.0


def test_entities_and_aliases(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    [e] = backend.find_entities("United Nations Mission in South Sudan")
    assert e["id"] == "mission:unmiss"
    assert backend.entity_mention_count("mission:unmiss") == 1
    ent = views.entity_view(backend, "unmiss")
    assert ent["name"] == "UNMISS" and "United Nations Mission in South Sudan" in ent["aliases"]
    with pytest.raises(NotFoundError):
        views.entity_view(backend, "no such actor")


def test_resolution_and_mandate_views_merge_two_files(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    backend.replace_file("/data/r.pdf", "def", 10, [bundle(source="/data/r.pdf")])
    res = views.resolution_view(backend, "2779")
    assert res["symbol"] == "S/RES/2779 (2025)" and res["action"] == "extend" and res["chapter_vii"] is True
    expected = {"task": "protection_of_civilians", "paragraph": "2", "verb": "decides",
                "text": TEXT[62:], "clause_id": "S/RES/2779 (2025) OP 2", "page": None}
    assert [{k: t[k] for k in expected} for t in res["tasks"]] == [expected]
    assert res["tasks"][0]["change"] == "new" and res["previous"]["symbol"] == "S/RES/2729 (2024)"
    assert res["documents"] == ["/data/r.pdf", "/data/r.txt"]
    mandate = views.mandate_view(backend, "UNMISS")
    assert [r["symbol"] for r in mandate["resolutions"]] == ["S/RES/2779 (2025)"]
    with pytest.raises(NotFoundError):
        views.resolution_view(backend, "S/RES/1 (1946)")


def test_remove_file(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    assert backend.remove_file("/data/r.txt") == 1
    assert backend.stats()["passages"] == 0 and backend.keyword_search("civilians", 5) == []


def test_check_detects_corruption(backend, tmp_path):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    corrupt_keyword_index(backend)
    assert any("keyword index" in p for p in backend.check())


def test_readers_in_another_process_see_committed_data(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    code = ("import sys; from kg import open_store; s = open_store(sys.argv[1]); "
            "print(s.stats()['documents'])")
    out = subprocess.run([sys.executable, "-c", code, backend.url], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_unknown_backend_fails_cleanly():
    with pytest.raises(ConfigError, match="unknown store backend"):
        open_store("redis://localhost")


def test_store_path_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(str(f))


def test_merge_is_recorded_reversible_and_applies_to_later_ingests(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    juba = backend.entity_mention_count("location:juba")
    merge = backend.merge_entities("location:juba", "mission:unmiss", "test: same actor")
    assert merge["reason"] == "test: same actor" and merge["undone_at"] is None
    assert backend.entity_mention_count("location:juba") == 0
    assert backend.entity_mention_count("mission:unmiss") == 1 + juba
    assert backend.canonical_entity("location:juba") == "mission:unmiss"
    view = views.entity_view(backend, "UNMISS")
    assert view["merged_from"][0]["id"] == "location:juba" and "Juba" in view["aliases"]
    assert views.entity_view(backend, "Juba")["id"] == "mission:unmiss"   # the old name leads to the canonical
    # a document ingested after the merge follows it
    backend.replace_file("/data/r2.txt", "abd", 10, [bundle(source="/data/r2.txt", symbol="S/RES/2780 (2025)")])
    assert backend.entity_mention_count("mission:unmiss") == 2 * (1 + juba)
    with pytest.raises(Exception, match="already merged"):
        backend.merge_entities("location:juba", "mission:unmiss", "again")
    with pytest.raises(Exception, match="itself"):
        backend.merge_entities("mission:unmiss", "location:juba", "a cycle")
    split = backend.split_entity("location:juba")
    assert split["undone_at"] is not None
    assert backend.entity_mention_count("location:juba") == 2 * juba
    assert backend.entity_mention_count("mission:unmiss") == 2
    assert [m["undone_at"] is not None for m in backend.entity_merges("location:juba")] == [True]
    with pytest.raises(Exception, match="not merged"):
        backend.split_entity("location:juba")
    with pytest.raises(NotFoundError):
        backend.merge_entities("location:nowhere", "mission:unmiss", "missing")
    assert backend.check() == []


def test_merge_repoints_relations_and_split_restores_them(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    backend.merge_entities("mission:unmiss", "location:juba", "test")
    assert {r["dst"] for r in backend.relations(src="res:S/RES/2779 (2025)", limit=10)} == {"location:juba"}
    backend.split_entity("mission:unmiss")
    assert {r["dst"] for r in backend.relations(src="res:S/RES/2779 (2025)", limit=10)} == {"mission:unmiss"}
    assert backend.entity_mention_count("location:juba") == 1


def test_entity_merge_and_split_from_the_command_line(tmp_path):
    import json

    from click.testing import CliRunner

    from missiongraph.cli import cli

    url = str(tmp_path / "cli-store")
    with open_store(url) as s:
        s.set_vector_meta("test-model", 4)
        s.replace_file("/data/r.txt", "abc", 10, [bundle()])
    run = lambda *a: CliRunner().invoke(cli, ["--store", url, *a])  # noqa: E731
    r = run("entity", "merge", "location:juba", "mission:unmiss", "--reason", "same actor", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["into"] == "mission:unmiss"
    shown = json.loads(run("entity", "Juba", "--json").output)
    assert shown["id"] == "mission:unmiss" and shown["merged_from"][0]["reason"] == "same actor"
    assert run("entity", "merge", "location:juba", "mission:unmiss").exit_code == 2   # --reason is required
    assert run("entity", "split", "location:juba").exit_code == 0
    assert json.loads(run("entity", "show", "Juba", "--json").output)["id"] == "location:juba"
    r = run("entity", "split", "location:juba", "--json")
    assert r.exit_code == 1 and "not merged" in json.loads(r.stderr)["error"]


def test_automatic_merges_at_ingest_are_recorded_and_a_split_sticks(backend):
    from kg import MergeRecord

    b = bundle()
    b.entities.append(EntityRecord("organisation:unmis-s", "Organisation", "U.N.M.I.S.S"))
    b.mentions.append(MentionRecord("organisation:unmis-s", 82, 86, "Juba", 1))
    b.merges = [MergeRecord("organisation:unmis-s", "mission:unmiss", "automatic: same name as UNMISS (spacing match)")]
    backend.replace_file("/data/r.txt", "abc", 10, [b])
    [m] = backend.entity_merges("organisation:unmis-s")
    assert m["into"] == "mission:unmiss" and m["reason"].startswith("automatic") and m["undone_at"] is None
    assert backend.entity_mention_count("mission:unmiss") == 2
    backend.split_entity("organisation:unmis-s")
    b2 = bundle()
    b2.entities, b2.mentions, b2.merges = b.entities, b.mentions, b.merges
    backend.replace_file("/data/r.txt", "abd", 10, [b2])           # re-ingest: the user's split stands
    assert [x["undone_at"] is not None for x in backend.entity_merges("organisation:unmis-s")] == [True]
    assert backend.entity_mention_count("organisation:unmis-s") == 1


@pytest.mark.neo4j_only
def test_a_crash_half_way_through_a_file_leaves_the_previous_state(backend, monkeypatch):
    """Needs a real rollback: the second document's write fails after the first was written."""
    import kg.bolt.write
    import kg.sqlite_store

    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    before = backend.stats()
    module = kg.sqlite_store if before["backend"] == "sqlite" else kg.bolt.write
    real, calls = module.write_bundle, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(*args)

    monkeypatch.setattr(module, "write_bundle", failing)
    two = [bundle(), bundle(symbol="S/RES/2780 (2025)")]
    two[1].document.record = "second"
    with pytest.raises(Exception, match="disk on fire"):
        backend.replace_file("/data/r.txt", "zzz", 10, two)
    assert backend.stats() == before and backend.file_sha("/data/r.txt") == "abc"


def test_bolt_urls_reach_the_bolt_backend_and_hide_credentials(monkeypatch):
    from kg.bolt.conn import parse_url

    t = parse_url("neo4j+s://alice:s3cret@db.example.org:7688/peaceops")
    assert (t.host, t.port, t.database, t.user, t.password) == ("db.example.org", 7688, "peaceops", "alice", "s3cret")
    assert "s3cret" not in t.display and "alice" not in t.display
    monkeypatch.setenv("MISSIONGRAPH_NEO4J_USER", "bob")
    monkeypatch.setenv("MISSIONGRAPH_NEO4J_PASSWORD", "pw")
    assert (parse_url("bolt://h").user, parse_url("bolt://h").password, parse_url("bolt://h").port) == ("bob", "pw", 7687)
    with pytest.raises(StoreError) as err:   # nothing listens there: a clean error without the password
        open_store("bolt://carol:topsecret@127.0.0.1:1")
    assert "topsecret" not in str(err.value) and "carol" not in str(err.value)


def test_wide_vectors_round_trip(backend):
    """MiniLM's 384 dimensions: on FalkorDB each vector travels alone to stay under 4 KiB."""
    backend.set_vector_meta("test-model", 384)
    b = bundle()
    b.vectors = -np.random.default_rng(0).random((2, 384), dtype=np.float32) * 1e3   # long decimal forms
    backend.replace_file("/data/r.txt", "abc", 10, [b])
    ids = backend.vector_ids()
    # FalkorDB's Bolt endpoint returns floats rounded to 6 decimals: fine for cosine search
    assert np.allclose(backend.get_vectors(ids), b.vectors, rtol=0, atol=1e-3)
    assert set(backend.vectors_for_hashes(["h0", "h1"])) == {"h0", "h1"}
    assert backend.check() == []


def test_long_texts_round_trip(backend):
    """A document far over FalkorDB's 4 KiB request limit is written in pieces there."""
    long_text = TEXT + " filler é 'quoted' \\n \\ \"x\"" * 500
    b = bundle(source="/data/long.txt", text=long_text)
    b.passages[1] = PassageRecord(1, long_text[62:], 62, len(long_text), "h1", paragraph="2")
    [doc_id] = backend.replace_file("/data/long.txt", "abc", 10, [b])
    assert backend.get_document(doc_id)["text"] == long_text
    assert backend.document_passages(doc_id)[1]["text"] == long_text[62:]
    assert backend.keyword_search("filler", 5)
    assert backend.check() == []


def test_falkordb_refuses_oversized_requests_and_stays_up(bolt_store):
    """FalkorDB 4.16 crashes on a Bolt request over 4 KiB: the store refuses one it cannot split."""
    if bolt_store.server != "falkordb":
        pytest.skip("only FalkorDB limits request size")
    bolt_store.conn.write("MATCH (n) DETACH DELETE n")
    bolt_store._migrate()
    with pytest.raises(StoreError, match="too large"):
        bolt_store.conn.write("RETURN size($xs) AS n", xs=list(range(100000, 101000)))
    assert bolt_store.stats()["files"] == 0                    # the server still answers


# -- facets and explanations (search filters by country, task, topic; why a passage matched) --

FACET_TEXT = TEXT[:-1] + ", South Sudan."


def faceted_bundle() -> DocumentBundle:
    """The resolution bundle plus a State mention, a clause mandating a task and record topics."""
    b = bundle(source="/data/f.txt", text=FACET_TEXT)
    b.document.meta = {"topics": ["Convoy  protection", "None"], "category": "convoy protection"}
    b.entities.append(EntityRecord("state:south-sudan", "State", "South Sudan"))
    at = FACET_TEXT.index("South Sudan")
    b.mentions.append(MentionRecord("state:south-sudan", at, at + len("South Sudan"), "South Sudan", 1))
    b.relations.append(RelationRecord("clause:S/RES/2779 (2025) OP 2", "MANDATES", "task:protection_of_civilians",
                                      passage=1))
    return b


def plain_bundle() -> DocumentBundle:
    """A report with no actors, tasks or topics."""
    b = bundle(source="/data/o.txt", symbol=None)
    b.document.kind = "sg_report"
    b.entities, b.mentions, b.resolutions, b.clauses, b.relations = [], [], [], [], []
    return b


def test_facet_filters_combine(backend):
    [doc] = backend.replace_file("/data/f.txt", "abc", 10, [faceted_bundle()])
    backend.replace_file("/data/o.txt", "abd", 10, [plain_bundle()])
    p0, p1 = [p["id"] for p in backend.document_passages(doc)]
    assert backend.filter_passage_ids(country=["state:south-sudan"]) == {p1}
    assert backend.filter_passage_ids(country=["state:mali", "mission:unmiss"]) == {p0, p1}  # the document concerns it
    assert backend.filter_passage_ids(country=[]) == set()
    assert backend.filter_passage_ids(task="protection_of_civilians") == {p1}
    assert backend.filter_passage_ids(task="ddr") == set()
    assert backend.filter_passage_ids(topic="CONVOY protection") == {p0, p1}
    assert backend.filter_passage_ids(topic="convoy") == set()          # whole topics, not words
    assert backend.filter_passage_ids(topic="None") == set()            # a placeholder is no topic
    assert backend.filter_passage_ids(task="protection_of_civilians", kind="sg_report") == set()
    assert backend.filter_passage_ids(task="protection_of_civilians", country=["state:south-sudan"], year=2025,
                                      topic="convoy protection", mission="UNMISS", kind="resolution") == {p1}


def test_passage_links_in_one_call(backend):
    [doc] = backend.replace_file("/data/f.txt", "abc", 10, [faceted_bundle()])
    [other] = backend.replace_file("/data/o.txt", "abd", 10, [plain_bundle()])
    p0, p1 = [p["id"] for p in backend.document_passages(doc)]
    q0 = backend.document_passages(other)[0]["id"]
    links = backend.passage_links([p1, p0, q0, 10 ** 9])
    assert set(links) == {p0, p1, q0}
    one = links[p1]
    assert (one["doc_id"], one["kind"], one["date"], one["norm_hash"]) == (doc, "resolution", "2025-05-08", "h1")
    assert sorted((e["id"], e["type"], e["count"]) for e in one["entities"]) == [
        ("location:juba", "Location", 1), ("state:south-sudan", "State", 1)]
    [unmiss] = links[p0]["entities"]
    assert unmiss["name"] == "UNMISS" and "United Nations Mission in South Sudan" in unmiss["aliases"]
    assert one["tasks"] == ["protection_of_civilians"] and links[p0]["tasks"] == []
    assert [c["id"] for c in one["concerns"]] == ["mission:unmiss"] == [c["id"] for c in links[p0]["concerns"]]
    assert one["topics"] == ["Convoy protection"]                       # one spelling per topic, placeholder left out
    assert links[q0] == {**links[q0], "entities": [], "concerns": [], "tasks": [], "topics": [], "kind": "sg_report"}


def test_keyword_spans_point_at_the_matched_words(backend):
    [doc] = backend.replace_file("/data/f.txt", "abc", 10, [faceted_bundle()])
    p0, p1 = backend.document_passages(doc)
    spans = backend.keyword_spans("civilian JUBA nowhere civilian", [p0["id"], p1["id"]])
    assert set(spans) == {p1["id"]}
    assert [(t, p1["text"][s:e]) for t, s, e in spans[p1["id"]]] == [("civilian", "civilians"), ("juba", "Juba")]
    assert backend.keyword_spans("civilian", []) == {}


def rich_bundle(source="/data/r.txt") -> DocumentBundle:
    """``bundle()`` plus an incident, a lesson and relations through the bundle placeholders."""
    from kg import IncidentRecord, LessonRecord

    b = bundle(source=source)
    b.document.meta = {"missions": ["UNMISS"], "reporting_period": ["2025-01-01", "2025-04-30"]}
    b.document.ingested_at = "2025-06-01T10:00:00+00:00"
    b.passages[0].page, b.passages[1].section = 3, "Protection"
    b.incidents = [IncidentRecord("attack", TEXT[62:], 62, len(TEXT), "2025-03-01", "location:juba",
                                  ["mission:unmiss"], 2, None, 1)]
    b.lessons = [LessonRecord(0, 61, "text", "Extend early", None, "Renew before expiry", None, "observation", 0)]
    b.relations += [RelationRecord("incident:@0", "OCCURRED_IN", "location:juba", 62, len(TEXT), 1),
                    RelationRecord("lesson:@0", "DERIVED_FROM", "doc:@", 0, 61, 0, {"why": "test"})]
    return b


def as_content(bundles: list[DocumentBundle]) -> list[dict]:
    """Bundles as plain data, vectors apart (compared with a tolerance: FalkorDB rounds them)."""
    from dataclasses import asdict

    return [{**asdict(b), "vectors": None} for b in bundles]


def test_file_bundles_give_back_what_replace_file_received(backend):
    b = rich_bundle()
    backend.replace_file("/data/r.txt", "abc", 10, [b])
    backend.replace_file("/data/empty.txt", "e0", 0, [])
    assert backend.files() == [{"path": "/data/r.txt", "sha256": "abc", "size": 10, "documents": 1},
                               {"path": "/data/empty.txt", "sha256": "e0", "size": 0, "documents": 0}]
    [got] = backend.file_bundles("/data/r.txt")
    assert np.allclose(got.vectors, b.vectors, rtol=0, atol=1e-6)
    # the store's entity records (name first in the alias list) replace the extracted ones
    b.entities = [EntityRecord("location:juba", "Location", "Juba", ["Juba"]),
                  EntityRecord("mission:unmiss", "Mission", "UNMISS",
                               ["UNMISS", "United Nations Mission in South Sudan"])]
    assert as_content([got]) == as_content([b])
    assert backend.file_bundles("/data/empty.txt") == [] and backend.file_bundles("/data/none.txt") == []
    # replayed under another path, the bundles write the same content
    got.document.source = "/data/copy.txt"
    backend.replace_file("/data/copy.txt", "abc", 10, [got])
    assert as_content(backend.file_bundles("/data/copy.txt")) == as_content([got])


def test_file_bundles_keep_what_a_merge_did(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    backend.merge_entities("location:juba", "mission:unmiss", "test: same actor")
    [got] = backend.file_bundles("/data/r.txt")
    juba = next(m for m in got.mentions if m.text == "Juba")
    assert (juba.entity_id, juba.original_id) == ("mission:unmiss", "location:juba")
    assert {(r.dst, r.original_dst) for r in got.relations} == {("mission:unmiss", "mission:unmiss")}
    assert got.merges == []                                     # merge records travel on their own
    backend.remove_file("/data/r.txt")
    backend.replace_file("/data/r.txt", "abc", 10, [got])       # replayed: the merge's effect is kept
    assert backend.entity_mention_count("location:juba") == 0
    backend.split_entity("location:juba")                       # and can still be undone
    assert backend.entity_mention_count("location:juba") == 1


def test_entities_lists_every_entity_and_upsert_widens_aliases(backend):
    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    backend.upsert_entities([EntityRecord("person:nobody", "Person", "Nobody", ["N. Body"]),
                             EntityRecord("location:juba", "Location", "Djouba", ["Jubba"])])
    ents = {e["id"]: e for e in backend.entities()}
    assert list(ents) == sorted(ents) == ["location:juba", "mission:unmiss", "person:nobody"]
    assert ents["person:nobody"] == {"id": "person:nobody", "type": "Person", "name": "Nobody",
                                     "aliases": ["Nobody", "N. Body"], "props": {}}
    assert ents["location:juba"]["name"] == "Juba" and ents["location:juba"]["aliases"] == ["Juba", "Djouba", "Jubba"]
    assert backend.find_entities("N. Body")[0]["id"] == "person:nobody"


def test_restore_merges_is_verbatim_idempotent_and_refuses_conflicts(backend):
    from missiongraph.errors import InputError

    backend.replace_file("/data/r.txt", "abc", 10, [bundle()])
    pair = {"from": "location:juba", "into": "mission:unmiss"}
    records = [{**pair, "id": 7, "reason": "moved", "at": "2025-01-02T03:04:05+00:00",
                "undone_at": "2025-02-01T00:00:00+00:00"},
               {**pair, "reason": "moved again", "at": "2025-03-01T00:00:00+00:00", "undone_at": None}]
    assert backend.restore_merges(records) == 2
    got = [{k: m[k] for k in ("from", "into", "reason", "at", "undone_at")} for m in backend.entity_merges()]
    assert got == [{k: r[k] for k in ("from", "into", "reason", "at", "undone_at")} for r in records]
    assert backend.entity_mention_count("location:juba") == 1   # history only: nothing re-pointed
    assert backend.canonical_entity("location:juba") == "mission:unmiss"
    assert backend.restore_merges(records) == 0                 # already held
    before = backend.entity_merges()
    for bad, why in (([{**records[1], "into": "person:x", "at": "2025-04-01"}], "already merged"),
                     ([{**records[1], "from": "mission:unmiss", "into": "location:juba", "at": "2025-04-01"}],
                      "itself"),
                     ([{**records[1], "reason": " ", "at": "2025-04-01"}], "malformed")):
        with pytest.raises(InputError, match=why):
            backend.restore_merges([{"from": "a", "into": "b", "reason": "fine", "at": "2025-05-01",
                                     "undone_at": None}, *bad])
        assert backend.entity_merges() == before                 # nothing of a refused batch is written


def test_lesson_state_lives_under_its_key_through_rewrites_edits_and_removal(backend):
    """The lifecycle's state and history survive a file's rewrite (same text: same key), an edit
    of the lesson's text (carried to the new key in the same transaction) and the file's removal."""
    from kg import lifecycle

    backend.replace_file("/data/r.txt", "abc", 10, [rich_bundle()])
    [row] = backend.lessons()
    key = row["key"]
    assert key.startswith("ls-") and row["status"] == "observation"
    assert [e["author"] for e in backend.lesson_events(key)] == ["ingest"]
    lifecycle.set_status(backend, key, "analysis", author="a.planner", at="2025-07-01T09:00:00+00:00")
    lifecycle.set_status(backend, row["id"], "identified", author="a.planner", at="2025-07-02T09:00:00+00:00")
    lifecycle.assign(backend, key, author="chief.ll", owner="Mission Support Division",
                     action_plan="Draft renewal options 90 days ahead", due="2025-12-31", at="2025-07-03T09:00:00+00:00")
    lifecycle.set_status(backend, key, "action_planned", author="chief.ll", at="2025-07-04T09:00:00+00:00")

    backend.replace_file("/data/r.txt", "abd", 10, [rich_bundle()])   # re-ingested, same lesson text
    [again] = backend.lessons()
    assert again["id"] != row["id"] and again["key"] == key and again["status"] == "action_planned"
    state = backend.lesson_states([key])[key]
    assert (state["owner"], state["due"], state["updated_by"]) == ("Mission Support Division", "2025-12-31", "chief.ll")
    history = backend.lesson_events(key)
    assert [(e["field"], e["new"]) for e in history] == [
        ("status", "observation"), ("status", "analysis"), ("status", "identified"),
        ("owner", "Mission Support Division"), ("action_plan", "Draft renewal options 90 days ahead"),
        ("due", "2025-12-31"), ("status", "action_planned")]

    edited = rich_bundle()
    edited.lessons[0].title = "Extend the mandate early"
    backend.replace_file("/data/r.txt", "abe", 10, [edited])
    [now] = backend.lessons()
    assert now["key"] != key and now["status"] == "action_planned"
    moved = backend.lesson_events(now["key"])
    assert moved[:7] == history and moved[-1]["field"] == "key" and moved[-1]["old"] == key
    assert key not in backend.lesson_states([key])

    backend.remove_file("/data/r.txt")
    assert backend.lessons() == [] and backend.lesson_states([now["key"]])[now["key"]]["status"] == "action_planned"
    backend.replace_file("/data/r.txt", "abe", 10, [rich_bundle_with(edited)])
    assert backend.lessons()[0]["status"] == "action_planned"   # the file is back: so is its state


def rich_bundle_with(b: DocumentBundle) -> DocumentBundle:
    fresh = rich_bundle()
    fresh.lessons[0].title = b.lessons[0].title
    return fresh
