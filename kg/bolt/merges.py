"""Reversible entity merges on a Bolt server: the rules of ``kg.sqlite_merges`` in Cypher.

Each mention and relation keeps the id extraction gave it (``original_id`` /
``original_src`` / ``original_dst``) once its entity takes part in a merge; splitting marks
the merge undone and re-points everything from those originals.
"""

from __future__ import annotations

from kg.bolt.conn import run
from kg.bolt.falkor import batches, budget_of
from kg.sqlite_merges import canonical, check_merge, plan_restore
from missiongraph.errors import InputError

_FIELDS = "m.id AS id, m.from_id AS from_id, m.into_id AS into_id, m.reason AS reason, m.at AS at, m.undone_at AS undone_at"


def active(tx) -> dict[str, str]:
    """from id -> into id for every merge in force."""
    rows = run(tx, "MATCH (m:EntityMerge) WHERE m.undone_at IS NULL RETURN m.from_id AS f, m.into_id AS i ORDER BY m.id")
    return {r["f"]: r["i"] for r in rows}


def next_id(tx, name: str, n: int = 1) -> int:
    """Reserve ``n`` ids from counter ``name``; return the first.  Counters only grow, so an id
    is never handed out twice (even where a failed transaction is not rolled back)."""
    if n <= 0:
        return 0
    rows = run(tx, "MERGE (c:MGCounter {name: $name}) ON CREATE SET c.value = 0 "
                   "SET c.value = c.value + $n RETURN c.value AS v", name=name, n=n)
    return int(rows[0]["v"]) - n + 1


def merge(tx, from_id: str, into_id: str, reason: str, now: str) -> dict:
    exists = lambda eid: bool(run(tx, "MATCH (e:Entity {id: $id}) RETURN e.id AS id", id=eid))  # noqa: E731
    reason = check_merge(active(tx), exists, from_id, into_id, reason)
    mid = _record(tx, from_id, into_id, reason, now)
    repoint(tx)
    return {"id": mid, "from": from_id, "into": into_id, "reason": reason, "at": now, "undone_at": None}


def _record(tx, from_id: str, into_id: str, reason: str, now: str, undone_at: str | None = None) -> int:
    mid = next_id(tx, "merge")
    run(tx, "CREATE (m:EntityMerge {id: $id, from_id: $f, into_id: $i, reason: $r, at: $at, undone_at: $u})",
        id=mid, f=from_id, i=into_id, r=reason, at=now, u=undone_at)
    return mid


def restore(tx, records: list[dict], now: str) -> int:
    """Write merge records verbatim, checked first (``plan_restore``); nothing is re-pointed."""
    todo = plan_restore(history(tx, None), records)
    for m in todo:
        _record(tx, m["from"], m["into"], m["reason"], m["at"], m["undone_at"])
    return len(todo)


def record_auto_merges(tx, merges, now: str) -> None:
    """Merges found at ingest, once per pair: a pair a user split stays split."""
    for m in merges:
        if m.from_id == m.into_id or run(
                tx, "MATCH (x:EntityMerge {from_id: $f}) WHERE x.into_id = $i OR x.undone_at IS NULL RETURN x.id AS id",
                f=m.from_id, i=m.into_id):
            continue
        if canonical(active(tx), m.into_id) == m.from_id:
            continue
        _record(tx, m.from_id, m.into_id, m.reason, now)


def split(tx, from_id: str, now: str) -> dict:
    rows = run(tx, f"MATCH (m:EntityMerge {{from_id: $f}}) WHERE m.undone_at IS NULL RETURN {_FIELDS}", f=from_id)
    if not rows:
        raise InputError(f"{from_id!r} is not merged into another entity", input=from_id)
    r = rows[0]
    run(tx, "MATCH (m:EntityMerge {id: $id}) SET m.undone_at = $now", id=r["id"], now=now)
    repoint(tx)
    return {"id": r["id"], "from": from_id, "into": r["into_id"], "reason": r["reason"], "at": r["at"], "undone_at": now}


def history(tx, entity_id: str | None) -> list[dict]:
    where = "" if entity_id is None else "WHERE m.from_id = $e OR m.into_id = $e "
    rows = run(tx, f"MATCH (m:EntityMerge) {where}RETURN {_FIELDS} ORDER BY m.id", e=entity_id)
    return [{"id": r["id"], "from": r["from_id"], "into": r["into_id"], "reason": r["reason"], "at": r["at"],
             "undone_at": r["undone_at"]} for r in rows]


def repoint(tx) -> None:
    """Point every mention and relation of an entity ever merged at its canonical entity."""
    merges = active(tx)
    ids = sorted({x for r in run(tx, "MATCH (m:EntityMerge) RETURN m.from_id AS f, m.into_id AS i")
                  for x in (r["f"], r["i"])})
    idrows = [{"eid": eid} for eid in ids]
    pairs = [{"o": eid, "t": canonical(merges, eid)} for eid in ids]
    for cypher, rows in (
        ("UNWIND $rows AS x MATCH (m:Mention {entity_id: x.eid}) WHERE m.original_id IS NULL SET m.original_id = x.eid", idrows),
        ("UNWIND $rows AS x MATCH (r:Relation {src: x.eid}) WHERE r.original_src IS NULL SET r.original_src = x.eid", idrows),
        ("UNWIND $rows AS x MATCH (r:Relation {dst: x.eid}) WHERE r.original_dst IS NULL SET r.original_dst = x.eid", idrows),
        ("UNWIND $rows AS p MATCH (m:Mention {original_id: p.o}) SET m.entity_id = p.t", pairs),
        ("UNWIND $rows AS p MATCH (r:Relation {original_src: p.o}) SET r.src = p.t", pairs),
        ("UNWIND $rows AS p MATCH (r:Relation {original_dst: p.o}) SET r.dst = p.t", pairs),
    ):
        for batch in batches(rows, budget_of(tx)):
            run(tx, cypher, rows=batch)
