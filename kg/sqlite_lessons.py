"""The lessons-learned process in SQLite: ``lesson_state`` and ``lesson_events`` (kg.lifecycle)."""

from __future__ import annotations

import sqlite3

from kg import lifecycle

STATE_FIELDS = lifecycle.STATE_FIELDS
EVENT_FIELDS = ("at", "author", "field", "old", "new", "reason")
TEXT_FIELDS = "l.key, l.title, l.observation, l.recommendation, l.lesson"


def file_lessons(db: sqlite3.Connection, path: str) -> list[dict]:
    rows = db.execute(f"SELECT {TEXT_FIELDS} FROM lessons l JOIN documents d ON d.id=l.doc_id WHERE d.source=?",
                      (path,))
    return [dict(r) for r in rows]


def states(db: sqlite3.Connection, keys: list[str] | None) -> dict[str, dict]:
    if keys is None:
        rows = db.execute("SELECT * FROM lesson_state").fetchall()
    else:
        rows = []
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows += db.execute(f"SELECT * FROM lesson_state WHERE key IN ({','.join('?' * len(part))})",
                               part).fetchall()
    return {r["key"]: {f: r[f] for f in STATE_FIELDS} for r in rows}


def _append(db: sqlite3.Connection, key: str, events: list[dict]) -> None:
    db.executemany("INSERT INTO lesson_events(key, at, author, field, old, new, reason) VALUES (?,?,?,?,?,?,?)",
                   [(key, *(e.get(f) for f in EVENT_FIELDS)) for e in events])


def write_state(db: sqlite3.Connection, key: str, state: dict, events: list[dict]) -> None:
    """Inside the caller's transaction: the new state, its events, and the rows' status column."""
    db.execute(f"INSERT OR REPLACE INTO lesson_state({', '.join(STATE_FIELDS)}) VALUES ({','.join('?' * len(STATE_FIELDS))})",
               tuple(state.get(f) if f != "key" else key for f in STATE_FIELDS))
    _append(db, key, events)
    db.execute("UPDATE lessons SET status=? WHERE key=?", (state["status"], key))


def events(db: sqlite3.Connection, key: str) -> list[dict]:
    rows = db.execute(f"SELECT {', '.join(EVENT_FIELDS)} FROM lesson_events WHERE key=? ORDER BY id", (key,))
    return [dict(r) for r in rows]


def apply_plan(db: sqlite3.Connection, plan: lifecycle.FilePlan) -> None:
    """A file's rewrite, for lesson state (``lifecycle.plan_rewrite``); the caller's transaction."""
    for new, old in plan.carried.items():
        db.execute("UPDATE lesson_state SET key=? WHERE key=?", (new, old))
        db.execute("UPDATE lesson_events SET key=? WHERE key=?", (new, old))
    db.executemany("INSERT OR IGNORE INTO lesson_state(key, status, updated_at, updated_by) VALUES (?,?,?,?)",
                   [(key, status, e["at"], e["author"]) for key, status, e in plan.first])
    for key, _, e in plan.first:
        _append(db, key, [e])
    for key, e in plan.events:
        _append(db, key, [e])


def lessons_by(db: sqlite3.Connection, ids: list[int] | None = None, keys: list[str] | None = None) -> list[dict]:
    where, args = ("l.id IN ({})".format(",".join("?" * len(ids))), ids) if ids else (
        "l.key IN ({})".format(",".join("?" * len(keys or []))), keys or [])
    if not args:
        return []
    rows = db.execute(f"""SELECT l.*, d.source, d.symbol, d.title AS doc_title, d.date AS doc_date, d.kind AS doc_kind
                          FROM lessons l JOIN documents d ON d.id=l.doc_id WHERE {where} ORDER BY l.id""", args)
    return [dict(r) for r in rows]


def backfill_keys(db: sqlite3.Connection) -> int:
    """Keys (and first-sight state) for lessons written before migration 4; returns how many."""
    rows = db.execute("""SELECT l.id, l.title, l.observation, l.recommendation, l.lesson, l.status, d.symbol,
                                d.source, d.record, d.ingested_at
                         FROM lessons l JOIN documents d ON d.id=l.doc_id WHERE l.key IS NULL""").fetchall()
    if not rows:
        return 0
    db.execute("BEGIN IMMEDIATE")
    try:
        for r in rows:
            key = lifecycle.lesson_key(lifecycle.document_ident(dict(r)), dict(r))
            db.execute("UPDATE lessons SET key=? WHERE id=?", (key, r["id"]))
            if db.execute("INSERT OR IGNORE INTO lesson_state(key, status, updated_at, updated_by) VALUES (?,?,?,?)",
                          (key, r["status"], r["ingested_at"], "ingest")).rowcount:
                _append(db, key, [{"at": r["ingested_at"], "author": "ingest", "field": "status", "old": None,
                                   "new": r["status"], "reason": f"extracted from {r['source']}"}])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return len(rows)
