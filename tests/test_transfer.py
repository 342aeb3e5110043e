"""Moving a graph: embedded -> Bolt -> embedded through ``export`` / ``import`` keeps every record."""

from __future__ import annotations

import base64
import io
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from kg import open_store, views
from kg.transfer import export_graph, import_graph
from missiongraph.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SHARED_FILES = ("corpus/unsc-2025/text/resolutions/S_RES_2788.txt", "corpus/unsc-2025/text/s_documents/S_2025_257.txt")
NASA_LESSONS = 5
ALL = 10**6
QUERIES = ("protection of civilians", "convoy attacked by an improvised explosive device", "lessons on communication")


def _inputs(request, folder: Path) -> list[Path]:
    """corpus/sample, plus a few shared documents and NASA lessons when ../shared is there."""
    paths = [ROOT / "corpus" / "sample"]
    try:
        shared = request.getfixturevalue("shared_dir")
    except pytest.skip.Exception:
        return paths
    paths += [shared / f for f in SHARED_FILES if (shared / f).is_file()]
    lessons = shared / "corpus" / "nasa-llis" / "lessons.jsonl"
    if lessons.is_file():
        with lessons.open(encoding="utf-8") as fh:
            head = [next(fh) for _ in range(NASA_LESSONS)]
        (folder / "nasa_lessons.jsonl").write_text("".join(head), encoding="utf-8")  # a temporary slice
        paths.append(folder / "nasa_lessons.jsonl")
    return paths


@pytest.fixture(scope="module")
def source(request, tmp_path_factory, extractor, embedder):
    """A real ingest with one merge in force and one undone."""
    from ingest import ingest_paths

    folder = tmp_path_factory.mktemp("transfer-source")
    store = open_store(str(folder / "store"))
    report = ingest_paths(store, _inputs(request, folder), extractor=extractor, embedder=embedder)
    assert not report.errors and report.documents
    merged = {x for m in store.entity_merges() for x in (m["from"], m["into"])}
    ids = [e["id"] for e in store.entities() if e["id"] not in merged and store.entity_mention_count(e["id"])]
    store.merge_entities(ids[0], ids[1], "test: one actor under two names")
    store.merge_entities(ids[2], ids[3], "test: merged by mistake")
    store.split_entity(ids[2])
    yield store
    store.close()


@pytest.fixture(scope="module")
def bolt_target(bolt_server, tmp_path_factory):
    from kg.bolt import BoltStore

    s = BoltStore(bolt_server, index_dir=tmp_path_factory.mktemp("transfer-bolt-cache"))
    s.conn.write("MATCH (n) DETACH DELETE n")   # a clean graph
    s._migrate()
    yield s
    s.close()


@pytest.fixture(scope="module")
def exported(source) -> str:
    return export(source)


def export(store) -> str:
    buf = io.StringIO()
    export_graph(store, buf)
    return buf.getvalue()


def load(store, text: str, name: str = "graph.jsonl") -> dict:
    return import_graph(store, io.BytesIO(text.encode("ascii")), name)


def snapshot(store) -> dict:
    """Everything a store holds, ids aside; vectors kept apart to compare with a tolerance."""
    stats = {k: v for k, v in store.stats().items() if k not in ("store", "backend", "server", "schema_version")}
    content, vectors = {}, {}
    for f in store.files():
        bundles = store.file_bundles(f["path"])
        content[f["path"]] = (f, [{**asdict(b), "vectors": None} for b in bundles])
        vectors[f["path"]] = [b.vectors for b in bundles]
    merges = [{k: m[k] for k in ("from", "into", "reason", "at", "undone_at")}
              for m in sorted(store.entity_merges(), key=lambda m: m["id"])]
    return {"stats": stats, "content": content, "entities": store.entities(), "merges": merges,
            "vector_meta": store.vector_meta(), "vectors": vectors}


