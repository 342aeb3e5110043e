"""Embedded default store: one SQLite file (WAL, foreign keys, FTS5) in a folder.

WAL lets the web UI keep reading while a CLI ingest writes from another process; a
connection per thread keeps Flask's threaded server safe.  Every file is replaced inside
one transaction, so a failure half-way leaves the previous state untouched.

The class is a list of thin methods; the SQL lives beside it by subject: ``sqlite_conn``
(opening, migrations), ``sqlite_write`` (a file's records), ``sqlite_readback`` (files back as
records), ``sqlite_documents``, ``sqlite_entities``, ``sqlite_facts`` (resolutions, relations,
incidents, lessons), ``sqlite_vectors``, ``sqlite_keyword`` (BM25), ``sqlite_facets`` (filters
and links), ``sqlite_merges`` and ``sqlite_health`` (stats, check).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path
from typing import Iterable

from kg import lifecycle
from kg import sqlite_documents
from kg import sqlite_entities
from kg import sqlite_facets
from kg import sqlite_facts
from kg import sqlite_health
from kg import sqlite_keyword
from kg import sqlite_lessons
from kg import sqlite_merges
from kg import sqlite_readback
from kg import sqlite_vectors
from kg.model import DocumentBundle, EntityRecord
from kg.sqlite_conn import DB_NAME, bump_generation, connect, migrate, now
from kg.sqlite_write import upsert_entity, write_bundle
from kg.store import GraphStore
from missiongraph.errors import StoreError

__all__ = ["SQLiteStore", "DB_NAME", "fts_query"]


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 expression: quoted terms joined by OR."""
    terms = re.findall(r"\w+", text.lower())
    seen: list[str] = []
    for t in terms:
        if t not in seen:
            seen.append(t)
    return " OR ".join(f'"{t}"' for t in seen[:64])


