"""What the embedded store holds (``stats``) and whether it is sound (``check``): SQLite's own
integrity and foreign-key checks, plus the invariants the store keeps itself (every passage in
the keyword index, spans inside their text, vectors of one dimension, files with documents)."""

from __future__ import annotations

import sqlite3

from kg import sqlite_vectors as vectors


def stats(db: sqlite3.Connection, url: str) -> dict:
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "store": url,
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


def check(db: sqlite3.Connection) -> list[str]:
    """Problems found, one line each; empty when the store is sound."""
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
    dim = vectors.meta(db).get("dim")
    if dim:
        wrong = db.execute("SELECT COUNT(*) FROM vectors WHERE length(vec)<>?", (4 * int(dim),)).fetchone()[0]
        if wrong:
            problems.append(f"{wrong} vectors do not have dimension {dim}")
    orphans = db.execute("SELECT COUNT(*) FROM files f WHERE documents>0 AND NOT EXISTS "
                         "(SELECT 1 FROM documents d WHERE d.source=f.path)").fetchone()[0]
    if orphans:
        problems.append(f"{orphans} files recorded without their documents")
    return problems
