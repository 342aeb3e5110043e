"""``BoltStore``: the graph in a Neo4j (or FalkorDB) server reached over Bolt.

Same records and return shapes as the embedded SQLite store, so one test-suite covers both.
Ids of documents, passages, incidents, lessons, relations and merges come from counter
nodes that only grow, so an id is never reused (the FAISS cache keys on passage ids).
Atomicity of ``replace_file``: on Neo4j it is one write transaction.  FalkorDB's Bolt
rollback undoes nothing, so there the write is validated first and made idempotent
(forget the file, then write it; see ``kg.bolt.write``): an interrupted write leaves the
file un-ingested and the next ingest repairs it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from kg.bolt import facets
from kg.bolt import lessons as bolt_lessons
from kg.bolt import merges as mg
from kg.bolt import housekeeping, readback, search, vectors, write
from kg.bolt.conn import Connection, default_cache_dir, parse_url
from kg.bolt.schema import (
    CLAUSE_FIELDS, FULLTEXT, INCIDENT_FIELDS, INDEXED, LESSON_FIELDS, PASSAGE_DOC_FIELDS,
    PASSAGE_FIELDS, RELATION_FIELDS, RESOLUTION_FIELDS, SCHEMA_VERSION, UNIQUE, doc_record as _doc,
    entity_record as _entity, project, resolution_record as _resolution,
)
from kg.model import DocumentBundle, EntityRecord
from kg.store import GraphStore
from missiongraph.errors import StoreError

_PASSAGE_RETURN = ", ".join([f"p.{f} AS {f}" for f in PASSAGE_FIELDS] + [f"d.{f} AS {f}" for f in PASSAGE_DOC_FIELDS])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _sql_order(value) -> tuple:
    """Sort key putting None first, as SQLite's ORDER BY does."""
    return (value is not None, value if value is not None else 0)