class SQLiteStore(GraphStore):
    def __init__(self, path: str | Path):
        self.root = Path(path).expanduser().resolve()
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"store path {self.root} is a file, expected a folder", input=str(path))
        self.root.mkdir(parents=True, exist_ok=True)
        self.url = str(self.root)
        self.db_path = self.root / DB_NAME
        self._local = threading.local()
        self._migrate()

    # -- connections -------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.db_path)
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        migrate(self.db, self.db_path)
        try:
            sqlite_lessons.backfill_keys(self.db)
        except sqlite3.OperationalError:
            pass   # a read-only store: its lessons are read by row, the lifecycle needs a writable one

    @property
    def index_dir(self) -> Path:
        d = self.root / "index"
        d.mkdir(exist_ok=True)
        return d

    # -- writing -----------------------------------------------------------------
    def file_sha(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def replace_file(self, path: str, sha256: str, size: int, bundles: list[DocumentBundle]) -> list[int]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            stamp = now()
            plan = lifecycle.plan_rewrite(sqlite_lessons.file_lessons(db, path), bundles,
                                          lambda keys: sqlite_lessons.states(db, keys), path, stamp)
            db.execute("DELETE FROM documents WHERE source=?", (path,))
            sqlite_lessons.apply_plan(db, plan)
            ids = [write_bundle(db, b, stamp) for b in bundles]
            db.execute(
                "INSERT OR REPLACE INTO files(path, sha256, size, documents, ingested_at) VALUES (?,?,?,?,?)",
                (path, sha256, size, len(ids), now()),
            )
            bump_generation(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return ids

    def _write(self, fn, *args):
        """Run ``fn(db, *args, now)`` in one immediate transaction."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            out = fn(db, *args, now())
            bump_generation(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return out

    def merge_entities(self, from_id: str, into_id: str, reason: str) -> dict:
        return self._write(sqlite_merges.merge, from_id, into_id, reason)

    def split_entity(self, from_id: str) -> dict:
        return self._write(sqlite_merges.split, from_id)

    def entity_merges(self, entity_id: str | None = None) -> list[dict]:
        if entity_id is None:
            return [m for (eid,) in self.db.execute("SELECT DISTINCT from_id FROM entity_merges")
                    for m in sqlite_merges.history(self.db, eid) if m["from"] == eid]
        return sqlite_merges.history(self.db, entity_id)

    def remove_file(self, path: str) -> int:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            n = db.execute("DELETE FROM documents WHERE source=?", (path,)).rowcount
            db.execute("DELETE FROM files WHERE path=?", (path,))
            bump_generation(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return n

    def set_vector_meta(self, model: str, dim: int) -> None:
        sqlite_vectors.set_meta(self.db, model, dim)

    # -- reading it all back -----------------------------------------------------
    def files(self) -> list[dict]:
        return sqlite_readback.files(self.db)

    def file_bundles(self, path: str) -> list[DocumentBundle]:
        return sqlite_readback.file_bundles(self.db, path)

    def entities(self) -> list[dict]:
        return sqlite_entities.all_entities(self.db)

    def upsert_entities(self, records: list[EntityRecord]) -> None:
        self._write(lambda db, now: [upsert_entity(db, e) for e in records])

    def restore_merges(self, records: list[dict]) -> int:
        return self._write(sqlite_merges.restore, records)

    # -- documents and passages --------------------------------------------------
    def get_document(self, doc_id: int) -> dict | None:
        return sqlite_documents.get(self.db, doc_id)

    def find_documents(self, *, source=None, symbol=None, kind=None, limit=100) -> list[dict]:
        return sqlite_documents.find(self.db, source=source, symbol=symbol, kind=kind, limit=limit)

    def document_passages(self, doc_id: int) -> list[dict]:
        return sqlite_documents.passages(self.db, doc_id)

    def passages_by_ids(self, ids: Iterable[int]) -> list[dict]:
        return sqlite_documents.passages_by_ids(self.db, ids)

    uses_keyword_index = True

    def keyword_search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        # Passage-level BM25 by FTS5, for the store interface; search ranks units through
        # search/keyword_index.py instead.
        return sqlite_keyword.search(self.db, query, k, allowed)

    def document_shas(self) -> dict[int, str]:
        return sqlite_documents.shas(self.db)

    def unit_rows(self, doc_ids) -> list[dict]:
        return sqlite_documents.unit_rows(self.db, doc_ids)

    def _filter_ids(self, *, kind, year, mission_ids, country, task, topic) -> set[int]:
        return sqlite_facets.filter_ids(self.db, kind=kind, year=year, mission_ids=mission_ids, country=country,
                                 task=task, topic=topic)

    def passage_links(self, ids: Iterable[int]) -> dict[int, dict]:
        return sqlite_facets.passage_links(self.db, ids)

    def keyword_spans(self, query: str, ids: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        return sqlite_facets.keyword_spans(self.db, sqlite_keyword.query_terms(query), ids)

    # -- vectors -----------------------------------------------------------------
    def vector_ids(self) -> list[int]:
        return sqlite_vectors.ids(self.db)

    def get_vectors(self, ids: list[int]):
        return sqlite_vectors.by_ids(self.db, ids)

    def vector_stamp(self) -> str:
        """Changes with every write, so the FAISS cache can skip comparing id sets."""
        return sqlite_vectors.stamp(self.db, self.db_path)

    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict:
        return sqlite_vectors.by_hashes(self.db, hashes)

    def vector_meta(self) -> dict:
        return sqlite_vectors.meta(self.db)

    # -- entities ----------------------------------------------------------------
    def get_entity(self, entity_id: str) -> dict | None:
        return sqlite_entities.get(self.db, entity_id)

    def find_entities(self, name: str, limit: int = 20) -> list[dict]:
        return sqlite_entities.find(self.db, name, limit)

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[dict]:
        return sqlite_entities.mentions(self.db, entity_id, limit)

    def entity_mention_count(self, entity_id: str) -> int:
        return sqlite_entities.mention_count(self.db, entity_id)

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[dict]:
        return sqlite_entities.co_mentioned(self.db, entity_id, limit)

    def document_entities(self, doc_id: int, type: str | None = None) -> list[dict]:
        return sqlite_entities.in_document(self.db, doc_id, type)

    # -- mandates ----------------------------------------------------------------
    def resolution_rows(self, *, symbol=None, number=None, year=None) -> list[dict]:
        return sqlite_facts.resolution_rows(self.db, symbol=symbol, number=number, year=year)

    def resolution_clauses(self, symbol: str) -> list[dict]:
        return sqlite_facts.resolution_clauses(self.db, symbol)

    def resolutions_concerning(self, mission_ids: list[str]) -> list[dict]:
        return sqlite_facts.resolutions_concerning(self.db, mission_ids)

    # -- relations, incidents, lessons -------------------------------------------
    def relations(self, *, src=None, rel=None, dst=None, limit=1000) -> list[dict]:
        return sqlite_facts.relations(self.db, src=src, rel=rel, dst=dst, limit=limit)

    def incidents(self, *, doc_id=None, limit=100) -> list[dict]:
        return sqlite_facts.incidents(self.db, doc_id=doc_id, limit=limit)

    def lessons(self, *, doc_id=None, limit=100, status=None) -> list[dict]:
        return sqlite_facts.lessons(self.db, doc_id=doc_id, limit=limit, status=status)

    # -- the lessons-learned process (kg.lifecycle) -------------------------------
    def lessons_by(self, *, ids=None, keys=None) -> list[dict]:
        return sqlite_lessons.lessons_by(self.db, ids=ids, keys=keys)

    def lesson_states(self, keys=None) -> dict[str, dict]:
        return sqlite_lessons.states(self.db, keys)

    def write_lesson_state(self, key: str, state: dict, events: list[dict]) -> None:
        self._write(lambda db, stamp: sqlite_lessons.write_state(db, key, state, events))

    def lesson_events(self, key: str) -> list[dict]:
        return sqlite_lessons.events(self.db, key)

    # -- housekeeping ------------------------------------------------------------
    def stats(self) -> dict:
        return sqlite_health.stats(self.db, self.url)

    def check(self) -> list[str]:
        return sqlite_health.check(self.db)
