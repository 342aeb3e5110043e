"""Reversible entity merges on SQLite.

A merge never rewrites history: each mention and relation keeps the id extraction gave it
(``original_id`` / ``original_src`` / ``original_dst``) and points at the canonical entity that
the active merges lead to.  Splitting marks the merge undone and re-points from the originals,
so a merge can be taken back exactly, and documents ingested later follow the merges in force.
"""

from __future__ import annotations

import sqlite3

from missiongraph.errors import InputError, NotFoundError


def active(db: sqlite3.Connection) -> dict[str, str]:
    """from id -> into id for every merge in force."""
    return dict(db.execute("SELECT from_id, into_id FROM entity_merges WHERE undone_at IS NULL ORDER BY id"))


def canonical(merges: dict[str, str], entity_id: str) -> str:
    seen = {entity_id}
    while entity_id in merges:
        entity_id = merges[entity_id]
        if entity_id in seen:  # a cycle cannot be created through merge(); stop rather than loop
            break
        seen.add(entity_id)
    return entity_id


def check_merge(merges: dict[str, str], exists, from_id: str, into_id: str, reason: str) -> str:
    """The rules every backend applies before a merge; returns the reason as recorded.
    ``exists(entity_id)`` says whether the store holds the entity."""
    for eid in (from_id, into_id):
        if not exists(eid):
            raise NotFoundError(f"no entity with id {eid!r}", input=eid)
    if not reason or not reason.strip():
        raise InputError("a merge needs a reason (it is recorded and shown)", input=from_id)
    if from_id == into_id or canonical(merges, into_id) == from_id:
        raise InputError(f"cannot merge {from_id!r} into {into_id!r}: it would merge an entity into itself",
                         input=from_id)
    if from_id in merges:
        raise InputError(f"{from_id!r} is already merged into {merges[from_id]!r}; split it first", input=from_id)
    return reason.strip()


def merge(db: sqlite3.Connection, from_id: str, into_id: str, reason: str, now: str) -> dict:
    exists = lambda eid: db.execute("SELECT 1 FROM entities WHERE id=?", (eid,)).fetchone() is not None  # noqa: E731
    reason = check_merge(active(db), exists, from_id, into_id, reason)
    mid = db.execute("INSERT INTO entity_merges(from_id, into_id, reason, at) VALUES (?,?,?,?)",
                     (from_id, into_id, reason, now)).lastrowid
    _repoint(db)
    return {"id": mid, "from": from_id, "into": into_id, "reason": reason, "at": now, "undone_at": None}


def record_auto_merges(db: sqlite3.Connection, merges, now: str) -> None:
    """Merges found at ingest, once per pair: a pair a user has split stays split, and a name
    already merged elsewhere keeps that merge."""
    for m in merges:
        if m.from_id == m.into_id or db.execute(
                "SELECT 1 FROM entity_merges WHERE from_id=? AND (into_id=? OR undone_at IS NULL)",
                (m.from_id, m.into_id)).fetchone():
            continue
        if canonical(active(db), m.into_id) == m.from_id:
            continue
        db.execute("INSERT INTO entity_merges(from_id, into_id, reason, at) VALUES (?,?,?,?)",
                   (m.from_id, m.into_id, m.reason, now))


def split(db: sqlite3.Connection, from_id: str, now: str) -> dict:
    row = db.execute("SELECT id, into_id, reason, at FROM entity_merges WHERE from_id=? AND undone_at IS NULL",
                     (from_id,)).fetchone()
    if row is None:
        raise InputError(f"{from_id!r} is not merged into another entity", input=from_id)
    db.execute("UPDATE entity_merges SET undone_at=? WHERE id=?", (now, row[0]))
    _repoint(db)
    return {"id": row[0], "from": from_id, "into": row[1], "reason": row[2], "at": row[3], "undone_at": now}


def history(db: sqlite3.Connection, entity_id: str) -> list[dict]:
    rows = db.execute("""SELECT id, from_id, into_id, reason, at, undone_at FROM entity_merges
                         WHERE from_id=? OR into_id=? ORDER BY id""", (entity_id, entity_id))
    return [{"id": r[0], "from": r[1], "into": r[2], "reason": r[3], "at": r[4], "undone_at": r[5]} for r in rows]


def _repoint(db: sqlite3.Connection) -> None:
    """Point every mention and relation of an entity that was ever merged at its canonical entity."""
    merges = active(db)
    ids = {r[0] for r in db.execute("SELECT from_id FROM entity_merges UNION SELECT into_id FROM entity_merges")}
    for eid in ids:
        db.execute("UPDATE mentions SET original_id=entity_id WHERE original_id IS NULL AND entity_id=?", (eid,))
        db.execute("UPDATE relations SET original_src=src WHERE original_src IS NULL AND src=?", (eid,))
        db.execute("UPDATE relations SET original_dst=dst WHERE original_dst IS NULL AND dst=?", (eid,))
    for eid in ids:
        target = canonical(merges, eid)
        db.execute("UPDATE mentions SET entity_id=? WHERE original_id=?", (target, eid))
        db.execute("UPDATE relations SET src=? WHERE original_src=?", (target, eid))
        db.execute("UPDATE relations SET dst=? WHERE original_dst=?", (target, eid))