def assert_same_graph(got: dict, want: dict) -> None:
    for key in ("stats", "entities", "merges", "vector_meta"):
        assert got[key] == want[key], key
    assert list(got["content"]) == list(want["content"])
    for path in want["content"]:
        assert got["content"][path] == want["content"][path], path
        for a, b in zip(got["vectors"][path], want["vectors"][path], strict=True):
            # FalkorDB returns floats rounded to 6 decimals (kg.bolt README note): equal to 5e-7;
            # everything else above must be exactly equal
            assert (a is None and b is None) or np.allclose(a, b, rtol=0, atol=1e-6), path


def read_all(store) -> dict:
    """The graph through the ordinary read API (not ``file_bundles``), store ids replaced by their
    rank: an oracle that does not share the export's reading code.  Ranks match across stores
    because an import writes files, documents and passages in the source's order."""
    docs = sorted(d["id"] for d in store.find_documents(limit=ALL))
    passages = {did: store.document_passages(did) for did in docs}
    incidents, lessons = store.incidents(limit=ALL), store.lessons(limit=ALL)
    rank = {("doc", i): n for n, i in enumerate(docs)}
    rank.update({("passage", p["id"]): n for n, p in enumerate(p for did in docs for p in passages[did])})
    rank.update({("incident", r["id"]): n for n, r in enumerate(incidents)})
    rank.update({("lesson", r["id"]): n for n, r in enumerate(lessons)})

    def norm(row: dict, kind: str | None = None) -> dict:
        """Ids as ranks; ``kind`` says which kind of record's own id ``row["id"]`` is."""
        out = dict(row)
        if kind:
            out["id"] = rank[(kind, row["id"])]
        for key, kind in (("doc_id", "doc"), ("passage_id", "passage")):
            if out.get(key) is not None:
                out[key] = rank[(kind, out[key])]
        for key in ("src", "dst", "original_src", "original_dst"):
            kind, _, num = (out.get(key) or "").partition(":")
            if kind in ("doc", "incident", "lesson") and num.isdigit():
                out[key] = f"{kind}:#{rank[(kind, int(num))]}"
        return out

    vecs = store.get_vectors([p["id"] for did in docs for p in passages[did]])
    return {
        "documents": [norm(store.get_document(did), "doc") for did in docs],
        "passages": [norm(p, "passage") for did in docs for p in passages[did]],
        "incidents": [norm(r, "incident") for r in incidents], "lessons": [norm(r, "lesson") for r in lessons],
        "relations": [norm({k: v for k, v in r.items() if k != "id"}) for r in store.relations(limit=ALL)],
        "mentions": {e["id"]: [norm(m) for m in store.entity_mentions(e["id"], limit=ALL)] for e in store.entities()},
        "resolutions": [norm(r) for r in store.resolution_rows()],
        "clauses": {r["symbol"]: [norm(c) for c in store.resolution_clauses(r["symbol"])]
                    for r in store.resolution_rows()},
        "vectors": vecs,
    }


def assert_same_reads(got: dict, want: dict) -> None:
    for key in want:
        if key == "vectors":  # FalkorDB's 6-decimal rounding again
            assert got[key].shape == want[key].shape and np.allclose(got[key], want[key], rtol=0, atol=1e-6)
        else:
            assert got[key] == want[key], key


def test_the_source_graph_has_every_kind_of_record(source):
    st = source.stats()
    assert min(st[k] for k in ("files", "documents", "passages", "vectors", "mentions", "resolutions", "clauses",
                               "incidents", "lessons", "relations")) > 0, st
    merges = source.entity_merges()
    assert any(m["undone_at"] for m in merges) and any(m["undone_at"] is None for m in merges)
    moved = [m for f in source.files() for b in source.file_bundles(f["path"]) for m in b.mentions
             if m.original_id and m.original_id != m.entity_id]
    assert moved, "no mention re-pointed by a merge"


