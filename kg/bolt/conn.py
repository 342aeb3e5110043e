"""Talking to a Bolt server: URL and credentials, one pooled driver, server detection, DDL.

One driver per store keeps a warm connection pool.  That matters for FalkorDB's Bolt
endpoint, where a fresh connection sometimes stalls in the handshake: a short
``connection_timeout`` plus a retried warm-up leaves a good connection in the pool, and
managed transactions (``execute_read`` / ``execute_write``) retry connection failures.

Credentials come from the URL (``bolt://user:pass@host:port``) or the environment
(``MISSIONGRAPH_NEO4J_USER`` / ``MISSIONGRAPH_NEO4J_PASSWORD``); they are handed to the
driver only and never appear in ``url``, logs or error messages.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlsplit

from kg.bolt.falkor import FALKOR_MESSAGE_LIMIT, GuardedTx
from missiongraph.errors import ConfigError, StoreError

SCHEMES = ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc")


@dataclass(frozen=True)
class BoltTarget:
    """Where a store lives: the driver URI (no credentials), database and a safe display URL."""
    uri: str
    host: str
    port: int
    database: str | None
    user: str | None
    password: str | None

    @property
    def display(self) -> str:
        scheme = self.uri.split("://", 1)[0]
        return f"{scheme}://{self.host}:{self.port}" + (f"/{self.database}" if self.database else "")


def parse_url(url: str) -> BoltTarget:
    """Split ``scheme://[user[:pass]@]host[:port][/database][?database=name]``."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ConfigError(f"not a Bolt URL: scheme {parts.scheme!r}", input=parts.scheme)
    try:
        host, port = parts.hostname or "localhost", parts.port or 7687
    except ValueError as e:  # a bad port; do not echo the URL, it may hold a password
        raise ConfigError(f"bad port in Bolt URL: {e}") from None
    database = parts.path.strip("/") or parse_qs(parts.query).get("database", [None])[0] or None
    user = unquote(parts.username) if parts.username else os.environ.get("MISSIONGRAPH_NEO4J_USER")
    password = unquote(parts.password) if parts.password else os.environ.get("MISSIONGRAPH_NEO4J_PASSWORD")
    return BoltTarget(f"{parts.scheme}://{host}:{port}", host, port, database, user, password)


def default_cache_dir(target: BoltTarget) -> Path:
    """Local folder for rebuildable caches (the FAISS index), one per server and database."""
    base = os.environ.get("MISSIONGRAPH_CACHE_DIR") or Path.home() / ".cache" / "missiongraph"
    name = re.sub(r"[^\w.-]", "_", f"{target.host}_{target.port}_{target.database or 'default'}")
    return Path(base).expanduser() / name


