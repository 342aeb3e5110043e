"""Actors read from the embedded store: by id or any name or alias, where they are mentioned
and with whom.  Names match case-insensitively; an exact id or name ranks first, then the most
mentioned, so "UNMISS" finds the mission before anything merely aliased so."""

from __future__ import annotations

import json
import sqlite3


def all_entities(db: sqlite3.Connection) -> list[dict]:
    return [_entity(r) for r in db.execute("SELECT * FROM entities ORDER BY id")]


def get(db: sqlite3.Connection, entity_id: str) -> dict | None:
    row = db.execute("SELECT * FROM entities WHERE id=?", (entity_id,)).fetchone()
    return _entity(row) if row else None


def find(db: sqlite3.Connection, name: str, limit: int = 20) -> list[dict]:
    rows = db.execute(
        """SELECT e.*, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id=e.id) AS n FROM entities e
           WHERE e.id=? COLLATE NOCASE OR e.name=? COLLATE NOCASE
              OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias=?)
           ORDER BY (e.id=? COLLATE NOCASE) DESC, (e.name=? COLLATE NOCASE) DESC, n DESC LIMIT ?""",
        (name, name, name, name, name, limit)).fetchall()
    return [_entity(r) for r in rows]


def mentions(db: sqlite3.Connection, entity_id: str, limit: int = 50) -> list[dict]:
    rows = db.execute(
        """SELECT m.doc_id, m.passage_id, m.start, m.end, m.text, d.source, d.title, d.symbol, d.record,
                  p.page, p.paragraph
           FROM mentions m JOIN documents d ON d.id=m.doc_id LEFT JOIN passages p ON p.id=m.passage_id
           WHERE m.entity_id=? ORDER BY m.doc_id, m.start LIMIT ?""", (entity_id, limit)).fetchall()
    return [dict(r) for r in rows]


def mention_count(db: sqlite3.Connection, entity_id: str) -> int:
    return db.execute("SELECT COUNT(*) FROM mentions WHERE entity_id=?", (entity_id,)).fetchone()[0]


def co_mentioned(db: sqlite3.Connection, entity_id: str, limit: int = 20) -> list[dict]:
    """Actors named in the same passages, by how many passages they share."""
    rows = db.execute(
        """SELECT e.id, e.name, e.type, COUNT(DISTINCT m2.passage_id) AS count
           FROM mentions m1 JOIN mentions m2 ON m2.passage_id=m1.passage_id AND m2.entity_id<>m1.entity_id
           JOIN entities e ON e.id=m2.entity_id
           WHERE m1.entity_id=? GROUP BY e.id ORDER BY count DESC, e.name LIMIT ?""",
        (entity_id, limit)).fetchall()
    return [dict(r) for r in rows]


def in_document(db: sqlite3.Connection, doc_id: int, type: str | None = None) -> list[dict]:
    sql = """SELECT e.id, e.name, e.type, COUNT(*) AS count FROM mentions m JOIN entities e ON e.id=m.entity_id
             WHERE m.doc_id=?""" + (" AND e.type=?" if type else "") + " GROUP BY e.id ORDER BY count DESC, e.name"
    return [dict(r) for r in db.execute(sql, (doc_id, type) if type else (doc_id,))]


def _entity(row: sqlite3.Row) -> dict:
    d = {k: row[k] for k in ("id", "type", "name")}
    d["aliases"] = json.loads(row["aliases"])
    d["props"] = json.loads(row["props"])
    return d
