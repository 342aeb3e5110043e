"""A lesson record's own ``mission`` field links the lesson and its document to that mission
(CONCERNS), through a real ingest; a name no gazetteer entry knows links nothing."""

from __future__ import annotations

import json

from corpus import sample_dir


def _concerns(store, src: str) -> set[str]:
    return {r["dst"] for r in store.relations(src=src, rel="CONCERNS", limit=50)}


def test_sample_lessons_concern_the_mission_their_record_names(sample_store):
    path = sample_dir() / "sample_lessons.jsonl"
    named = [json.loads(line)["mission"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = sorted(sample_store.find_documents(source=str(path.resolve())), key=lambda d: d["meta"]["line"])
    assert len(docs) == len(named) == 12
    for doc, mission in zip(docs, named):
        want = f"mission:{mission.lower()}"
        assert doc["meta"]["missions"][0] == mission
        assert want in _concerns(sample_store, f"doc:{doc['id']}")
        lessons = sample_store.lessons(doc_id=doc["id"])
        assert lessons and all(want in _concerns(sample_store, f"lesson:{x['id']}") for x in lessons)
    assert {r["src"] for r in sample_store.relations(rel="CONCERNS", dst="mission:minusma", limit=500)} >= {
        f"lesson:{x['id']}" for d in docs[:5] for x in sample_store.lessons(doc_id=d["id"])}


def test_an_unknown_mission_name_creates_no_entity(store, tmp_path, extractor):
    from ingest import ingest_paths

    rows = [{"lesson_id": "T-1", "title": "Spare radios", "mission": "Apollo 13",
             "observation": "A long-range patrol lost contact with its base for six hours when its only "
                            "radio failed in the heat.",
             "lesson": "Carry spare radios on every long patrol.", "topic": "logistics"},
            {"lesson_id": "T-2", "title": "Two missions at once", "mission": "MINUSCA; UNMISS",
             "observation": "Two posts on either side of the border reported the same road threat a day "
                            "apart, neither knowing of the other.",
             "lesson": "Share route reports with the neighbouring mission.", "topic": "liaison"}]
    path = tmp_path / "lessons.jsonl"   # our own sentences, long enough to read as text fields
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = ingest_paths(store, [path], extractor=extractor)
    assert not report.errors and report.documents == 2
    by_record = {d["record"]: d for d in store.find_documents(source=str(path.resolve()))}
    assert _concerns(store, f"doc:{by_record['T-1']['id']}") == set()
    assert by_record["T-1"]["meta"]["missions"] == []
    assert not [e for e in store.entities() if "apollo" in e["id"] or e["name"] == "Apollo 13"]
    assert _concerns(store, f"doc:{by_record['T-2']['id']}") == {"mission:minusca", "mission:unmiss"}
    [lesson] = store.lessons(doc_id=by_record["T-2"]["id"])
    assert _concerns(store, f"lesson:{lesson['id']}") == {"mission:minusca", "mission:unmiss"}