class Connection:
    """A driver, the database to use and the server kind ("neo4j", "falkordb" or "cypher")."""

    def __init__(self, target: BoltTarget, connection_timeout: float = 3.0):
        import neo4j

        self.target = target
        auth = (target.user, target.password or "") if target.user else None
        self.driver = neo4j.GraphDatabase.driver(
            # the handshake is bounded by the acquisition timeout: keep it short, a stalled
            # handshake is retried on a new connection rather than waited out
            target.uri, auth=auth, connection_timeout=connection_timeout,
            connection_acquisition_timeout=connection_timeout,
            max_connection_pool_size=8, max_transaction_retry_time=15.0, liveness_check_timeout=None,
        )
        self.database = target.database
        self.kind = "unknown"
        self._warm_up()
        self.kind, self.version = self._detect()
        if self.kind == "falkordb":
            # FalkorDB binds explicit transactions to its default graph whatever database the
            # BEGIN names, so a named database would split reads from writes: always use the default.
            self.database = None
        # ids or hashes per read statement: FalkorDB's 4 KiB request limit needs small chunks
        self.chunk = 40 if self.kind == "falkordb" else 500

    def _warm_up(self, attempts: int = 5) -> None:
        import neo4j.exceptions as ne

        last: Exception | None = None
        for _ in range(attempts):
            try:
                self.driver.verify_connectivity()
                return
            except ne.AuthError:
                self.driver.close()
                raise StoreError(f"graph server at {self.target.display} refused the credentials "
                                 "(set MISSIONGRAPH_NEO4J_USER / MISSIONGRAPH_NEO4J_PASSWORD)") from None
            except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as e:
                last = e
                time.sleep(0.1)
        self.driver.close()
        raise StoreError(f"cannot reach the graph server at {self.target.display}: {type(last).__name__}",
                         input=self.target.display)

    def _detect(self) -> tuple[str, str]:
        """Neo4j answers ``dbms.components()``; FalkorDB does not (and claims a Neo4j agent), but
        has ``vecf32``.  Anything else gets the common Cypher subset only."""
        try:
            rows = self.read("CALL dbms.components() YIELD name, versions RETURN name, versions")
            if rows and "neo4j" in str(rows[0]["name"]).lower():
                return "neo4j", str(rows[0]["versions"][0])
        except StoreError:
            pass
        try:
            self.read("RETURN vecf32([1.0]) AS v")
            return "falkordb", ""
        except StoreError:
            return "cypher", ""

    # -- running ---------------------------------------------------------------------
    def session(self):
        return self.driver.session(database=self.database)

    def read(self, cypher: str, **params: Any) -> list[dict]:
        return self.read_tx(lambda tx: run(tx, cypher, **params))

    def write(self, cypher: str, **params: Any) -> list[dict]:
        return self.write_tx(lambda tx: run(tx, cypher, **params))

    def read_tx(self, fn: Callable) -> Any:
        return self._managed("execute_read", fn)

    def write_tx(self, fn: Callable) -> Any:
        """Run ``fn(tx)`` in one write transaction.  On Neo4j it commits or rolls back whole; on
        FalkorDB a rollback does not undo earlier statements, so callers write idempotently."""
        return self._managed("execute_write", fn)

    def _managed(self, how: str, fn: Callable) -> Any:
        import neo4j.exceptions as ne

        work = fn
        if self.kind == "falkordb":
            work = lambda tx: fn(GuardedTx(tx, FALKOR_MESSAGE_LIMIT, self.target.display))  # noqa: E731
        try:
            with self.session() as s:
                return getattr(s, how)(work)
        except ne.Neo4jError as e:
            raise StoreError(f"graph server at {self.target.display} failed: "
                             f"{e.message or e.code or type(e).__name__}") from None
        except ne.DriverError as e:
            raise StoreError(f"graph server at {self.target.display} failed: {type(e).__name__}: {e}") from None

    def close(self) -> None:
        self.driver.close()

    # -- schema ------------------------------------------------------------------------
    def ensure_schema(self, unique: dict[str, str], indexed: dict[str, list[str]], fulltext: tuple[str, list[str]]) -> None:
        """Create constraints and indexes the server understands; each statement alone, since
        FalkorDB reports an existing index as an error."""
        stmts: list[str] = []
        label, props = fulltext
        if self.kind == "neo4j":
            for lab, prop in unique.items():
                stmts.append(f"CREATE CONSTRAINT mg_{lab.lower()}_{prop} IF NOT EXISTS "
                             f"FOR (n:{lab}) REQUIRE n.{prop} IS UNIQUE")
            for lab, ps in indexed.items():
                for p in ps:
                    stmts.append(f"CREATE INDEX mg_{lab.lower()}_{p} IF NOT EXISTS FOR (n:{lab}) ON (n.{p})")
            on = ", ".join(f"n.{p}" for p in props)
            stmts.append(f"CREATE FULLTEXT INDEX mg_{label.lower()}_fulltext IF NOT EXISTS FOR (n:{label}) ON EACH [{on}]")
        else:
            have = self._falkor_indexes() if self.kind == "falkordb" else {}
            for lab, ps in {**{k: [v] for k, v in unique.items()}, **_merge_lists(unique, indexed)}.items():
                for p in ps:
                    if "RANGE" not in have.get((lab, p), ()):
                        stmts.append(f"CREATE INDEX FOR (n:{lab}) ON (n.{p})")
            if self.kind == "falkordb" and "FULLTEXT" not in have.get((label, props[0]), ()):
                fields = ", ".join(f"'{p}'" for p in props)
                stmts.append(f"CALL db.idx.fulltext.createNodeIndex({{label: '{label}', language: 'english'}}, {fields})")
        for st in stmts:
            try:
                self.write(st)
            except StoreError:
                if self.kind == "neo4j":
                    raise

    def _falkor_indexes(self) -> dict[tuple[str, str], set[str]]:
        out: dict[tuple[str, str], set[str]] = {}
        try:
            rows = self.read("CALL db.indexes() YIELD label, properties, types RETURN label, properties, types")
        except StoreError:
            return out
        for r in rows:
            for p in r["properties"] or []:
                out[(r["label"], p)] = set((r["types"] or {}).get(p, []))
        return out

    def fulltext_ok(self, label: str) -> bool:
        """Whether the keyword index over ``label`` exists (used by ``check``)."""
        if self.kind == "neo4j":
            rows = self.read("SHOW INDEXES YIELD name, type, labelsOrTypes WHERE type = 'FULLTEXT' RETURN labelsOrTypes")
            return any(label in (r["labelsOrTypes"] or []) for r in rows)
        if self.kind == "falkordb":
            return any("FULLTEXT" in t for (lab, _), t in self._falkor_indexes().items() if lab == label)
        return True


def _merge_lists(unique: dict[str, str], indexed: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for lab, ps in indexed.items():
        out[lab] = ([unique[lab]] if lab in unique else []) + [p for p in ps if p != unique.get(lab)]
    return out


def run(tx, cypher: str, **params: Any) -> list[dict]:
    """Run one parameterised statement inside ``tx``; records as plain dicts."""
    return [r.data() for r in tx.run(cypher, params)]
