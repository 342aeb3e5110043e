"""Reading the embedded store back file by file (``GraphStore.files`` / ``file_bundles``).

Each file is read inside one read transaction, so a writer in another process (WAL) cannot
change it half-way through; ``kg.bundles`` turns the rows back into records.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from kg.bundles import assemble, attach_entities, order_files
from kg.model import DocumentBundle, EntityRecord

_CHUNK = 500


def files(db: sqlite3.Connection) -> list[dict]:
    rows = [dict(r) for r in db.execute("SELECT path, sha256, size, documents FROM files")]
    first = dict(db.execute("SELECT source, MIN(id) FROM documents GROUP BY source").fetchall())
    return order_files(rows, first)


def file_bundles(db: sqlite3.Connection, path: str) -> list[DocumentBundle]:
    db.execute("BEGIN")
    try:
        bundles = [_bundle(db, doc) for doc in db.execute("SELECT * FROM documents WHERE source=? ORDER BY id",
                                                          (path,)).fetchall()]
        attach_entities(bundles, lambda ids: entities_by_id(db, ids))
    finally:
        db.execute("COMMIT")
    return bundles


def entities_by_id(db: sqlite3.Connection, ids: Iterable[str]) -> list[EntityRecord]:
    ids = list(ids)
    out = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        out += [EntityRecord(r[0], r[1], r[2], json.loads(r[3]))
                for r in db.execute(f"SELECT id, type, name, aliases FROM entities WHERE id IN ({marks})", chunk)]
    return out


def _rows(db: sqlite3.Connection, sql: str, doc_id: int, *json_fields: str) -> list[dict]:
    out = []
    for r in db.execute(sql, (doc_id,)):
        d = dict(r)
        for f in json_fields:
            d[f] = json.loads(d[f])
        out.append(d)
    return out


def _bundle(db: sqlite3.Connection, doc: sqlite3.Row) -> DocumentBundle:
    import numpy as np

    d = {**dict(doc), "meta": json.loads(doc["meta"])}
    did = d["id"]
    vectors = {pid: np.frombuffer(blob, dtype=np.float32) for pid, blob in db.execute(
        "SELECT v.passage_id, v.vec FROM vectors v JOIN passages p ON p.id=v.passage_id WHERE p.doc_id=?", (did,))}
    return assemble(
        d,
        _rows(db, "SELECT * FROM passages WHERE doc_id=? ORDER BY seq", did),
        vectors,
        _rows(db, "SELECT * FROM mentions WHERE doc_id=? ORDER BY id", did),
        _rows(db, "SELECT * FROM resolutions WHERE doc_id=? ORDER BY symbol", did, "missions", "cites"),
        _rows(db, "SELECT * FROM clauses WHERE doc_id=? ORDER BY seq, id", did, "tasks"),
        _rows(db, "SELECT * FROM incidents WHERE doc_id=? ORDER BY id", did, "actors"),
        _rows(db, "SELECT * FROM lessons WHERE doc_id=? ORDER BY id", did),
        _rows(db, "SELECT * FROM relations WHERE doc_id=? ORDER BY id", did, "props"),
    )
