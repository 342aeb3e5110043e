"""Writing one ``DocumentBundle`` into SQLite, inside the caller's transaction."""

from __future__ import annotations

import json
import sqlite3

from kg.model import DocumentBundle, EntityRecord
from kg.sqlite_merges import active, canonical, record_auto_merges
from missiongraph.errors import StoreError


def write_bundle(db: sqlite3.Connection, b: DocumentBundle, now: str) -> int:
    """Insert a document with its passages, vectors and facts; return the new doc id."""
    d = b.document
    stamped = d.ingested_at or now
    doc_id = db.execute(
        """INSERT INTO documents(source, record, sha256, format, title, kind, symbol, date, text, meta,
                                 marking, release_to, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        (d.source, d.record, d.sha256, d.format, d.title, d.kind, d.symbol, d.date, d.text,
         json.dumps(d.meta, default=str), d.marking, d.release_to, stamped),
    ).lastrowid

    pids: dict[int, int] = {}
    for p in b.passages:
        if not (0 <= p.start <= p.end <= len(d.text)):
            raise StoreError(f"passage {p.seq} of {d.source} has span {p.start}-{p.end} outside the text",
                             input=d.source)
        pid = db.execute(
            """INSERT INTO passages(doc_id, seq, text, start, end, page, paragraph, section, norm_hash, marking)
               VALUES (?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, p.seq, p.text, p.start, p.end, p.page, p.paragraph, p.section, p.norm_hash, d.marking),
        ).lastrowid
        pids[p.seq] = pid
        db.execute("INSERT INTO passages_fts(rowid, text, title) VALUES (?,?,?)", (pid, p.text, d.title or ""))

    if b.vectors is not None and len(b.passages):
        import numpy as np

        vecs = np.asarray(b.vectors, dtype=np.float32)
        if vecs.shape[0] != len(b.passages):
            raise StoreError(f"{d.source}: {vecs.shape[0]} vectors for {len(b.passages)} passages", input=d.source)
        db.executemany("INSERT INTO vectors(passage_id, vec) VALUES (?,?)",
                       [(pids[p.seq], vecs[i].tobytes()) for i, p in enumerate(b.passages)])

    for e in b.entities:
        upsert_entity(db, e)
    pid = lambda seq: pids.get(seq) if seq is not None else None  # noqa: E731
    record_auto_merges(db, b.merges, now)
    merges = active(db)  # merges in force apply to documents ingested after them
    canon = lambda eid: canonical(merges, eid) if merges else eid  # noqa: E731
    orig = lambda eid: eid if merges and canon(eid) != eid else None  # noqa: E731
    db.executemany(
        "INSERT INTO mentions(entity_id, doc_id, passage_id, start, end, text, original_id) VALUES (?,?,?,?,?,?,?)",
        [(canon(m.entity_id), doc_id, pid(m.passage), m.start, m.end, m.text, m.original_id or orig(m.entity_id))
         for m in b.mentions],
    )
    for r in b.resolutions:
        db.execute(
            """INSERT OR REPLACE INTO resolutions(symbol, doc_id, number, year, adopted, action, chapter_vii,
                   mandate_until, mandate_period, missions, cites) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (r.symbol, doc_id, r.number, r.year, r.adopted, r.action, int(r.chapter_vii), r.mandate_until,
             r.mandate_period, json.dumps(r.missions), json.dumps(r.cites)),
        )
    db.executemany(
        """INSERT OR REPLACE INTO clauses(id, doc_id, symbol, seq, paragraph, part, verb, text, tasks, passage_id,
               start, end) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
        [(c.id, doc_id, c.symbol, c.seq, c.paragraph, c.part, c.verb, c.text, json.dumps(c.tasks),
          pid(c.passage), c.start, c.end) for c in b.clauses],
    )
    placeholders = {"doc:@": f"doc:{doc_id}"}
    for n, i in enumerate(b.incidents):
        iid = db.execute(
            """INSERT INTO incidents(doc_id, passage_id, type, date, place, actors, killed, injured, text, start, end)
               VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, pid(i.passage), i.type, i.date, i.place, json.dumps(i.actors), i.killed, i.injured,
             i.text, i.start, i.end),
        ).lastrowid
        placeholders[f"incident:@{n}"] = f"incident:{iid}"
    for n, les in enumerate(b.lessons):
        lid = db.execute(
            """INSERT INTO lessons(doc_id, passage_id, title, observation, recommendation, lesson, origin, status,
                   start, end, key, discussion, conclusion) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc_id, pid(les.passage), les.title, les.observation, les.recommendation, les.lesson, les.origin,
             les.status, les.start, les.end, les.key, les.discussion, les.conclusion),
        ).lastrowid
        placeholders[f"lesson:@{n}"] = f"lesson:{lid}"
    rows = []
    for r in b.relations:
        src, dst = placeholders.get(r.src, r.src), placeholders.get(r.dst, r.dst)
        rows.append((canon(src), r.rel, canon(dst), doc_id, pid(r.passage), r.start, r.end, json.dumps(r.props),
                     r.original_src or orig(src), r.original_dst or orig(dst)))
    db.executemany("""INSERT INTO relations(src, rel, dst, doc_id, passage_id, start, end, props, original_src,
                          original_dst) VALUES (?,?,?,?,?,?,?,?,?,?)""", rows)
    return doc_id


def upsert_entity(db: sqlite3.Connection, e: EntityRecord) -> None:
    """Create an entity or widen its alias list; the first name given stays canonical."""
    row = db.execute("SELECT aliases FROM entities WHERE id=?", (e.id,)).fetchone()
    aliases = json.loads(row[0]) if row else []
    for a in [e.name, *e.aliases]:
        if a and a not in aliases:
            aliases.append(a)
    if row:
        db.execute("UPDATE entities SET aliases=? WHERE id=?", (json.dumps(aliases), e.id))
    else:
        db.execute("INSERT INTO entities(id, type, name, aliases) VALUES (?,?,?,?)",
                   (e.id, e.type, e.name, json.dumps(aliases)))
    db.executemany("INSERT OR IGNORE INTO entity_aliases(alias, entity_id) VALUES (?,?)",
                   [(a, e.id) for a in aliases])
