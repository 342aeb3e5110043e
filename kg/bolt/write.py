"""Writing a file's ``DocumentBundle``s to a Bolt server, batched with ``UNWIND``.

Everything that can be checked without the server (spans, vector shapes) is checked before
the first statement, so a bad bundle never touches the graph even on FalkorDB, whose
rollback undoes nothing.  The write itself forgets the file first (its ``File`` node goes
first, so an interrupted write reads as "not ingested") and then creates everything anew:
running it again after a failure converges on the right state.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from kg import lifecycle
from kg.bolt import lessons as bolt_lessons
from kg.bolt import merges as mg
from kg.bolt import vectors
from kg.bolt.conn import run
from kg.bolt.falkor import batches, budget_of, packed_size
from kg.bolt.schema import FILE_LABELS
from kg.model import DocumentBundle, EntityRecord
from missiongraph.errors import StoreError


def validate(bundles: list[DocumentBundle]) -> list[Any]:
    """Check spans and vectors; return each bundle's vectors as a float32 array (or None)."""
    out = []
    for b in bundles:
        d = b.document
        for p in b.passages:
            if not (0 <= p.start <= p.end <= len(d.text)):
                raise StoreError(f"passage {p.seq} of {d.source} has span {p.start}-{p.end} outside the text",
                                 input=d.source)
        vecs = None
        if b.vectors is not None and len(b.passages):
            import numpy as np

            vecs = np.asarray(b.vectors, dtype=np.float32)
            if vecs.shape[0] != len(b.passages):
                raise StoreError(f"{d.source}: {vecs.shape[0]} vectors for {len(b.passages)} passages", input=d.source)
        out.append(vecs)
    return out


def forget_file(tx, path: str) -> int:
    """Delete a file's node and every record extracted from it; return documents removed."""
    run(tx, "MATCH (f:File {path: $p}) DELETE f", p=path)
    n = run(tx, "MATCH (d:Document {source: $p}) RETURN count(d) AS n", p=path)[0]["n"]
    for label in FILE_LABELS:
        run(tx, f"MATCH (n:{label} {{source: $p}}) DETACH DELETE n", p=path)
    return int(n)


