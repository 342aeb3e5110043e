"""Documents and passages read from the embedded store, as the dicts ``GraphStore`` promises:
a document with its ``meta`` decoded, a passage with its document's source, title and kind."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from kg.sqlite_conn import chunks

PASSAGE_FIELDS = """p.id, p.doc_id, p.seq, p.text, p.start, p.end, p.page, p.paragraph,
    p.section, p.norm_hash, d.source, d.record, d.title, d.kind, d.symbol, d.date"""


def get(db: sqlite3.Connection, doc_id: int) -> dict | None:
    row = db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
    return _doc(row) if row else None


def find(db: sqlite3.Connection, *, source=None, symbol=None, kind=None, limit=100) -> list[dict]:
    where, args = [], []
    for col, val in (("source", source), ("symbol", symbol), ("kind", kind)):
        if val is not None:
            where.append(f"{col}=?")
            args.append(val)
    sql = "SELECT * FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
    rows = db.execute(sql + " ORDER BY id LIMIT ?", (*args, limit)).fetchall()
    return [_doc(r) for r in rows]


def shas(db: sqlite3.Connection) -> dict[int, str]:
    return dict(db.execute("SELECT id, sha256 FROM documents"))


def unit_rows(db: sqlite3.Connection, doc_ids: Iterable[int]) -> list[dict]:
    out: list[dict] = []
    for chunk in chunks([int(d) for d in doc_ids], 500):
        marks = ",".join("?" * len(chunk))
        out += [dict(r) for r in db.execute(f"SELECT {PASSAGE_FIELDS} FROM passages p JOIN documents d "
                                            f"ON d.id=p.doc_id WHERE p.doc_id IN ({marks}) ORDER BY p.doc_id, p.seq",
                                            chunk)]
    return out


def passages(db: sqlite3.Connection, doc_id: int) -> list[dict]:
    rows = db.execute(f"SELECT {PASSAGE_FIELDS} FROM passages p JOIN documents d ON d.id=p.doc_id "
                      "WHERE p.doc_id=? ORDER BY p.seq", (doc_id,)).fetchall()
    return [dict(r) for r in rows]


def passages_by_ids(db: sqlite3.Connection, ids: Iterable[int]) -> list[dict]:
    """The passages in the order asked; ids not in the store are left out."""
    ids = [int(i) for i in ids]
    found: dict[int, dict] = {}
    for chunk in chunks(ids, 500):
        marks = ",".join("?" * len(chunk))
        for r in db.execute(f"SELECT {PASSAGE_FIELDS} FROM passages p JOIN documents d "
                            f"ON d.id=p.doc_id WHERE p.id IN ({marks})", chunk):
            found[r["id"]] = dict(r)
    return [found[i] for i in ids if i in found]


def _doc(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["meta"] = json.loads(d["meta"])
    return d
