"""The graph server's own vector index: passage search without a local FAISS cache.

Chosen with the ``vector_index = server`` setting, so that several machines sharing one
Neo4j server need no per-machine index.  Neo4j (5.11 and later) indexes each passage's
``vec`` list directly (``mg_passage_vec``, cosine).  FalkorDB only indexes its own vector
type, so it keeps a ``vecf32`` copy in ``emb``, filled after each write.  Its Bolt endpoint
fails on requests over 4 KiB, more than a 384-number query vector takes as text, so the query
travels there as integers in units of 1e-4; that moves a cosine by at most about 1e-3, below
the gap between neighbours that matters for ranking.
"""

from __future__ import annotations

from typing import Iterable

from missiongraph.errors import ConfigError

INDEX_NAME = "mg_passage_vec"
QUERY_SCALE = 10_000
MAX_FETCH = 10_000


def supported(conn) -> bool:
    """True where the server has a vector index that Cypher can query."""
    if conn.kind == "falkordb":
        return True
    if conn.kind != "neo4j":
        return False
    try:
        major, minor = (int(x) for x in str(conn.version).split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 11)


def ensure_index(conn, dim: int) -> None:
    """Create the index once per database, or again when the vectors' dimension changed (a new
    embedding model).  DDL takes no parameters, so ``dim`` is checked to be a plain number here."""
    dim = int(dim)
    if not 1 <= dim <= 4096:
        raise ConfigError(f"vector dimension {dim} is outside what a server vector index holds", input=str(dim))
    if conn.kind == "neo4j":
        have = conn.read("SHOW VECTOR INDEXES YIELD name, options WHERE name = $name RETURN options", name=INDEX_NAME)
        if have and int((have[0]["options"] or {}).get("indexConfig", {}).get("vector.dimensions", dim)) != dim:
            conn.write(f"DROP INDEX {INDEX_NAME} IF EXISTS")
        conn.write(f"CREATE VECTOR INDEX {INDEX_NAME} IF NOT EXISTS FOR (p:Passage) ON (p.vec) OPTIONS "
                   f"{{indexConfig: {{`vector.dimensions`: {dim}, `vector.similarity_function`: 'cosine'}}}}")
    elif conn.kind == "falkordb":
        have = [r for r in conn.read("CALL db.indexes() YIELD label, types, options RETURN label, types, options")
                if r["label"] == "Passage" and "VECTOR" in (r["types"] or {}).get("emb", ())]
        if have and int(((have[0]["options"] or {}).get("emb") or {}).get("dimension", dim)) != dim:
            conn.write("DROP VECTOR INDEX FOR (p:Passage) ON (p.emb)")
            have = []
        if not have:  # efRuntime 100, not the default 10: recall over speed at query time
            conn.write(f"CREATE VECTOR INDEX FOR (p:Passage) ON (p.emb) OPTIONS {{dimension: {dim}, "
                       "similarityFunction: 'cosine', M: 16, efConstruction: 200, efRuntime: 100}")
        conn.write("MATCH (p:Passage) WHERE p.vec IS NOT NULL AND p.emb IS NULL SET p.emb = vecf32(p.vec)")


def after_write(tx, doc_id: int) -> None:
    """FalkorDB: give a document's new passages their indexed copy (Neo4j indexes ``vec`` itself)."""
    if getattr(tx, "server_kind", None) == "falkordb":
        tx.run("MATCH (p:Passage {doc_id: $doc}) WHERE p.vec IS NOT NULL SET p.emb = vecf32(p.vec)", {"doc": doc_id})


def _query(conn, vec, fetch: int) -> list[tuple[int, float]]:
    if conn.kind == "neo4j":
        rows = conn.read(f"CALL db.index.vector.queryNodes('{INDEX_NAME}', $k, $v) YIELD node, score "
                         "RETURN node.id AS id, score", k=fetch, v=[float(x) for x in vec])
        # Neo4j's cosine score is (1 + cos) / 2; give back the cosine, as FAISS does
        return [(int(r["id"]), 2.0 * float(r["score"]) - 1.0) for r in rows]
    text = ",".join(str(int(round(float(x) * QUERY_SCALE))) for x in vec)
    rows = conn.read("CALL db.idx.vector.queryNodes('Passage', 'emb', $k, "
                     f"vecf32([x IN split($q, ',') | toFloat(x) / {float(QUERY_SCALE)}])) YIELD node, score "
                     "RETURN node.id AS id, score", k=fetch, q=text)
    return [(int(r["id"]), 1.0 - float(r["score"])) for r in rows]  # FalkorDB gives the cosine distance


def search(conn, vec, k: int, allowed: Iterable[int] | None, total: int) -> list[tuple[int, float]]:
    """The ``k`` nearest passages (id, cosine), best first; with ``allowed``, only those ids.

    Fetches deeper until ``k`` pass, every live vector has been seen, or a deeper fetch brings
    nothing new: FalkorDB's index keeps slots of deleted passages, so a fetch of ``n`` may
    return fewer than ``n`` live ones.
    """
    allowed = set(allowed) if allowed is not None else None
    if k < 1 or total < 1 or (allowed is not None and not allowed):
        return []
    fetch = min(MAX_FETCH, k if allowed is None else max(4 * k, 100))
    seen = -1
    while True:
        raw = _query(conn, vec, fetch)
        hits = raw if allowed is None else [h for h in raw if h[0] in allowed]
        if len(hits) >= k or len(raw) >= total or len(raw) == seen or fetch >= MAX_FETCH:
            hits.sort(key=lambda h: -h[1])
            return hits[:k]
        seen, fetch = len(raw), min(MAX_FETCH, fetch * 4)
