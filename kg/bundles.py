"""Reading a file's records back as the ``DocumentBundle``s that wrote them, for any backend.

Moving a graph between backends (``kg.transfer``) replays each file through
``replace_file``, the only write path that keeps a file atomic; so every backend must be able
to give back what that call received.  Backends fetch their rows (plain dicts with the
embedded store's column names, store ids included) and ``assemble`` turns them back into
records: passage ids become passage ``seq`` numbers again, ``doc:<id>``, ``incident:<id>`` and
``lesson:<id>`` become the bundle placeholders, and mentions come in one order on every
backend (the Bolt store keeps no mention ids).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from kg.model import (
    ClauseRecord, DocumentBundle, DocumentRecord, EntityRecord, IncidentRecord, LessonRecord, MentionRecord,
    PassageRecord, RelationRecord, ResolutionRecord,
)
from missiongraph.errors import StoreError

def assemble(doc: dict, passages: list[dict], vectors: dict[int, Any], mentions: list[dict],
             resolutions: list[dict], clauses: list[dict], incidents: list[dict], lessons: list[dict],
             relations: list[dict]) -> DocumentBundle:
    """One document's rows as the bundle ``replace_file`` received (ids aside); ``vectors`` maps
    passage id to vector.  Rows of one kind come in store order (incidents, lessons and relations
    by id); entities are left to the caller."""
    seq_of = {int(p["id"]): int(p["seq"]) for p in passages}

    def seq(passage_id) -> int | None:
        if passage_id is None:
            return None
        if int(passage_id) not in seq_of:
            raise StoreError(f"{doc['source']}: a record points at passage {passage_id}, which is not one of "
                             "its document's passages (run `missiongraph check`)", input=doc["source"])
        return seq_of[int(passage_id)]

    local = {f"doc:{doc['id']}": "doc:@"}
    local.update({f"incident:{r['id']}": f"incident:@{n}" for n, r in enumerate(incidents)})
    local.update({f"lesson:{r['id']}": f"lesson:@{n}" for n, r in enumerate(lessons)})
    key = lambda value: local.get(value, value) if value is not None else None  # noqa: E731

    b = DocumentBundle(DocumentRecord(
        source=doc["source"], sha256=doc["sha256"], format=doc["format"], text=doc["text"], record=doc["record"],
        title=doc["title"], kind=doc["kind"], symbol=doc["symbol"], date=doc["date"], meta=doc["meta"],
        marking=doc["marking"], release_to=doc["release_to"], ingested_at=doc["ingested_at"]))
    b.passages = [PassageRecord(p["seq"], p["text"], p["start"], p["end"], p["norm_hash"], p["page"], p["paragraph"],
                                p["section"]) for p in passages]
    b.vectors = _vectors(doc["source"], passages, vectors)
    b.mentions = sorted(
        (MentionRecord(m["entity_id"], m["start"], m["end"], m["text"], seq(m["passage_id"]), m["original_id"])
         for m in mentions),
        key=lambda m: (m.start, m.end, -1 if m.passage is None else m.passage, m.entity_id, m.original_id or "",
                       m.text))
    b.resolutions = [ResolutionRecord(r["symbol"], r["number"], r["year"], r["adopted"], r["action"],
                                      bool(r["chapter_vii"]), r["mandate_until"], r["mandate_period"],
                                      list(r["missions"]), list(r["cites"]))
                     for r in sorted(resolutions, key=lambda r: r["symbol"])]
    b.clauses = [ClauseRecord(c["id"], c["symbol"], c["seq"], c["paragraph"], c["part"], c["verb"], c["text"],
                              c["start"], c["end"], list(c["tasks"]), seq(c["passage_id"]))
                 for c in sorted(clauses, key=lambda c: (c["seq"], c["id"]))]
    b.incidents = [IncidentRecord(i["type"], i["text"], i["start"], i["end"], i["date"], i["place"], list(i["actors"]),
                                  i["killed"], i["injured"], seq(i["passage_id"])) for i in incidents]
    b.lessons = [LessonRecord(x["start"], x["end"], x["origin"], x["title"], x["observation"], x["recommendation"],
                              x["lesson"], x["status"], seq(x["passage_id"]), x.get("key"),
                              x.get("discussion"), x.get("conclusion")) for x in lessons]
    b.relations = [RelationRecord(key(r["src"]), r["rel"], key(r["dst"]), r["start"], r["end"], seq(r["passage_id"]),
                                  dict(r["props"]), key(r["original_src"]), key(r["original_dst"]))
                   for r in relations]
    return b


def referenced_ids(b: DocumentBundle) -> set[str]:
    """Every id in the bundle that may name an entity (the caller keeps those the store holds)."""
    ids = {x for m in b.mentions for x in (m.entity_id, m.original_id) if x}
    return ids | {x for r in b.relations for x in (r.src, r.dst, r.original_src, r.original_dst) if x}


def attach_entities(bundles: list[DocumentBundle], lookup: Callable[[Iterable[str]], list[EntityRecord]]) -> None:
    """Give each bundle the records of the entities it refers to, as the store holds them now
    (full alias list: replaying them creates the same entity whichever file comes first)."""
    for b in bundles:
        b.entities = sorted(lookup(sorted(referenced_ids(b))), key=lambda e: e.id)


def entity_record(row: dict) -> EntityRecord:
    """An entity as ``GraphStore.entities`` returns it, as the record that recreates it."""
    return EntityRecord(row["id"], row["type"], row["name"], list(row["aliases"]))


def order_files(files: list[dict], first_doc: dict[str, int]) -> list[dict]:
    """Files in the order they were first written (their first document id), empty ones last."""
    return sorted(files, key=lambda f: (f["path"] not in first_doc, first_doc.get(f["path"], 0), f["path"]))


def _vectors(source: str, passages: list[dict], vectors: dict[int, Any]):
    have = [int(p["id"]) in vectors for p in passages]
    if not passages or not any(have):
        return None
    if not all(have):
        raise StoreError(f"{source}: {have.count(False)} of {len(have)} passages have no vector; re-ingest it",
                         input=source)
    import numpy as np

    return np.stack([np.asarray(vectors[int(p["id"])], dtype=np.float32) for p in passages])
