"""The property-graph layout of the Bolt store, shared by its reader and writer.

First cut: every record of the embedded store is a node with the same fields, linked by id
properties (``doc_id``, ``passage_id``, ``entity_id``), plus ``HAS_PASSAGE`` edges from a
document to its passages.  Records extracted from a file carry ``source`` so the file can
be forgotten with one indexed delete per label.  Maps and lists other than aliases are JSON
strings, because neither Neo4j nor FalkorDB stores a map as a property.
"""

from __future__ import annotations

import json

SCHEMA_VERSION = 2   # 2: lesson keys, LessonState and LessonEvent (kg.lifecycle)

DOCUMENT_FIELDS = ("id", "source", "record", "sha256", "format", "title", "kind", "symbol", "date", "text",
                   "meta", "marking", "release_to", "ingested_at")
PASSAGE_FIELDS = ("id", "doc_id", "seq", "text", "start", "end", "page", "paragraph", "section", "norm_hash")
PASSAGE_DOC_FIELDS = ("source", "record", "title", "kind", "symbol", "date")
RESOLUTION_FIELDS = ("symbol", "doc_id", "number", "year", "adopted", "action", "chapter_vii", "mandate_until",
                     "mandate_period", "missions", "cites")
CLAUSE_FIELDS = ("id", "doc_id", "symbol", "seq", "paragraph", "part", "verb", "text", "tasks", "passage_id",
                 "start", "end")
INCIDENT_FIELDS = ("id", "doc_id", "passage_id", "type", "date", "place", "actors", "killed", "injured", "text",
                   "start", "end")
LESSON_FIELDS = ("id", "doc_id", "passage_id", "title", "observation", "recommendation", "lesson", "origin",
                 "status", "start", "end", "key", "discussion", "conclusion")
RELATION_FIELDS = ("id", "src", "rel", "dst", "doc_id", "passage_id", "start", "end", "props", "original_src",
                   "original_dst")

# Labels holding records extracted from one file (deleted with it, by ``source``).
FILE_LABELS = ("Document", "Passage", "Mention", "Resolution", "Clause", "Incident", "Lesson", "Relation")

UNIQUE = {"Document": "id", "Passage": "id", "Entity": "id", "File": "path", "Incident": "id", "Lesson": "id",
          "Relation": "id", "EntityMerge": "id", "MGCounter": "name", "MGMeta": "key",
          "LessonState": "key"}
INDEXED = {
    **{lab: ["source"] for lab in FILE_LABELS},
    "Document": ["symbol", "kind"],
    "Passage": ["doc_id", "norm_hash"],
    "Mention": ["entity_id", "original_id", "doc_id", "passage_id"],
    "Resolution": ["symbol", "doc_id"],
    "Clause": ["symbol"],
    "Relation": ["src", "dst", "doc_id", "original_src", "original_dst"],
    "EntityMerge": ["from_id", "into_id"],
    "Incident": ["doc_id"],
    "Lesson": ["doc_id", "key", "status"],
    "LessonEvent": ["key"],
}
FULLTEXT = ("Passage", ["text", "title"])


def project(row: dict | None, fields: tuple[str, ...]) -> dict:
    """A record with exactly ``fields`` (absent properties read as None, as SQL NULL does)."""
    row = row or {}
    return {f: row.get(f) for f in fields}


def doc_record(props: dict) -> dict:
    d = project(props, DOCUMENT_FIELDS)
    d["meta"] = json.loads(d["meta"] or "{}")
    return d


def entity_record(props: dict) -> dict:
    d = {k: props.get(k) for k in ("id", "type", "name")}
    d["aliases"] = json.loads(props.get("aliases") or "[]")
    d["props"] = json.loads(props.get("props") or "{}")
    return d


def resolution_record(d: dict) -> dict:
    d["chapter_vii"] = bool(d["chapter_vii"])
    d["missions"] = json.loads(d["missions"] or "[]")
    d["cites"] = json.loads(d["cites"] or "[]")
    return d
