"""Reading the Bolt store back file by file (``GraphStore.files`` / ``file_bundles``).

A file is read in one read transaction; ``kg.bundles`` turns the nodes' properties back into
records.  Id lists travel in batches sized for FalkorDB's small requests.
"""

from __future__ import annotations

import json
from typing import Iterable

from kg.bolt.conn import Connection, run
from kg.bolt.falkor import batches, budget_of
from kg.bolt.schema import (
    CLAUSE_FIELDS, INCIDENT_FIELDS, LESSON_FIELDS, PASSAGE_FIELDS, RELATION_FIELDS, RESOLUTION_FIELDS, doc_record,
    entity_record, project, resolution_record,
)
from kg.bundles import assemble, attach_entities, entity_record as as_entity_record, order_files
from kg.model import DocumentBundle, EntityRecord

_MENTION_FIELDS = ("entity_id", "passage_id", "start", "end", "text", "original_id")


def files(conn: Connection) -> list[dict]:
    rows = conn.read("MATCH (f:File) RETURN f.path AS path, f.sha256 AS sha256, f.size AS size, "
                     "f.documents AS documents")
    first = {r["s"]: r["first"] for r in conn.read("MATCH (d:Document) RETURN d.source AS s, min(d.id) AS first")}
    return order_files(rows, first)


def file_bundles(conn: Connection, path: str) -> list[DocumentBundle]:
    def work(tx) -> list[DocumentBundle]:
        docs = run(tx, "MATCH (d:Document {source: $p}) RETURN properties(d) AS d ORDER BY d.id", p=path)
        out = [_bundle(tx, doc_record(r["d"])) for r in docs]
        attach_entities(out, lambda ids: entities_by_id(tx, ids))
        return out
    return conn.read_tx(work)


def entities(conn: Connection) -> list[dict]:
    return [entity_record(r["e"]) for r in conn.read("MATCH (e:Entity) RETURN properties(e) AS e ORDER BY e.id")]


def entities_by_id(tx, ids: Iterable[str]) -> list[EntityRecord]:
    out = []
    for batch in batches([{"id": i} for i in ids], budget_of(tx)):
        out += [as_entity_record(entity_record(r["e"])) for r in run(
            tx, "UNWIND $rows AS x MATCH (e:Entity {id: x.id}) RETURN properties(e) AS e", rows=batch)]
    return out


def _nodes(tx, label: str, fields: tuple[str, ...], doc_id: int, *json_fields: str) -> list[dict]:
    """A document's nodes of one label, by id where the label has ids, JSON fields decoded."""
    order = " ORDER BY n.id" if "id" in fields and label != "Clause" else ""
    out = []
    for r in run(tx, f"MATCH (n:{label} {{doc_id: $doc}}) RETURN properties(n) AS n{order}", doc=doc_id):
        d = project(r["n"], fields)
        for f in json_fields:
            d[f] = json.loads(d[f] or ("{}" if f == "props" else "[]"))
        out.append(d)
    return out


def _vectors(tx, ids: list[int]) -> dict:
    out = {}
    for batch in batches([{"id": i} for i in ids], budget_of(tx)):
        for r in run(tx, "UNWIND $rows AS x MATCH (p:Passage {id: x.id}) WHERE p.vec IS NOT NULL "
                         "RETURN p.id AS id, p.vec AS v", rows=batch):
            out[r["id"]] = r["v"]
    return out


def _bundle(tx, doc: dict) -> DocumentBundle:
    did = int(doc["id"])
    passages = sorted(_nodes(tx, "Passage", PASSAGE_FIELDS, did), key=lambda p: p["seq"])
    resolutions = [resolution_record(r) for r in _nodes(tx, "Resolution", RESOLUTION_FIELDS, did)]
    return assemble(
        doc, passages, _vectors(tx, [p["id"] for p in passages]),
        _nodes(tx, "Mention", _MENTION_FIELDS, did),
        resolutions,
        _nodes(tx, "Clause", CLAUSE_FIELDS, did, "tasks"),
        _nodes(tx, "Incident", INCIDENT_FIELDS, did, "actors"),
        _nodes(tx, "Lesson", LESSON_FIELDS, did),
        _nodes(tx, "Relation", RELATION_FIELDS, did, "props"),
    )
