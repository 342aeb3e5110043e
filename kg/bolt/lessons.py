"""The lessons-learned process over Bolt: ``LessonState`` and ``LessonEvent`` nodes (kg.lifecycle).

They hold no ``source``, so forgetting or rewriting a file leaves them; events are numbered by
the ``lesson_event`` counter, which only grows, so their order is the order they were written.
"""

from __future__ import annotations

from kg import lifecycle
from kg.bolt.conn import run
from kg.bolt.merges import next_id
from kg.bolt.schema import LESSON_FIELDS, PASSAGE_DOC_FIELDS, project

STATE_FIELDS = lifecycle.STATE_FIELDS
EVENT_FIELDS = ("at", "author", "field", "old", "new", "reason")


def file_lessons(tx, path: str) -> list[dict]:
    rows = run(tx, "MATCH (l:Lesson {source: $p}) RETURN properties(l) AS l", p=path)
    return [project(r["l"], ("key", "title", "observation", "recommendation", "lesson")) for r in rows]


def states(tx, keys: list[str] | None) -> dict[str, dict]:
    if keys is None:
        rows = run(tx, "MATCH (s:LessonState) RETURN properties(s) AS s")
    else:
        rows = run(tx, "MATCH (s:LessonState) WHERE s.key IN $keys RETURN properties(s) AS s", keys=list(keys))
    return {r["s"]["key"]: project(r["s"], STATE_FIELDS) for r in rows}


def _append(tx, key: str, events: list[dict]) -> None:
    if not events:
        return
    first = next_id(tx, "lesson_event", len(events))
    rows = [{"seq": first + i, "key": key, **{f: e.get(f) for f in EVENT_FIELDS}} for i, e in enumerate(events)]
    run(tx, "UNWIND $rows AS r CREATE (e:LessonEvent) SET e += r", rows=rows)


def write_state(tx, key: str, state: dict, events: list[dict]) -> None:
    props = {f: state.get(f) for f in STATE_FIELDS if f != "key"}
    run(tx, "MERGE (s:LessonState {key: $key}) SET s += $props", key=key, props=props)
    _append(tx, key, events)
    run(tx, "MATCH (l:Lesson {key: $key}) SET l.status = $status", key=key, status=state["status"])


def events(tx, key: str) -> list[dict]:
    rows = run(tx, "MATCH (e:LessonEvent {key: $key}) RETURN properties(e) AS e ORDER BY e.seq", key=key)
    return [project(r["e"], EVENT_FIELDS) for r in rows]


def apply_plan(tx, plan: lifecycle.FilePlan) -> None:
    for new, old in plan.carried.items():
        run(tx, "MATCH (s:LessonState {key: $old}) SET s.key = $new", old=old, new=new)
        run(tx, "MATCH (e:LessonEvent {key: $old}) SET e.key = $new", old=old, new=new)
    for key, status, e in plan.first:
        got = run(tx, "MATCH (s:LessonState {key: $key}) RETURN count(s) AS n", key=key)
        if not got[0]["n"]:
            run(tx, "CREATE (s:LessonState) SET s += $props",
                props={"key": key, "status": status, "updated_at": e["at"], "updated_by": e["author"]})
            _append(tx, key, [e])
    for key, e in plan.events:
        _append(tx, key, [e])


def lessons_by(tx, ids: list[int] | None = None, keys: list[str] | None = None) -> list[dict]:
    if ids:
        rows = run(tx, "MATCH (l:Lesson) WHERE l.id IN $v MATCH (d:Document {id: l.doc_id}) "
                       "RETURN properties(l) AS l, properties(d) AS d ORDER BY l.id", v=[int(i) for i in ids])
    elif keys:
        rows = run(tx, "MATCH (l:Lesson) WHERE l.key IN $v MATCH (d:Document {id: l.doc_id}) "
                       "RETURN properties(l) AS l, properties(d) AS d ORDER BY l.id", v=list(keys))
    else:
        return []
    out = []
    for r in rows:
        d = project(r["d"], PASSAGE_DOC_FIELDS)
        out.append({**project(r["l"], LESSON_FIELDS), "source": d["source"], "symbol": d["symbol"],
                    "doc_title": d["title"], "doc_date": d["date"], "doc_kind": d["kind"]})
    return out


def backfill_keys(tx) -> int:
    """Schema 1 to 2: keys and first-sight state for lessons written before, and the unused
    per-row ``LessonStatus`` nodes gone; returns how many lessons got a key."""
    run(tx, "MATCH (n:LessonStatus) DETACH DELETE n")
    rows = run(tx, "MATCH (l:Lesson) WHERE l.key IS NULL MATCH (d:Document {id: l.doc_id}) "
                   "RETURN properties(l) AS l, properties(d) AS d")
    for r in rows:
        les, doc = r["l"], r["d"]
        key = lifecycle.lesson_key(lifecycle.document_ident(doc), les)
        run(tx, "MATCH (l:Lesson {id: $id}) SET l.key = $key", id=les["id"], key=key)
        at = doc.get("ingested_at") or lifecycle.now()
        first = lifecycle.FilePlan({}, [(key, les.get("status") or lifecycle.INITIAL, {
            "at": at, "author": "ingest", "field": "status", "old": None, "new": les.get("status") or lifecycle.INITIAL,
            "reason": f"extracted from {doc.get('source')}"})], [])
        apply_plan(tx, first)
    return len(rows)