class BoltStore(GraphStore):
    """A ``GraphStore`` on a Bolt server; ``url`` never contains credentials."""

    def __init__(self, url: str, *, index_dir: str | Path | None = None, connection_timeout: float | None = None):
        import os

        if connection_timeout is None:  # short by default: a stalled handshake is retried, not waited out
            connection_timeout = float(os.environ.get("MISSIONGRAPH_NEO4J_TIMEOUT") or 3.0)
        self.target = parse_url(url)
        self.url = self.target.display
        self._index_dir = Path(index_dir) if index_dir else default_cache_dir(self.target)
        self.conn = Connection(self.target, connection_timeout=connection_timeout)
        self.server = self.conn.kind
        self._vector_index_dim = 0
        try:
            self._migrate()
        except BaseException:
            self.conn.close()
            raise

    def _migrate(self) -> None:
        rows = self.conn.read("MATCH (m:MGMeta {key: 'schema'}) RETURN m.value AS v")
        version = int(rows[0]["v"]) if rows else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"graph at {self.url} has schema {version}, newer than this missiongraph "
                             f"({SCHEMA_VERSION}); upgrade missiongraph", input=self.url)
        if version < SCHEMA_VERSION or self.server == "falkordb":  # FalkorDB: cheap check, indexes may be dropped
            self.conn.ensure_schema(UNIQUE, INDEXED, FULLTEXT)
            if version < 2:
                self.conn.write_tx(bolt_lessons.backfill_keys)
            self._set_meta("schema", str(SCHEMA_VERSION))

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.write("MERGE (m:MGMeta {key: $k}) SET m.value = $v", k=key, v=value)

    def _meta(self, key: str) -> str | None:
        rows = self.conn.read("MATCH (m:MGMeta {key: $k}) RETURN m.value AS v", k=key)
        return rows[0]["v"] if rows else None

    def _read(self, cypher: str, **params) -> list[dict]:
        return self.conn.read(cypher, **params)

    def close(self) -> None:
        self.conn.close()

    @property
    def index_dir(self) -> Path:
        self._index_dir.mkdir(parents=True, exist_ok=True)
        return self._index_dir

    # -- writing -----------------------------------------------------------------
    def file_sha(self, path: str) -> str | None:
        rows = self._read("MATCH (f:File {path: $p}) RETURN f.sha256 AS s", p=path)
        return rows[0]["s"] if rows else None

    def replace_file(self, path: str, sha256: str, size: int, bundles: list[DocumentBundle]) -> list[int]:
        vectors = write.validate(bundles)
        now = _now()
        return self.conn.write_tx(lambda tx: write.write_file(tx, path, sha256, size, bundles, vectors, now))

    def remove_file(self, path: str) -> int:
        def fn(tx):
            n = write.forget_file(tx, path)
            write.bump_generation(tx)
            return n
        return self.conn.write_tx(fn)

    def set_vector_meta(self, model: str, dim: int) -> None:
        self._set_meta("vectors", json.dumps({"model": model, "dim": dim}))

    # -- reading it all back -----------------------------------------------------
    def files(self) -> list[dict]:
        return readback.files(self.conn)

    def file_bundles(self, path: str) -> list[DocumentBundle]:
        return readback.file_bundles(self.conn, path)

    def entities(self) -> list[dict]:
        return readback.entities(self.conn)

    def upsert_entities(self, records: list[EntityRecord]) -> None:
        self._merge_write(lambda tx, now: write.upsert_entities(tx, records))

    def restore_merges(self, records: list[dict]) -> int:
        return self._merge_write(mg.restore, records)

    def server_vector_search(self, vec, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]] | None:
        if not vectors.supported(self.conn):
            return None
        dim = int(self.vector_meta().get("dim") or 0)
        if not dim or k < 1:
            return []
        if self._vector_index_dim != dim:
            vectors.ensure_index(self.conn, dim)  # once per process and dimension
            self._vector_index_dim = dim
        total = self._read("MATCH (p:Passage) WHERE p.vec IS NOT NULL RETURN count(p) AS n")[0]["n"]
        return vectors.search(self.conn, vec, k, allowed, int(total))

    # -- merges ------------------------------------------------------------------
    def _merge_write(self, fn, *args):
        now = _now()

        def work(tx):
            out = fn(tx, *args, now)
            write.bump_generation(tx)
            return out
        return self.conn.write_tx(work)

    def merge_entities(self, from_id: str, into_id: str, reason: str) -> dict:
        return self._merge_write(mg.merge, from_id, into_id, reason)

    def split_entity(self, from_id: str) -> dict:
        return self._merge_write(mg.split, from_id)

    def entity_merges(self, entity_id: str | None = None) -> list[dict]:
        rows = self.conn.read_tx(lambda tx: mg.history(tx, entity_id))
        return rows

    # -- documents and passages --------------------------------------------------
    def get_document(self, doc_id: int) -> dict | None:
        rows = self._read("MATCH (d:Document {id: $id}) RETURN properties(d) AS d", id=int(doc_id))
        return _doc(rows[0]["d"]) if rows else None

    def find_documents(self, *, source=None, symbol=None, kind=None, limit=100) -> list[dict]:
        where = [f"d.{k} = ${k}" for k, v in (("source", source), ("symbol", symbol), ("kind", kind)) if v is not None]
        rows = self._read("MATCH (d:Document)" + (" WHERE " + " AND ".join(where) if where else "")
                          + " RETURN properties(d) AS d ORDER BY d.id LIMIT $limit",
                          source=source, symbol=symbol, kind=kind, limit=int(limit))
        return [_doc(r["d"]) for r in rows]

    def document_passages(self, doc_id: int) -> list[dict]:
        return self._read(f"MATCH (p:Passage {{doc_id: $id}}) MATCH (d:Document {{id: p.doc_id}}) "
                          f"RETURN {_PASSAGE_RETURN} ORDER BY p.seq", id=int(doc_id))

    def passages_by_ids(self, ids: Iterable[int]) -> list[dict]:
        ids = [int(i) for i in ids]
        found: dict[int, dict] = {}
        c = self.conn.chunk
        for i in range(0, len(ids), c):
            for r in self._read(f"UNWIND $ids AS pid MATCH (p:Passage {{id: pid}}) MATCH (d:Document {{id: p.doc_id}}) "
                                f"RETURN {_PASSAGE_RETURN}", ids=ids[i:i + c]):
                found[r["id"]] = r
        return [found[i] for i in ids if i in found]

    def keyword_search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        ts = search.terms(query)
        if not ts or (allowed is not None and not allowed):
            return []
        n = self._read("MATCH (p:Passage) RETURN count(p) AS n, avg(size(p.text)) AS a")[0]
        q = search.server_query(self.server, query)
        cap = 100000 if allowed is not None else max(20 * int(k), 1000)
        if q is not None:
            cand = self._read(q[0], q=q[1], cap=cap)
        else:
            cand = self._read("MATCH (p:Passage) WHERE any(t IN $ts WHERE toLower(p.text) CONTAINS t "
                              "OR toLower(p.title) CONTAINS t) RETURN p.id AS id, p.text AS text, p.title AS title "
                              "LIMIT $cap", ts=[search.stem(t) for t in ts], cap=cap)
        rows = search.bm25(cand, ts, int(n["n"]), float(n["a"] or 0) / 6)  # ~6 characters a word
        if allowed is not None:
            rows = [r for r in rows if r[0] in allowed]
        return rows[:k]

    def _filter_ids(self, *, kind, year, mission_ids, country, task, topic) -> set[int]:
        return facets.filter_ids(self._read, kind=kind, year=year, mission_ids=mission_ids, country=country,
                                 task=task, topic=topic)

    def passage_links(self, ids: Iterable[int]) -> dict[int, dict]:
        return facets.passage_links(self._read, self.conn.chunk, ids)

    def keyword_spans(self, query: str, ids: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        return facets.keyword_spans(self._read, self.conn.chunk, search.terms(query), ids)

    # -- vectors -----------------------------------------------------------------
    def vector_ids(self) -> list[int]:
        return [r["id"] for r in self._read("MATCH (p:Passage) WHERE p.vec IS NOT NULL RETURN p.id AS id ORDER BY id")]

    def get_vectors(self, ids: list[int]):
        import numpy as np

        dim = int(self.vector_meta().get("dim", 0))
        out = np.zeros((len(ids), dim), dtype=np.float32)
        pos = {int(i): n for n, i in enumerate(ids)}
        keys = list(pos)
        c = self.conn.chunk
        for i in range(0, len(keys), c):
            for r in self._read("UNWIND $ids AS pid MATCH (p:Passage {id: pid}) WHERE p.vec IS NOT NULL "
                                "RETURN p.id AS id, p.vec AS v", ids=keys[i:i + c]):
                out[pos[r["id"]]] = np.asarray(r["v"], dtype=np.float32)
        return out

    def vector_stamp(self) -> str:
        """Changes with every write, so the FAISS cache can skip comparing id sets."""
        rows = self._read("MATCH (c:MGCounter {name: 'generation'}) RETURN c.value AS v")
        return f"{self.url}:{rows[0]['v'] if rows else 0}"

    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict:
        import numpy as np

        hs = list(set(hashes))
        out: dict = {}
        c = self.conn.chunk
        for i in range(0, len(hs), c):
            for r in self._read("UNWIND $hs AS h MATCH (p:Passage {norm_hash: h}) WHERE p.vec IS NOT NULL "
                                "RETURN h, p.vec AS v ORDER BY p.id", hs=hs[i:i + c]):
                out.setdefault(r["h"], np.asarray(r["v"], dtype=np.float32))
        return out

    def vector_meta(self) -> dict:
        v = self._meta("vectors")
        return json.loads(v) if v else {}

    # -- entities ----------------------------------------------------------------
    def get_entity(self, entity_id: str) -> dict | None:
        rows = self._read("MATCH (e:Entity {id: $id}) RETURN properties(e) AS e", id=entity_id)
        return _entity(rows[0]["e"]) if rows else None

    def find_entities(self, name: str, limit: int = 20) -> list[dict]:
        low = name.lower()
        rows = self._read("MATCH (e:Entity) WHERE toLower(e.id) = $l OR toLower(e.name) = $l OR $l IN e.aliases_lc "
                          "OPTIONAL MATCH (m:Mention {entity_id: e.id}) RETURN properties(e) AS e, count(m) AS n", l=low)
        rows.sort(key=lambda r: (r["e"]["id"].lower() != low, r["e"]["name"].lower() != low, -r["n"]))
        return [_entity(r["e"]) for r in rows[:limit]]

    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[dict]:
        return self._read(
            "MATCH (m:Mention {entity_id: $id}) MATCH (d:Document {id: m.doc_id}) "
            "OPTIONAL MATCH (p:Passage {id: m.passage_id}) "
            "RETURN m.doc_id AS doc_id, m.passage_id AS passage_id, m.start AS start, m.end AS end, m.text AS text, "
            "d.source AS source, d.title AS title, d.symbol AS symbol, d.record AS record, p.page AS page, "
            "p.paragraph AS paragraph ORDER BY doc_id, start LIMIT $limit", id=entity_id, limit=int(limit))

    def entity_mention_count(self, entity_id: str) -> int:
        return int(self._read("MATCH (m:Mention {entity_id: $id}) RETURN count(m) AS n", id=entity_id)[0]["n"])

    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[dict]:
        rows = self._read(
            "MATCH (m1:Mention {entity_id: $id}) WHERE m1.passage_id IS NOT NULL "
            "MATCH (m2:Mention {passage_id: m1.passage_id}) WHERE m2.entity_id <> m1.entity_id "
            "MATCH (e:Entity {id: m2.entity_id}) "
            "RETURN e.id AS id, e.name AS name, e.type AS type, count(DISTINCT m2.passage_id) AS count", id=entity_id)
        rows.sort(key=lambda r: (-r["count"], r["name"]))
        return rows[:limit]

    def document_entities(self, doc_id: int, type: str | None = None) -> list[dict]:
        rows = self._read("MATCH (m:Mention {doc_id: $doc}) MATCH (e:Entity {id: m.entity_id}) "
                          + ("WHERE e.type = $type " if type else "")
                          + "RETURN e.id AS id, e.name AS name, e.type AS type, count(m) AS count",
                          doc=int(doc_id), type=type)
        rows.sort(key=lambda r: (-r["count"], r["name"]))
        return rows

    # -- mandates ----------------------------------------------------------------
    def resolution_rows(self, *, symbol=None, number=None, year=None) -> list[dict]:
        where = [f"r.{k} = ${k}" for k, v in (("symbol", symbol), ("number", number), ("year", year)) if v is not None]
        rows = self._read("MATCH (r:Resolution)" + (" WHERE " + " AND ".join(where) if where else "")
                          + " MATCH (d:Document {id: r.doc_id}) RETURN properties(r) AS r, d.source AS source",
                          symbol=symbol, number=number, year=year)
        out = [_resolution({**project(r["r"], RESOLUTION_FIELDS), "source": r["source"]}) for r in rows]
        out.sort(key=lambda r: (_sql_order(r["adopted"]), _sql_order(r["symbol"]), r["doc_id"]))
        return out

    def resolution_clauses(self, symbol: str) -> list[dict]:
        rows = self._read("MATCH (c:Clause {symbol: $s}) OPTIONAL MATCH (p:Passage {id: c.passage_id}) "
                          "RETURN properties(c) AS c, p.page AS page ORDER BY c.doc_id, c.seq", s=symbol)
        out = []
        for r in rows:
            d = {**project(r["c"], CLAUSE_FIELDS), "page": r["page"]}
            d["tasks"] = json.loads(d["tasks"] or "[]")
            out.append(d)
        return out

    def resolutions_concerning(self, mission_ids: list[str]) -> list[dict]:
        if not mission_ids:
            return []
        srcs = self._read("MATCH (r:Relation {rel: 'CONCERNS'}) WHERE r.dst IN $ids AND r.src STARTS WITH 'res:' "
                          "RETURN DISTINCT r.src AS s", ids=list(mission_ids))
        out: list[dict] = []
        for sym in dict.fromkeys(r["s"][4:] for r in srcs):
            out.extend(self.resolution_rows(symbol=sym))
        return out

    # -- relations, incidents, lessons -------------------------------------------
    def relations(self, *, src=None, rel=None, dst=None, limit=1000) -> list[dict]:
        where = [f"r.{k} = ${k}" for k, v in (("src", src), ("rel", rel), ("dst", dst)) if v is not None]
        rows = self._read("MATCH (r:Relation)" + (" WHERE " + " AND ".join(where) if where else "")
                          + " RETURN properties(r) AS r ORDER BY r.id LIMIT $limit",
                          src=src, rel=rel, dst=dst, limit=int(limit))
        out = []
        for r in rows:
            d = project(r["r"], RELATION_FIELDS)
            d["props"] = json.loads(d["props"] or "{}")
            out.append(d)
        return out

    def _by_doc(self, label: str, fields: tuple[str, ...], doc_id, limit) -> list[dict]:
        rows = self._read(f"MATCH (n:{label})" + (" WHERE n.doc_id = $doc" if doc_id is not None else "")
                          + " RETURN properties(n) AS n ORDER BY n.id LIMIT $limit",
                          doc=None if doc_id is None else int(doc_id), limit=int(limit))
        return [project(r["n"], fields) for r in rows]

    def incidents(self, *, doc_id=None, limit=100) -> list[dict]:
        return [{**r, "actors": json.loads(r["actors"] or "[]")}
                for r in self._by_doc("Incident", INCIDENT_FIELDS, doc_id, limit)]

    def lessons(self, *, doc_id=None, limit=100, status=None) -> list[dict]:
        where = [w for w in ("n.doc_id = $doc" if doc_id is not None else "",
                             "n.status = $status" if status is not None else "") if w]
        rows = self._read("MATCH (n:Lesson)" + (" WHERE " + " AND ".join(where) if where else "")
                          + " RETURN properties(n) AS n ORDER BY n.id LIMIT $limit",
                          doc=None if doc_id is None else int(doc_id), status=status, limit=int(limit))
        return [project(r["n"], LESSON_FIELDS) for r in rows]

    # -- the lessons-learned process (kg.lifecycle) -------------------------------
    def lessons_by(self, *, ids=None, keys=None) -> list[dict]:
        return self.conn.read_tx(lambda tx: bolt_lessons.lessons_by(tx, ids=ids, keys=keys))

    def lesson_states(self, keys=None) -> dict[str, dict]:
        return self.conn.read_tx(lambda tx: bolt_lessons.states(tx, keys))

    def write_lesson_state(self, key: str, state: dict, events: list[dict]) -> None:
        self.conn.write_tx(lambda tx: bolt_lessons.write_state(tx, key, state, events))

    def lesson_events(self, key: str) -> list[dict]:
        return self.conn.read_tx(lambda tx: bolt_lessons.events(tx, key))

    # -- housekeeping ------------------------------------------------------------
    def stats(self) -> dict:
        return housekeeping.stats(self)

    def check(self) -> list[str]:
        return housekeeping.check(self)