def test_round_trip_embedded_to_bolt_to_embedded(source, exported, bolt_target, tmp_path, embedder):
    from search import search

    want, want_reads = snapshot(source), read_all(source)
    summary = load(bolt_target, exported)
    assert (summary["files"], summary["documents"], summary["merges"]) == (
        want["stats"]["files"], want["stats"]["documents"], len(want["merges"]))
    assert bolt_target.check() == []
    assert_same_graph(snapshot(bolt_target), want)
    assert_same_reads(read_all(bolt_target), want_reads)

    back = open_store(str(tmp_path / "back"))
    load(back, export(bolt_target))
    assert back.check() == []
    assert_same_graph(snapshot(back), want)
    assert_same_reads(read_all(back), want_reads)
    assert _without_vectors(export(back)) == _without_vectors(exported)   # the files themselves agree

    for row in source.resolution_rows():
        assert views.resolution_view(back, row["symbol"]) == views.resolution_view(source, row["symbol"])
    merged = next(m for m in want["merges"] if m["undone_at"] is None and m["reason"].startswith("test"))
    for name in (merged["from"], merged["into"]):
        assert _no_ids(views.entity_view(back, name)) == _no_ids(views.entity_view(source, name))
    for q in QUERIES:   # the search cache syncs with the imported vectors on open
        for mode in ("keyword", "hybrid"):
            got, exp = (search(s, q, k=5, mode=mode, embedder=embedder)["results"] for s in (back, source))
            assert exp and [_no_ids(r) for r in got] == [_no_ids(r) for r in exp], (q, mode)
    # the merge in force came across with each mention's original id, so it can still be undone
    sql = "SELECT COUNT(*) FROM mentions WHERE original_id=?"   # raw SQL: an oracle outside the store API
    extracted_as = source.db.execute(sql, (merged["from"],)).fetchone()[0]
    assert extracted_as and back.entity_mention_count(merged["from"]) == 0
    back.split_entity(merged["from"])
    assert back.entity_mention_count(merged["from"]) == extracted_as
    back.close()


def _without_vectors(text: str) -> list[dict]:
    """An export's records after its header (which holds the export time), vectors set aside."""
    records = [json.loads(x) for x in text.splitlines()[1:]]
    return [{**r, "vectors": None} if r["type"] == "document" else r for r in records]


def _no_ids(d: dict) -> dict:
    out = {k: v for k, v in d.items() if k not in ("doc_id", "passage_id")}
    if "merges" in out:
        out["merges"] = [{k: v for k, v in m.items() if k != "id"} for m in out["merges"]]
    return out


def test_importing_twice_changes_nothing(exported, tmp_path):
    store = open_store(str(tmp_path / "twice"))
    first = load(store, exported)
    before = snapshot(store)
    second = load(store, exported)
    assert first["files"] > 0 and second["files"] == 0 and second["unchanged"] == first["files"]
    assert second["merges"] == 0 and second["documents"] == 0
    assert_same_graph(snapshot(store), before)
    store.close()


# -- bad input: a clear error naming the input and line, and the target left as it was -------------------
@pytest.fixture()
def loaded(exported, tmp_path):
    store = open_store(str(tmp_path / "target"))
    load(store, exported)
    yield store
    store.close()


def _changed(exported: str) -> list[str]:
    """The export with every file's hash changed, so a good import would rewrite every file."""
    out = []
    for line in exported.splitlines(keepends=True):
        obj = json.loads(line)
        if obj["type"] == "file":
            obj["file"]["sha256"] = "changed-" + obj["file"]["sha256"]
            line = json.dumps(obj) + "\n"
        out.append(line)
    return out


def _last_document(lines: list[str]) -> int:
    return max(i for i, line in enumerate(lines) if json.loads(line)["type"] == "document"
               and json.loads(line)["vectors"])


