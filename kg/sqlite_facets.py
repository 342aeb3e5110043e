"""What search filters and explanations read from the embedded store, each in a few batched queries.

Kept apart from ``kg.sqlite_store`` so the store class stays a list of thin methods.  Id lists
travel as one JSON parameter read with ``json_each``, so no statement grows with the number
of ids and every value stays a bound parameter.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Iterable, Sequence

from kg.topics import has_topic, prefilter_word, topics_of

_OPEN, _CLOSE = "\x02", "\x03"   # markers around FTS5 highlight() matches; control characters prose lacks
_IN_JSON = "IN (SELECT value FROM json_each(?))"


def linked_clause(column_doc: str, column_passage: str) -> str:
    """SQL true for a passage whose document CONCERNS one of the ids or that mentions one
    (the rule of the mission filter, reused for countries); takes the JSON id list twice."""
    return (f"({column_doc} IN (SELECT doc_id FROM relations WHERE rel='CONCERNS' AND dst {_IN_JSON})"
            f" OR {column_passage} IN (SELECT passage_id FROM mentions WHERE entity_id {_IN_JSON}))")


def filter_ids(db: sqlite3.Connection, *, kind: str | None, year: int | None, mission_ids: Sequence[str] | None,
               country: Sequence[str] | None, task: str | None, topic: str | None) -> set[int]:
    """Passage ids passing every given filter (AND); see ``GraphStore.filter_passage_ids``."""
    where, args = [], []
    if kind is not None:
        where.append("d.kind=?")
        args.append(kind)
    if year is not None:
        where.append("substr(d.date,1,4)=?")
        args.append(f"{int(year):04d}")
    for ids in (mission_ids, country):
        if ids is not None:
            where.append(linked_clause("d.id", "p.id"))
            args += [json.dumps(list(ids))] * 2
    if task is not None:
        where.append("p.id IN (SELECT passage_id FROM relations WHERE rel='MANDATES' AND dst=?)")
        args.append(f"task:{task}")
    if topic is not None:
        where.append(f"d.id {_IN_JSON}")
        args.append(json.dumps(topic_documents(db, topic)))
    sql = "SELECT p.id FROM passages p JOIN documents d ON d.id=p.doc_id WHERE " + " AND ".join(where or ["1"])
    return {r[0] for r in db.execute(sql, args)}


def topic_documents(db: sqlite3.Connection, topic: str) -> list[int]:
    """Ids of documents whose record carries ``topic`` (``kg.topics``)."""
    word = prefilter_word(topic)
    rows = db.execute("SELECT id, meta FROM documents WHERE instr(lower(meta), ?) > 0", (word,))
    return [r[0] for r in rows if has_topic(json.loads(r[1]), topic)]


def passage_links(db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, dict]:
    """Per passage: document kind/date, ``norm_hash``, the entities it mentions, what its
    document CONCERNS, the tasks of the clauses it holds and its record's topics."""
    ids_json = json.dumps(list(dict.fromkeys(int(i) for i in ids)))
    out: dict[int, dict] = {}
    topics: dict[int, list[str]] = {}
    for r in db.execute(f"""SELECT p.id, p.doc_id, p.norm_hash, d.kind, d.date, d.meta FROM passages p
                            JOIN documents d ON d.id=p.doc_id WHERE p.id {_IN_JSON}""", (ids_json,)):
        if r[1] not in topics:
            topics[r[1]] = topics_of(json.loads(r[5]))
        out[r[0]] = {"doc_id": r[1], "norm_hash": r[2], "kind": r[3], "date": r[4], "entities": [],
                     "concerns": [], "tasks": [], "topics": topics[r[1]]}
    aliases_of: dict[str, list[str]] = {}   # parsed once per entity: passages share actors
    for pid, eid, name, typ, aliases, n in db.execute(
            f"""SELECT m.passage_id, e.id, e.name, e.type, e.aliases, COUNT(*) AS n FROM mentions m
                JOIN entities e ON e.id=m.entity_id WHERE m.passage_id {_IN_JSON}
                GROUP BY m.passage_id, e.id ORDER BY n DESC, e.name""", (ids_json,)):
        if eid not in aliases_of:
            aliases_of[eid] = json.loads(aliases)
        out[pid]["entities"].append({"id": eid, "name": name, "type": typ, "aliases": aliases_of[eid], "count": n})
    concerns: dict[int, list[dict]] = {}
    for doc, eid, name, typ in db.execute(
            f"""SELECT DISTINCT r.doc_id, e.id, e.name, e.type FROM relations r JOIN entities e ON e.id=r.dst
                WHERE r.rel='CONCERNS' AND r.doc_id {_IN_JSON} ORDER BY e.id""", (json.dumps(list(topics)),)):
        concerns.setdefault(doc, []).append({"id": eid, "name": name, "type": typ})
    for pid, task in db.execute(f"""SELECT DISTINCT passage_id, substr(dst, 6) FROM relations
                                    WHERE rel='MANDATES' AND passage_id {_IN_JSON} ORDER BY 1, 2""", (ids_json,)):
        out[pid]["tasks"].append(task)
    for link in out.values():
        link["concerns"] = concerns.get(link["doc_id"], [])
    return out


def keyword_spans(db: sqlite3.Connection, terms: Sequence[str], ids: Iterable[int]) -> dict[int, list[tuple]]:
    """``(term, start, end)`` for every word of the passages' text that FTS5 matches to a
    query term (its porter stemming and diacritic folding included), by asking FTS5 itself."""
    ids_json = json.dumps(list(dict.fromkeys(int(i) for i in ids)))
    out: dict[int, list[tuple]] = {}
    for term in terms:
        rows = db.execute(f"""SELECT rowid, text, highlight(passages_fts, 0, ?, ?) FROM passages_fts
                              WHERE passages_fts MATCH ? AND rowid {_IN_JSON}""",
                          (_OPEN, _CLOSE, f'text : "{term}"', ids_json))
        for pid, text, marked in rows:
            out.setdefault(pid, []).extend((term, s, e) for s, e in _marked_spans(text, marked))
    for spans in out.values():
        spans.sort(key=lambda t: (t[1], t[2]))
    return out


def _marked_spans(text: str, marked: str) -> list[tuple[int, int]]:
    """Offsets into ``text`` of the pieces ``highlight()`` wrapped; none if the markers are ambiguous."""
    if _OPEN in text or _CLOSE in text:
        return []
    spans, plain, pos, length = [], [], 0, 0
    for m in re.finditer(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}", marked):
        plain += [marked[pos:m.start()], m.group(1)]
        start = length + m.start() - pos
        length = start + len(m.group(1))
        spans.append((start, length))
        pos = m.end()
    plain.append(marked[pos:])
    return spans if "".join(plain) == text else []
