"""Reversible entity merges on SQLite.

A merge never rewrites history: each mention and relation keeps the id extraction gave it
(``original_id`` / ``original_src`` / ``original_dst``) and points at the canonical entity that
the active merges lead to.  Splitting marks the merge undone and re-points from the originals,
so a merge can be taken back exactly, and documents ingested later follow the merges in force.
"""

from __future__ import annotations

import sqlite3

from missiongraph.errors import InputError, NotFoundError

_FIELDS = "id, from_id, into_id, reason, at, undone_at"


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


def plan_restore(existing: list[dict], records: list[dict]) -> list[dict]:
    """The merge records (``entity_merges`` shape) that restoring ``records`` adds to a store
    holding ``existing``: a record already there (same from, into, reason and time) is left as
    it is, so restoring twice adds nothing.  Refuses, before anything is written, a record
    that is malformed or would put a second merge of one entity in force or close a cycle."""
    from collections import Counter

    key = lambda m: (m["from"], m["into"], m["reason"], m["at"])  # noqa: E731
    have = Counter(key(m) for m in existing)
    in_force = {m["from"]: m["into"] for m in existing if m["undone_at"] is None}
    out = []
    for n, m in enumerate(records, start=1):
        if not all(isinstance(m.get(f), str) and m[f].strip() for f in ("from", "into", "reason", "at")) \
                or not isinstance(m.get("undone_at"), (str, type(None))) or m["from"] == m["into"]:
            raise InputError(f"merge record {n} is malformed (needs from, into, reason and at as text, "
                             f"from unlike into, undone_at text or null): {m!r}", input=str(m.get("from")))
        if have[key(m)]:
            have[key(m)] -= 1
            continue
        if m["undone_at"] is None:
            if m["from"] in in_force:
                raise InputError(f"merge record {n} puts {m['from']!r} into {m['into']!r}, but it is already "
                                 f"merged into {in_force[m['from']]!r}; split it first", input=m["from"])
            in_force[m["from"]] = m["into"]
            if m["from"] in _chain(in_force, m["into"]):
                raise InputError(f"merge record {n} would merge {m['from']!r} into itself", input=m["from"])
        out.append({k: m[k] for k in ("from", "into", "reason", "at", "undone_at")})
    return out


def _chain(merges: dict[str, str], entity_id: str) -> set[str]:
    seen = {entity_id}
    while entity_id in merges and merges[entity_id] not in seen:
        entity_id = merges[entity_id]
        seen.add(entity_id)
    return seen


def restore(db: sqlite3.Connection, records: list[dict], now: str) -> int:
    """Write merge records verbatim (reason, times, undone state); return how many were added.
    Nothing is re-pointed: mentions and relations read back by ``file_bundles`` already carry
    what the merges did to them."""
    todo = plan_restore(history_all(db), records)
    db.executemany("INSERT INTO entity_merges(from_id, into_id, reason, at, undone_at) VALUES (?,?,?,?,?)",
                   [(m["from"], m["into"], m["reason"], m["at"], m["undone_at"]) for m in todo])
    return len(todo)


def history_all(db: sqlite3.Connection) -> list[dict]:
    """Every merge record in the order made."""
    return _records(db.execute(f"SELECT {_FIELDS} FROM entity_merges ORDER BY id"))


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
    return _records(db.execute(f"SELECT {_FIELDS} FROM entity_merges WHERE from_id=? OR into_id=? ORDER BY id",
                               (entity_id, entity_id)))


def _records(rows) -> list[dict]:
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