def _truncated(lines):
    i = _last_document(lines)
    return lines[:i] + [lines[i][:len(lines[i]) // 2]], i + 1, "not a complete JSON record"


def _no_end(lines):
    return lines[:-1], len(lines) - 1, "without its end record"


def _unknown_type(lines):
    return lines[:-1] + ['{"type": "widget", "size": 3}\n', lines[-1]], len(lines), "unknown record type 'widget'"


def _wrong_version(lines):
    header = json.loads(lines[0])
    return [json.dumps({**header, "version": 2}) + "\n", *lines[1:]], 1, "version 2 is not supported"


def _wrong_dimension(lines):
    i = _last_document(lines)
    doc = json.loads(lines[i])
    vecs = np.frombuffer(base64.b64decode(doc["vectors"]), dtype="<f4").reshape(len(doc["passages"]), -1)
    doc["vectors"] = base64.b64encode(np.ascontiguousarray(vecs[:, :-1]).tobytes()).decode()
    return lines[:i] + [json.dumps(doc) + "\n"] + lines[i + 1:], i + 1, f"vectors of dimension {vecs.shape[1] - 1} "


@pytest.mark.parametrize("damage", [_truncated, _no_end, _unknown_type, _wrong_version, _wrong_dimension])
def test_bad_input_is_refused_whole_and_named(damage, exported, loaded):
    lines, lineno, problem = damage(_changed(exported))
    before = snapshot(loaded)
    with pytest.raises(InputError) as err:
        load(loaded, "".join(lines), "bad.jsonl")
    assert err.value.input == "bad.jsonl" and problem in err.value.message
    if damage is not _no_end:
        assert err.value.message.startswith(f"bad.jsonl, line {lineno}: ")
    assert_same_graph(snapshot(loaded), before)
    assert all(loaded.file_sha(p) == f["sha256"] for p, (f, _) in before["content"].items())


def test_the_good_version_of_that_input_does_rewrite(exported, loaded):
    """The control for the test above: the undamaged, re-hashed export replaces every file."""
    summary = load(loaded, "".join(_changed(exported)), "good.jsonl")
    assert summary["files"] == len(loaded.files()) and summary["unchanged"] == 0
    assert all(f["sha256"].startswith("changed-") for f in loaded.files())


def test_a_store_with_vectors_of_another_model_is_refused(exported, loaded):
    loaded.set_vector_meta("another-model", 384)
    before = snapshot(loaded)
    with pytest.raises(InputError, match="graph.jsonl: its vectors come from .* but the store holds vectors of "
                                         "another-model"):
        load(loaded, "".join(_changed(exported)))
    assert_same_graph(snapshot(loaded), before)


def test_export_and_import_from_the_command_line(source, exported, tmp_path):
    from click.testing import CliRunner

    from missiongraph.cli import cli

    run = lambda *args, **kw: CliRunner().invoke(cli, list(args), **kw)  # noqa: E731
    out, target = tmp_path / "graph.jsonl", str(tmp_path / "target")
    r = run("--store", source.url, "export", str(out), "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert list(summary) == ["files", "documents", "passages", "vectors", "entities", "merges", "lesson_states",
                             "seconds"]   # fields are only ever added
    assert summary["files"] == source.stats()["files"]
    assert _without_vectors(out.read_text()) == _without_vectors(exported)
    r = run("--store", source.url, "export", "-")                  # the data on stdout, the summary on stderr
    assert r.exit_code == 0 and _without_vectors(r.stdout) == _without_vectors(exported) and "exported" in r.stderr

    r = run("--store", target, "import", str(out), "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert list(summary) == ["files", "unchanged", "documents", "passages", "vectors", "entities", "merges",
                             "lesson_states", "seconds"]
    assert summary["files"] == source.stats()["files"] and summary["unchanged"] == 0
    r = run("--store", target, "import", "-", "--json", input=out.read_bytes())   # stdin; nothing new
    assert r.exit_code == 0 and json.loads(r.stdout)["unchanged"] == summary["files"]

    bad = tmp_path / "bad.jsonl"
    bad.write_text(out.read_text()[:-10])
    r = run("--store", target, "import", str(bad), "--json")
    error = json.loads(r.stderr)
    assert r.exit_code == 1 and error["input"] == str(bad) and error["error"].startswith(f"{bad}, line ")
    r = run("--store", target, "import", str(tmp_path / "missing.jsonl"))
    assert r.exit_code == 1 and "cannot read" in r.stderr
    r = run("--store", target, "export", str(tmp_path / "no-such-folder" / "graph.jsonl"))
    assert r.exit_code == 1 and "cannot write" in r.stderr
