"""What search filters and explanations read from the Bolt store: the same answers as
``kg.sqlite_facets``, from batched Cypher reads (``UNWIND`` over id chunks small enough for
FalkorDB's request limit), with the joining done here.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Iterable, Sequence

from kg.bolt.search import stem
from kg.topics import has_topic, prefilter_word, topics_of

Read = Callable[..., list[dict]]


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def linked(read: Read, ids: Sequence[str]) -> tuple[set[int], set[int]]:
    """(documents that CONCERN one of ``ids``, passages that mention one)."""
    docs = {r["d"] for r in read("MATCH (r:Relation {rel: 'CONCERNS'}) WHERE r.dst IN $ids "
                                 "RETURN DISTINCT r.doc_id AS d", ids=list(ids))}
    passages = {r["p"] for r in read("MATCH (m:Mention) WHERE m.entity_id IN $ids "
                                     "RETURN DISTINCT m.passage_id AS p", ids=list(ids))}
    return docs, passages


def filter_ids(read: Read, *, kind: str | None, year: int | None, mission_ids: Sequence[str] | None,
               country: Sequence[str] | None, task: str | None, topic: str | None) -> set[int]:
    """Passage ids passing every given filter (AND); see ``GraphStore.filter_passage_ids``."""
    where = []
    if kind is not None:
        where.append("d.kind = $kind")
    if year is not None:
        where.append("substring(d.date, 0, 4) = $year")
    cypher = "MATCH (p:Passage) MATCH (d:Document {id: p.doc_id})"
    if where:
        cypher += " WHERE " + " AND ".join(where)
    rows = read(cypher + " RETURN p.id AS id, p.doc_id AS doc", kind=kind,
                year=f"{int(year):04d}" if year is not None else None)
    tests: list[Callable[[dict], bool]] = []
    for ids in (mission_ids, country):
        if ids is not None:
            docs, passages = linked(read, ids)
            tests.append(lambda r, docs=docs, passages=passages: r["doc"] in docs or r["id"] in passages)
    if task is not None:
        mandated = {r["p"] for r in read("MATCH (r:Relation {rel: 'MANDATES', dst: $t}) "
                                         "RETURN DISTINCT r.passage_id AS p", t=f"task:{task}")}
        tests.append(lambda r: r["id"] in mandated)
    if topic is not None:
        with_topic = set(topic_documents(read, topic))
        tests.append(lambda r: r["doc"] in with_topic)
    return {r["id"] for r in rows if all(t(r) for t in tests)}


def topic_documents(read: Read, topic: str) -> list[int]:
    rows = read("MATCH (d:Document) WHERE toLower(d.meta) CONTAINS $w RETURN d.id AS id, d.meta AS meta",
                w=prefilter_word(topic))
    return [r["id"] for r in rows if has_topic(json.loads(r["meta"] or "{}"), topic)]


def passage_links(read: Read, chunk: int, ids: Iterable[int]) -> dict[int, dict]:
    """See ``GraphStore.passage_links``."""
    ids = list(dict.fromkeys(int(i) for i in ids))
    out: dict[int, dict] = {}
    topics: dict[int, list[str]] = {}
    for part in _chunks(ids, chunk):
        for r in read("UNWIND $ids AS pid MATCH (p:Passage {id: pid}) MATCH (d:Document {id: p.doc_id}) "
                      "RETURN p.id AS id, p.doc_id AS doc, p.norm_hash AS h, d.kind AS kind, d.date AS date, "
                      "d.meta AS meta", ids=part):
            if r["doc"] not in topics:
                topics[r["doc"]] = topics_of(json.loads(r["meta"] or "{}"))
            out[r["id"]] = {"doc_id": r["doc"], "norm_hash": r["h"], "kind": r["kind"], "date": r["date"],
                            "entities": [], "concerns": [], "tasks": [], "topics": topics[r["doc"]]}
    aliases_of: dict[str, list[str]] = {}   # parsed once per entity: passages share actors
    for part in _chunks(list(out), chunk):
        rows = read("UNWIND $ids AS pid MATCH (m:Mention {passage_id: pid}) MATCH (e:Entity {id: m.entity_id}) "
                    "RETURN pid, e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases, count(m) AS n",
                    ids=part)
        for r in sorted(rows, key=lambda r: (-r["n"], r["name"])):
            if r["id"] not in aliases_of:
                aliases_of[r["id"]] = json.loads(r["aliases"] or "[]")
            out[r["pid"]]["entities"].append({"id": r["id"], "name": r["name"], "type": r["type"],
                                              "aliases": aliases_of[r["id"]], "count": r["n"]})
    concerns: dict[int, dict[str, dict]] = {}
    tasks: dict[int, set[str]] = {}
    for part in _chunks(list(topics), chunk):
        for r in read("UNWIND $docs AS did MATCH (r:Relation {doc_id: did}) WHERE r.rel IN ['CONCERNS', 'MANDATES'] "
                      "OPTIONAL MATCH (e:Entity {id: r.dst}) RETURN did, r.rel AS rel, r.dst AS dst, "
                      "r.passage_id AS pid, e.name AS name, e.type AS type", docs=part):
            if r["rel"] == "MANDATES" and r["pid"] in out:
                tasks.setdefault(r["pid"], set()).add(r["dst"][len("task:"):])
            elif r["rel"] == "CONCERNS" and r["name"] is not None:
                concerns.setdefault(r["did"], {})[r["dst"]] = {"id": r["dst"], "name": r["name"], "type": r["type"]}
    for pid, link in out.items():
        link["concerns"] = [concerns[link["doc_id"]][k] for k in sorted(concerns.get(link["doc_id"], {}))]
        link["tasks"] = sorted(tasks.get(pid, ()))
    return out


def keyword_spans(read: Read, chunk: int, terms: Sequence[str], ids: Iterable[int]) -> dict[int, list[tuple]]:
    """Words whose stem (``kg.bolt.search.stem``, what this store's BM25 compares) is a query term's."""
    stems = {stem(t): t for t in reversed(terms)}   # the first term wins when two share a stem
    out: dict[int, list[tuple]] = {}
    for part in _chunks(list(dict.fromkeys(int(i) for i in ids)), chunk):
        for r in read("UNWIND $ids AS pid MATCH (p:Passage {id: pid}) RETURN p.id AS id, p.text AS text", ids=part):
            spans = [(stems[s], m.start(), m.end()) for m in re.finditer(r"\w+", r["text"] or "")
                     for s in [stem(m.group(0).lower())] if s in stems]
            if spans:
                out[r["id"]] = spans
    return out