def split_long(rows: list[dict], budget: int) -> tuple[list[dict], list[tuple[str, str, Any]]]:
    """Rows too big for one request keep only the head of each long string or list; the rest
    comes back as (temporary key, field, piece) appends, and the row gets the key as ``_mgk``."""
    out, pieces = [], []
    part = max(1, budget // 4)
    for r in rows:
        if packed_size(r) <= budget:
            out.append(r)
            continue
        key = uuid.uuid4().hex
        r = {**r, "_mgk": key}
        for f, v in list(r.items()):
            if isinstance(v, str) and packed_size(v) > part:
                step = max(1, part // 8)  # characters: at most 4 bytes each, escapes doubled
                chunks = [v[i:i + step] for i in range(0, len(v), step)]
            elif isinstance(v, list) and packed_size(v) > part:
                step = max(1, part // 18)
                chunks = [v[i:i + step] for i in range(0, len(v), step)]
            else:
                continue
            r[f] = chunks[0]
            pieces += [(key, f, c) for c in chunks[1:]]
        out.append(r)
    return out, pieces


def append_pieces(tx, label: str, pieces: list[tuple[str, str, Any]]) -> None:
    """Rebuild long values piece by piece (only FalkorDB needs this), then drop the keys."""
    for key, field, piece in pieces:
        if not re.fullmatch(r"\w+", field):
            raise StoreError(f"bad field name {field!r}")
        run(tx, f"MATCH (n:{label} {{_mgk: $k}}) SET n.{field} = n.{field} + $p", k=key, p=piece)
    for key in dict.fromkeys(k for k, _, _ in pieces):
        run(tx, f"MATCH (n:{label} {{_mgk: $k}}) REMOVE n._mgk", k=key)


def create(tx, label: str, rows: list[dict]) -> None:
    """``CREATE`` one node per row; ``label`` is one of ours, the values are parameters."""
    rows, pieces = split_long(rows, budget_of(tx))
    for batch in batches(rows, budget_of(tx)):
        run(tx, f"UNWIND $rows AS r CREATE (n:{label}) SET n += r", rows=batch)
    append_pieces(tx, label, pieces)


def write_file(tx, path: str, sha256: str, size: int, bundles: list[DocumentBundle], vectors: list, now: str) -> list[int]:
    plan = lifecycle.plan_rewrite(bolt_lessons.file_lessons(tx, path), bundles,
                                  lambda keys: bolt_lessons.states(tx, keys), path, now)
    forget_file(tx, path)
    bolt_lessons.apply_plan(tx, plan)
    ids = [write_bundle(tx, b, v, now) for b, v in zip(bundles, vectors)]
    run(tx, "MERGE (f:File {path: $p}) SET f.sha256 = $sha, f.size = $size, f.documents = $n, f.ingested_at = $now",
        p=path, sha=sha256, size=size, n=len(ids), now=now)
    bump_generation(tx)
    return ids


def bump_generation(tx) -> None:
    mg.next_id(tx, "generation")


def write_bundle(tx, b: DocumentBundle, vecs, now: str) -> int:
    d = b.document
    src = d.source
    stamped = d.ingested_at or now
    doc_id = mg.next_id(tx, "document")
    create(tx, "Document", [{
        "id": doc_id, "source": src, "record": d.record, "sha256": d.sha256, "format": d.format, "title": d.title,
        "kind": d.kind, "symbol": d.symbol, "date": d.date, "text": d.text, "meta": json.dumps(d.meta, default=str),
        "marking": d.marking, "release_to": d.release_to, "ingested_at": stamped}])

    first = mg.next_id(tx, "passage", len(b.passages))
    pids = {p.seq: first + n for n, p in enumerate(b.passages)}
    prow = []
    for n, p in enumerate(b.passages):
        row = {"id": pids[p.seq], "doc_id": doc_id, "source": src, "seq": p.seq, "text": p.text, "title": d.title or "",
               "start": p.start, "end": p.end, "page": p.page, "paragraph": p.paragraph, "section": p.section,
               "norm_hash": p.norm_hash, "marking": d.marking}
        prow.append(row)
    prow, pieces = split_long(prow, budget_of(tx))
    for batch in batches(prow, budget_of(tx), 200):
        run(tx, "MATCH (d:Document {id: $doc}) UNWIND $rows AS r CREATE (d)-[:HAS_PASSAGE]->(p:Passage) SET p += r",
            doc=doc_id, rows=batch)
    append_pieces(tx, "Passage", pieces)
    if vecs is not None:  # apart from the text, so one 384-d vector fits FalkorDB's small requests
        vrows = [{"id": pids[p.seq], "vec": [float(x) for x in vecs[n]]} for n, p in enumerate(b.passages)]
        vrows, pieces = split_long(vrows, budget_of(tx))
        for batch in batches(vrows, budget_of(tx), 200):
            run(tx, "UNWIND $rows AS r MATCH (p:Passage {id: r.id}) SET p += r", rows=batch)
        append_pieces(tx, "Passage", pieces)
        vectors.after_write(tx, doc_id)

    upsert_entities(tx, b.entities)
    pid = lambda seq: pids.get(seq) if seq is not None else None  # noqa: E731
    mg.record_auto_merges(tx, b.merges, now)
    merges = mg.active(tx)  # merges in force apply to documents ingested after them
    canon = lambda eid: mg.canonical(merges, eid) if merges else eid  # noqa: E731
    orig = lambda eid: eid if merges and canon(eid) != eid else None  # noqa: E731
    create(tx, "Mention", [{"entity_id": canon(m.entity_id), "doc_id": doc_id, "passage_id": pid(m.passage),
                            "start": m.start, "end": m.end, "text": m.text,
                            "original_id": m.original_id or orig(m.entity_id),
                            "source": src} for m in b.mentions])
    # one row per (symbol, doc): the last record of a symbol wins, as INSERT OR REPLACE does
    res = {r.symbol: {"symbol": r.symbol, "doc_id": doc_id, "number": r.number, "year": r.year, "adopted": r.adopted,
                      "action": r.action, "chapter_vii": bool(r.chapter_vii), "mandate_until": r.mandate_until,
                      "mandate_period": r.mandate_period, "missions": json.dumps(r.missions),
                      "cites": json.dumps(r.cites), "source": src} for r in b.resolutions}
    create(tx, "Resolution", list(res.values()))
    clauses = {c.id: {"id": c.id, "doc_id": doc_id, "symbol": c.symbol, "seq": c.seq, "paragraph": c.paragraph,
                      "part": c.part, "verb": c.verb, "text": c.text, "tasks": json.dumps(c.tasks),
                      "passage_id": pid(c.passage), "start": c.start, "end": c.end, "source": src} for c in b.clauses}
    create(tx, "Clause", list(clauses.values()))

    placeholders = {"doc:@": f"doc:{doc_id}"}
    first = mg.next_id(tx, "incident", len(b.incidents))
    rows = []
    for n, i in enumerate(b.incidents):
        rows.append({"id": first + n, "doc_id": doc_id, "passage_id": pid(i.passage), "type": i.type, "date": i.date,
                     "place": i.place, "actors": json.dumps(i.actors), "killed": i.killed, "injured": i.injured,
                     "text": i.text, "start": i.start, "end": i.end, "source": src})
        placeholders[f"incident:@{n}"] = f"incident:{first + n}"
    create(tx, "Incident", rows)
    first = mg.next_id(tx, "lesson", len(b.lessons))
    rows = []
    for n, les in enumerate(b.lessons):
        rows.append({"id": first + n, "doc_id": doc_id, "passage_id": pid(les.passage), "title": les.title,
                     "observation": les.observation, "recommendation": les.recommendation, "lesson": les.lesson,
                     "origin": les.origin, "status": les.status, "start": les.start, "end": les.end, "source": src,
                     "key": les.key, "discussion": les.discussion, "conclusion": les.conclusion})
        placeholders[f"lesson:@{n}"] = f"lesson:{first + n}"
    create(tx, "Lesson", rows)

    first = mg.next_id(tx, "relation", len(b.relations))
    rows = []
    for n, r in enumerate(b.relations):
        s, t = placeholders.get(r.src, r.src), placeholders.get(r.dst, r.dst)
        rows.append({"id": first + n, "src": canon(s), "rel": r.rel, "dst": canon(t), "doc_id": doc_id,
                     "passage_id": pid(r.passage), "start": r.start, "end": r.end, "props": json.dumps(r.props),
                     "original_src": r.original_src or orig(s), "original_dst": r.original_dst or orig(t),
                     "source": src})
    create(tx, "Relation", rows)
    return doc_id


def upsert_entities(tx, entities: list[EntityRecord]) -> None:
    """Create entities or widen their alias lists; the first name given stays canonical."""
    if not entities:
        return
    have = {}
    for batch in batches([{"id": i} for i in dict.fromkeys(e.id for e in entities)], budget_of(tx)):
        for r in run(tx, "UNWIND $rows AS x MATCH (e:Entity {id: x.id}) RETURN e.id AS id, e.aliases AS aliases",
                     rows=batch):
            have[r["id"]] = r["aliases"]
    rows: dict[str, dict] = {}
    for e in entities:
        row = rows.get(e.id)
        if row is None:
            old = have.get(e.id)
            aliases = json.loads(old) if old else []
            row = rows[e.id] = {"id": e.id, "type": e.type, "name": e.name, "aliases": aliases, "new": old is None}
        for a in [e.name, *e.aliases]:
            if a and a not in row["aliases"]:
                row["aliases"].append(a)
    out = [{"id": r["id"], "type": r["type"], "name": r["name"], "new": r["new"],
            "aliases": json.dumps(r["aliases"]), "aliases_lc": [a.lower() for a in r["aliases"]] or [""]}
           for r in rows.values()]
    for batch in batches(out, budget_of(tx)):
        run(tx, "UNWIND $rows AS r MERGE (e:Entity {id: r.id}) "
                "ON CREATE SET e.type = r.type, e.name = r.name, e.props = '{}' "
                "SET e.aliases = r.aliases, e.aliases_lc = r.aliases_lc", rows=batch)
