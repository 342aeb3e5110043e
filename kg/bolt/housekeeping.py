"""``stats`` and ``check`` of the Bolt store, kept apart from its record queries."""

from __future__ import annotations

from kg.bolt.schema import FULLTEXT


def stats(store) -> dict:
    """Counts with the same keys as the SQLite store's, plus the server kind."""
    def count(cypher: str) -> int:
        return int(store._read(cypher)[0]["n"])

    kinds = store._read("MATCH (d:Document) RETURN d.kind AS k, count(d) AS n")
    return {
        "store": store.url,
        "backend": "bolt",
        "server": store.server,
        "schema_version": int(store._meta("schema") or 0),
        "files": count("MATCH (n:File) RETURN count(n) AS n"),
        "documents": count("MATCH (n:Document) RETURN count(n) AS n"),
        "passages": count("MATCH (n:Passage) RETURN count(n) AS n"),
        "vectors": count("MATCH (n:Passage) WHERE n.vec IS NOT NULL RETURN count(n) AS n"),
        "entities": count("MATCH (n:Mention) RETURN count(DISTINCT n.entity_id) AS n"),
        "mentions": count("MATCH (n:Mention) RETURN count(n) AS n"),
        "resolutions": count("MATCH (n:Resolution) RETURN count(DISTINCT n.symbol) AS n"),
        "clauses": count("MATCH (n:Clause) RETURN count(DISTINCT n.id) AS n"),
        "incidents": count("MATCH (n:Incident) RETURN count(n) AS n"),
        "lessons": count("MATCH (n:Lesson) RETURN count(n) AS n"),
        "relations": count("MATCH (n:Relation) RETURN count(n) AS n"),
        "kinds": {r["k"]: r["n"] for r in kinds},
    }

def check(store) -> list[str]:
    """Integrity problems: keyword index, passage spans, vector sizes, files without documents."""
    problems = []
    if not store.conn.fulltext_ok(FULLTEXT[0]):
        problems.append("keyword index over passages is missing (reopen the store to rebuild it)")
    bad = store._read("MATCH (p:Passage) OPTIONAL MATCH (d:Document {id: p.doc_id}) "
                     "WITH p, d WHERE d IS NULL OR p.start < 0 OR p.end > size(d.text) OR p.start > p.end "
                     "RETURN count(p) AS n")[0]["n"]
    if bad:
        problems.append(f"{bad} passages have spans outside their document's text or no document")
    dim = store.vector_meta().get("dim")
    if dim:
        wrong = store._read("MATCH (p:Passage) WHERE p.vec IS NOT NULL AND size(p.vec) <> $dim "
                           "RETURN count(p) AS n", dim=int(dim))[0]["n"]
        if wrong:
            problems.append(f"{wrong} vectors do not have dimension {dim}")
    orphans = store._read("MATCH (f:File) WHERE f.documents > 0 OPTIONAL MATCH (d:Document {source: f.path}) "
                         "WITH f, count(d) AS n WHERE n = 0 RETURN count(f) AS n")[0]["n"]
    if orphans:
        problems.append(f"{orphans} files recorded without their documents")
    return problems
