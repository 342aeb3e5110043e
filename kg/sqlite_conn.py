"""Opening the embedded store's database and bringing its schema up to date.

One connection per thread (``SQLiteStore.db``), each in WAL mode with foreign keys on, so the
web UI keeps reading while an ingest in another process writes.  Migrations run one version
per transaction and re-check the version inside it, so two processes opening an old store at
once migrate it once.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from kg.schema import MIGRATIONS, SCHEMA_VERSION
from missiongraph.errors import StoreError

DB_NAME = "graph.sqlite"


def now() -> str:
    """The write timestamp stored with files, merges and entities (UTC, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(db_path: Path) -> sqlite3.Connection:
    """A new connection with the store's settings; a clear error when the file cannot be opened."""
    try:
        conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    except sqlite3.Error as e:
        raise StoreError(f"cannot open store {db_path}: {e}", input=str(db_path)) from e
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=60000")
    return conn


def migrate(db: sqlite3.Connection, db_path: Path) -> None:
    """Bring the schema to ``SCHEMA_VERSION``; refuse a store made by a newer missiongraph."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"store {db_path} has schema {version}, newer than this "
                         f"missiongraph ({SCHEMA_VERSION}); upgrade missiongraph", input=str(db_path))
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != number:
                db.execute("ROLLBACK")  # another process migrated meanwhile
                continue
            for statement in split_sql(MIGRATIONS[number]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={number + 1}")
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise


def split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def bump_generation(db: sqlite3.Connection) -> None:
    """Count one more write, so caches keyed on ``vector_stamp`` know the store changed."""
    db.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def chunks(items: list, n: int) -> Iterator[list]:
    """``items`` in slices of ``n``: SQLite caps the ``?`` marks one statement may hold."""
    for i in range(0, len(items), n):
        yield items[i:i + n]
