"""Extracted facts read from the embedded store: resolutions (one row per file that holds one),
their clauses, the relations between nodes, incidents and lessons."""

from __future__ import annotations

import json
import sqlite3


def resolution_rows(db: sqlite3.Connection, *, symbol=None, number=None, year=None) -> list[dict]:
    where, args = [], []
    for col, val in (("r.symbol", symbol), ("r.number", number), ("r.year", year)):
        if val is not None:
            where.append(f"{col}=?")
            args.append(val)
    sql = ("SELECT r.*, d.source FROM resolutions r JOIN documents d ON d.id=r.doc_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.adopted, r.symbol, r.doc_id")
    return [_resolution(r) for r in db.execute(sql, args)]


def resolution_clauses(db: sqlite3.Connection, symbol: str) -> list[dict]:
    rows = db.execute("SELECT c.*, p.page FROM clauses c LEFT JOIN passages p ON p.id=c.passage_id "
                      "WHERE c.symbol=? ORDER BY c.doc_id, c.seq", (symbol,)).fetchall()
    out = []
    for r in rows:
        d = dict(r)
        d["tasks"] = json.loads(d["tasks"])
        out.append(d)
    return out


def resolutions_concerning(db: sqlite3.Connection, mission_ids: list[str]) -> list[dict]:
    """Every row of every resolution that CONCERNS one of the missions."""
    if not mission_ids:
        return []
    marks = ",".join("?" * len(mission_ids))
    symbols = [r[0] for r in db.execute(
        f"SELECT DISTINCT substr(src, 5) FROM relations WHERE rel='CONCERNS' AND src LIKE 'res:%' "
        f"AND dst IN ({marks})", mission_ids)]
    rows: list[dict] = []
    for sym in symbols:
        rows.extend(resolution_rows(db, symbol=sym))
    return rows


def relations(db: sqlite3.Connection, *, src=None, rel=None, dst=None, limit=1000) -> list[dict]:
    where, args = [], []
    for col, val in (("src", src), ("rel", rel), ("dst", dst)):
        if val is not None:
            where.append(f"{col}=?")
            args.append(val)
    sql = "SELECT * FROM relations" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id LIMIT ?"
    out = []
    for r in db.execute(sql, (*args, limit)):
        d = dict(r)
        d["props"] = json.loads(d["props"])
        out.append(d)
    return out


def incidents(db: sqlite3.Connection, *, doc_id=None, limit=100) -> list[dict]:
    sql = "SELECT * FROM incidents" + (" WHERE doc_id=?" if doc_id is not None else "") + " ORDER BY id LIMIT ?"
    rows = db.execute(sql, (doc_id, limit) if doc_id is not None else (limit,)).fetchall()
    return [{**dict(r), "actors": json.loads(r["actors"])} for r in rows]


def lessons(db: sqlite3.Connection, *, doc_id=None, limit=100, status=None) -> list[dict]:
    where, args = [], []
    if doc_id is not None:
        where.append("doc_id=?")
        args.append(doc_id)
    if status is not None:
        where.append("status=?")
        args.append(status)
    sql = "SELECT * FROM lessons" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id LIMIT ?"
    return [dict(r) for r in db.execute(sql, (*args, limit)).fetchall()]


def _resolution(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["chapter_vii"] = bool(d["chapter_vii"])
    d["missions"] = json.loads(d["missions"])
    d["cites"] = json.loads(d["cites"])
    return d
