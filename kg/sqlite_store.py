"""Embedded default store: one SQLite file (WAL, foreign keys, FTS5) in a folder.

WAL lets the web UI keep reading while a CLI ingest writes from another process; a
connection per thread keeps Flask's threaded server safe.  Every file is replaced inside
one transaction, so a failure half-way leaves the previous state untouched.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from kg import sqlite_readback as readback
from kg import sqlite_keyword
from kg import sqlite_merges as merges
from kg import sqlite_facets as facets
from kg.model import DocumentBundle, EntityRecord
from kg.schema import MIGRATIONS, SCHEMA_VERSION
from kg.sqlite_write import upsert_entity, write_bundle
from kg.store import GraphStore
from missiongraph.errors import StoreError

DB_NAME = "graph.sqlite"
_PASSAGE_FIELDS = """p.id, p.doc_id, p.seq, p.text, p.start, p.end, p.page, p.paragraph,
    p.section, p.norm_hash, d.source, d.record, d.title, d.kind, d.symbol, d.date"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
        self._term_stats = sqlite_keyword.TermStats()
        self._migrate()

    # -- connections -------------------------------------------------------------
    @property
    def db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None)
            except sqlite3.Error as e:
                raise StoreError(f"cannot open store {self.db_path}: {e}", input=str(self.db_path)) from e
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=60000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _migrate(self) -> None:
        db = self.db
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"store {self.db_path} has schema {version}, newer than this "
                             f"missiongraph ({SCHEMA_VERSION}); upgrade missiongraph", input=str(self.db_path))
        for number in range(version, SCHEMA_VERSION):
            db.execute("BEGIN IMMEDIATE")
            try:
                if db.execute("PRAGMA user_version").fetchone()[0] != number:
                    db.execute("ROLLBACK")  # another process migrated meanwhile
                    continue
                for statement in _split_sql(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={number + 1}")
                db.execute("COMMIT")
            except Exception:
                db.execute("ROLLBACK")
                raise

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
            db.execute("DELETE FROM documents WHERE source=?", (path,))
            ids = [write_bundle(db, b, _now()) for b in bundles]
            db.execute(
                "INSERT OR REPLACE INTO files(path, sha256, size, documents, ingested_at) VALUES (?,?,?,?,?)",
                (path, sha256, size, len(ids), _now()),
            )
            _bump_generation(db)
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
            out = fn(db, *args, _now())
            _bump_generation(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return out

    def merge_entities(self, from_id: str, into_id: str, reason: str) -> dict:
        return self._write(merges.merge, from_id, into_id, reason)

    def split_entity(self, from_id: str) -> dict:
        return self._write(merges.split, from_id)

    def entity_merges(self, entity_id: str | None = None) -> list[dict]:
        if entity_id is None:
            return [m for (eid,) in self.db.execute("SELECT DISTINCT from_id FROM entity_merges")
                    for m in merges.history(self.db, eid) if m["from"] == eid]
        return merges.history(self.db, entity_id)

    def remove_file(self, path: str) -> int:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            n = db.execute("DELETE FROM documents WHERE source=?", (path,)).rowcount
            db.execute("DELETE FROM files WHERE path=?", (path,))
            _bump_generation(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return n

    def set_vector_meta(self, model: str, dim: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('vectors', ?)",
                        (json.dumps({"model": model, "dim": dim}),))

    # -- reading it all back -----------------------------------------------------
    def files(self) -> list[dict]:
        return readback.files(self.db)

    def file_bundles(self, path: str) -> list[DocumentBundle]:
        return readback.file_bundles(self.db, path)

    def entities(self) -> list[dict]:
        return [_entity(r) for r in self.db.execute("SELECT * FROM entities ORDER BY id")]

    def upsert_entities(self, records: list[EntityRecord]) -> None:
        self._write(lambda db, now: [upsert_entity(db, e) for e in records])

    def restore_merges(self, records: list[dict]) -> int:
        return self._write(merges.restore, records)

    # -- documents and passages --------------------------------------------------
    def get_document(self, doc_id: int) -> dict | None:
        row = self.db.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        return _doc(row) if row else None

    def find_documents(self, *, source=None, symbol=None, kind=None, limit=100) -> list[dict]:
        where, args = [], []
        for col, val in (("source", source), ("symbol", symbol), ("kind", kind)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = "SELECT * FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.db.execute(sql + " ORDER BY id LIMIT ?", (*args, limit)).fetchall()
        return [_doc(r) for r in rows]

    def document_passages(self, doc_id: int) -> list[dict]:
        rows = self.db.execute(f"SELECT {_PASSAGE_FIELDS} FROM passages p JOIN documents d ON d.id=p.doc_id "
                               "WHERE p.doc_id=? ORDER BY p.seq", (doc_id,)).fetchall()
        return [dict(r) for r in rows]

    def passages_by_ids(self, ids: Iterable[int]) -> list[dict]:
        ids = [int(i) for i in ids]
        found: dict[int, dict] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT {_PASSAGE_FIELDS} FROM passages p JOIN documents d "
                                     f"ON d.id=p.doc_id WHERE p.id IN ({marks})", chunk):
                found[r["id"]] = dict(r)
        return [found[i] for i in ids if i in found]

    def keyword_search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        # bm25() is lower-is-better; kg/sqlite_keyword.py negates it and bounds the rows it scores.
        return sqlite_keyword.search(self.db, self._term_stats, query, k, allowed)

    def _filter_ids(self, *, kind, year, mission_ids, country, task, topic) -> set[int]:
        return facets.filter_ids(self.db, kind=kind, year=year, mission_ids=mission_ids, country=country,
                                 task=task, topic=topic)

    def passage_links(self, ids: Iterable[int]) -> dict[int, dict]:
        return facets.passage_links(self.db, ids)

    def keyword_spans(self, query: str, ids: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        return facets.keyword_spans(self.db, sqlite_keyword.query_terms(query), ids)

    # -- vectors -----------------------------------------------------------------
    def vector_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT passage_id FROM vectors ORDER BY passage_id")]

    def get_vectors(self, ids: list[int]):
        import numpy as np

        dim = int(self.vector_meta().get("dim", 0))
        out = np.zeros((len(ids), dim), dtype=np.float32)
        pos = {int(i): n for n, i in enumerate(ids)}
        for chunk in _chunks(list(pos), 500):
            marks = ",".join("?" * len(chunk))
            for pid, blob in self.db.execute(f"SELECT passage_id, vec FROM vectors WHERE passage_id IN ({marks})", chunk):
                out[pos[pid]] = np.frombuffer(blob, dtype=np.float32)
        return out

    def vector_stamp(self) -> str:
        """Changes with every write, so the FAISS cache can skip comparing id sets."""
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return f"{self.db_path}:{row[0] if row else 0}"

    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict:
        import numpy as np

        out: dict = {}
        for chunk in _chunks(list(set(hashes)), 500):
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(f"SELECT p.norm_hash, v.vec FROM passages p JOIN vectors v "
                                           f"ON v.passage_id=p.id WHERE p.norm_hash IN ({marks})", chunk):
                out.setdefault(h, np.frombuffer(blob, dtype=np.float32))
        return out

    def vector_meta(self) -> dict:
        row = self.db.execute("SELECT value FROM meta WHERE key='vectors'").fetchone()
        return json.loads(row[0]) if row else {}

    # -- entities ----------------------------------------------------------------
    def get_entity(self, entity_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM entities WHERE id=?", (entity_id,)).fetchone()
        return _entity(row) if row else None

    def find_entities(self, name: str, limit: int = 20) -> list[dict]:
        rows = self.db.execute(
            """SELECT e.*, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id=e.id) AS n FROM entities e
               WHERE e.id=? COLLATE NOCASE OR e.name=? COLLATE NOCASE
                  OR e.id IN (SELECT entity_id FROM entity_aliases WHERE alias=?)
               ORDER BY (e.id=? COLLATE NOCASE) DESC, (e.name=? COLLATE NOCASE) DESC, n DESC LIMIT ?""",
            (name, name, name, name, name, limit)).fetchall()
        return [_entity(r) for r in rows]

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[dict]:
        rows = self.db.execute(
            """SELECT m.doc_id, m.passage_id, m.start, m.end, m.text, d.source, d.title, d.symbol, d.record,
                      p.page, p.paragraph
               FROM mentions m JOIN documents d ON d.id=m.doc_id LEFT JOIN passages p ON p.id=m.passage_id
               WHERE m.entity_id=? ORDER BY m.doc_id, m.start LIMIT ?""", (entity_id, limit)).fetchall()
        return [dict(r) for r in rows]

    def entity_mention_count(self, entity_id: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM mentions WHERE entity_id=?", (entity_id,)).fetchone()[0]

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[dict]:
        rows = self.db.execute(
            """SELECT e.id, e.name, e.type, COUNT(DISTINCT m2.passage_id) AS count
               FROM mentions m1 JOIN mentions m2 ON m2.passage_id=m1.passage_id AND m2.entity_id<>m1.entity_id
               JOIN entities e ON e.id=m2.entity_id
               WHERE m1.entity_id=? GROUP BY e.id ORDER BY count DESC, e.name LIMIT ?""",
            (entity_id, limit)).fetchall()
        return [dict(r) for r in rows]

    def document_entities(self, doc_id: int, type: str | None = None) -> list[dict]:
        sql = """SELECT e.id, e.name, e.type, COUNT(*) AS count FROM mentions m JOIN entities e ON e.id=m.entity_id
                 WHERE m.doc_id=?""" + (" AND e.type=?" if type else "") + " GROUP BY e.id ORDER BY count DESC, e.name"
        return [dict(r) for r in self.db.execute(sql, (doc_id, type) if type else (doc_id,))]

    # -- mandates ----------------------------------------------------------------
    def resolution_rows(self, *, symbol=None, number=None, year=None) -> list[dict]:
        where, args = [], []
        for col, val in (("r.symbol", symbol), ("r.number", number), ("r.year", year)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = ("SELECT r.*, d.source FROM resolutions r JOIN documents d ON d.id=r.doc_id"
               + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY r.adopted, r.symbol, r.doc_id")
        return [_resolution(r) for r in self.db.execute(sql, args)]

    def resolution_clauses(self, symbol: str) -> list[dict]:
        rows = self.db.execute("SELECT c.*, p.page FROM clauses c LEFT JOIN passages p ON p.id=c.passage_id "
                               "WHERE c.symbol=? ORDER BY c.doc_id, c.seq", (symbol,)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["tasks"] = json.loads(d["tasks"])
            out.append(d)
        return out

    def resolutions_concerning(self, mission_ids: list[str]) -> list[dict]:
        if not mission_ids:
            return []
        marks = ",".join("?" * len(mission_ids))
        symbols = [r[0] for r in self.db.execute(
            f"SELECT DISTINCT substr(src, 5) FROM relations WHERE rel='CONCERNS' AND src LIKE 'res:%' "
            f"AND dst IN ({marks})", mission_ids)]
        rows: list[dict] = []
        for sym in symbols:
            rows.extend(self.resolution_rows(symbol=sym))
        return rows

    # -- relations, incidents, lessons -------------------------------------------
    def relations(self, *, src=None, rel=None, dst=None, limit=1000) -> list[dict]:
        where, args = [], []
        for col, val in (("src", src), ("rel", rel), ("dst", dst)):
            if val is not None:
                where.append(f"{col}=?")
                args.append(val)
        sql = "SELECT * FROM relations" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id LIMIT ?"
        out = []
        for r in self.db.execute(sql, (*args, limit)):
            d = dict(r)
            d["props"] = json.loads(d["props"])
            out.append(d)
        return out

    def incidents(self, *, doc_id=None, limit=100) -> list[dict]:
        sql = "SELECT * FROM incidents" + (" WHERE doc_id=?" if doc_id is not None else "") + " ORDER BY id LIMIT ?"
        rows = self.db.execute(sql, (doc_id, limit) if doc_id is not None else (limit,)).fetchall()
        return [{**dict(r), "actors": json.loads(r["actors"])} for r in rows]

    def lessons(self, *, doc_id=None, limit=100) -> list[dict]:
        sql = "SELECT * FROM lessons" + (" WHERE doc_id=?" if doc_id is not None else "") + " ORDER BY id LIMIT ?"
        rows = self.db.execute(sql, (doc_id, limit) if doc_id is not None else (limit,)).fetchall()
        return [dict(r) for r in rows]

    # -- housekeeping ------------------------------------------------------------
    def stats(self) -> dict:
        db = self.db
        count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "store": self.url,
            "backend": "sqlite",
            "schema_version": db.execute("PRAGMA user_version").fetchone()[0],
            "files": count("SELECT COUNT(*) FROM files"),
            "documents": count("SELECT COUNT(*) FROM documents"),
            "passages": count("SELECT COUNT(*) FROM passages"),
            "vectors": count("SELECT COUNT(*) FROM vectors"),
            "entities": count("SELECT COUNT(DISTINCT entity_id) FROM mentions"),
            "mentions": count("SELECT COUNT(*) FROM mentions"),
            "resolutions": count("SELECT COUNT(DISTINCT symbol) FROM resolutions"),
            "clauses": count("SELECT COUNT(DISTINCT id) FROM clauses"),
            "incidents": count("SELECT COUNT(*) FROM incidents"),
            "lessons": count("SELECT COUNT(*) FROM lessons"),
            "relations": count("SELECT COUNT(*) FROM relations"),
            "kinds": {r[0]: r[1] for r in db.execute("SELECT kind, COUNT(*) FROM documents GROUP BY kind")},
        }

    def check(self) -> list[str]:
        db = self.db
        problems = [f"sqlite: {r[0]}" for r in db.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in db.execute("PRAGMA foreign_key_check")]
        n_p = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        n_f = db.execute("SELECT COUNT(*) FROM passages_fts").fetchone()[0]
        if n_p != n_f:
            problems.append(f"keyword index holds {n_f} passages, store holds {n_p}")
        bad = db.execute("SELECT COUNT(*) FROM passages p JOIN documents d ON d.id=p.doc_id "
                         "WHERE p.start<0 OR p.end>length(d.text) OR p.start>p.end").fetchone()[0]
        if bad:
            problems.append(f"{bad} passages have spans outside their document's text")
        dim = self.vector_meta().get("dim")
        if dim:
            wrong = db.execute("SELECT COUNT(*) FROM vectors WHERE length(vec)<>?", (4 * int(dim),)).fetchone()[0]
            if wrong:
                problems.append(f"{wrong} vectors do not have dimension {dim}")
        orphans = db.execute("SELECT COUNT(*) FROM files f WHERE documents>0 AND NOT EXISTS "
                             "(SELECT 1 FROM documents d WHERE d.source=f.path)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} files recorded without their documents")
        return problems


def _bump_generation(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') "
               "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def _split_sql(script: str) -> list[str]:
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


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _doc(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["meta"] = json.loads(d["meta"])
    return d


def _entity(row: sqlite3.Row) -> dict:
    d = {k: row[k] for k in ("id", "type", "name")}
    d["aliases"] = json.loads(row["aliases"])
    d["props"] = json.loads(row["props"])
    return d


def _resolution(row: sqlite3.Row) -> dict:
    d = dict(row)
    d["chapter_vii"] = bool(d["chapter_vii"])
    d["missions"] = json.loads(d["missions"])
    d["cites"] = json.loads(d["cites"])
    return d
