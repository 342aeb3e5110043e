"""A mission's mandate over time, built from store primitives: the resolutions in date order,
each task clause linked to its forerunner, the mandate in force on a date, a clause's history.

Nothing here is stored: it is recomputed from the resolutions present, so ingest order does
not matter.  Pure logic lives in ``kg.lineage``.  When a mission closed, and which mission took
over, comes from the gazetteer (``nlp/data``, pure data: the one thing ``kg`` reads from ``nlp``).
"""

from __future__ import annotations

from kg.lineage import compare, in_force, mandate_end
from kg.store import GraphStore
from missiongraph.errors import InputError, NotFoundError
from missiongraph.symbols import parse_resolution_input


def find_mission(store: GraphStore, mission: str) -> dict:
    found = [e for e in store.find_entities(mission.strip()) if e["type"] == "Mission"] if mission.strip() else []
    if not found:
        raise NotFoundError(f"no mission named {mission!r} in the store", input=mission)
    return found[0]


def timeline(store: GraphStore, mission_id: str) -> list[dict]:
    """The mission's resolutions in date order; each task carries its change against the mandate
    that stood before the resolution, and "mandate" holds the tasks in force after it."""
    from kg.views import merge_resolution_rows, resolution_tasks

    by_symbol: dict[str, list[dict]] = {}
    for row in store.resolutions_concerning([mission_id]):
        by_symbol.setdefault(row["symbol"], []).append(row)
    out = []
    for symbol, rows in by_symbol.items():
        merged = merge_resolution_rows(rows)
        out.append({"symbol": symbol, "adopted": merged["adopted"], "action": merged["action"],
                    "mandate_until": merged["mandate_until"], "mandate_period": merged["mandate_period"],
                    "chapter_vii": merged["chapter_vii"], "cites": merged.get("cites", []),
                    "tasks": resolution_tasks(store, symbol)})
    out.sort(key=lambda r: (r["adopted"] or "9999", _number(r["symbol"])))
    standing: list[dict] = []
    previous = None
    for r in out:
        r["previous"] = _previous(store, r, previous, set(by_symbol))
        r["mandate_end"] = mandate_end(r)
        if r["tasks"]:
            r["tasks"], dropped = compare(standing, r["tasks"])
            restates = r["action"] in ("establish", "extend")
            r["dropped"] = dropped if restates else []
            if restates:
                standing = list(r["tasks"])
            else:  # a modification replaces the clauses of the tasks it touches and adds new ones
                touched = {t["task"] for t in r["tasks"]}
                standing = [t for t in standing if t["task"] not in touched] + list(r["tasks"])
        else:
            r["dropped"] = []
        r["mandate"] = [{"task": t["task"], "clause_id": t["clause_id"], "since": _symbol_of(t["clause_id"])} for t in standing]
        previous = r
    return out


def _previous(store: GraphStore, r: dict, previous: dict | None, mission_symbols: set[str]) -> dict | None:
    """The resolution this one follows: the mission's last one before it, unless the text cites a
    later one that the mission's record lacks (a renewal not in the store: flagged as missing).
    The first resolution of a mission follows the newest resolution it cites."""
    number = _number(r["symbol"])
    cited = sorted((c for c in r.get("cites", []) if _number(c) < number), key=_number)
    newest = cited[-1] if cited else None
    if newest and newest not in mission_symbols and (previous is None or _number(newest) > _number(previous["symbol"])):
        rows = store.resolution_rows(symbol=newest)
        return {"symbol": newest, "in_store": bool(rows), "adopted": rows[0]["adopted"] if rows else None,
                "same_mission": False}
    if previous is None:
        return None
    return {"symbol": previous["symbol"], "in_store": True, "adopted": previous["adopted"], "same_mission": True}


def _symbol_of(clause_id: str | None) -> str | None:
    """"S/RES/2779 (2025) OP 3(a)" -> "S/RES/2779 (2025)"."""
    return clause_id.split(" OP ")[0].split(" PP")[0].strip() if clause_id else None


def _number(symbol: str) -> int:
    try:
        return parse_resolution_input(symbol)[0]
    except InputError:
        return 0


def mandate_ended(store: GraphStore, mission: dict) -> dict | None:
    """When a mission's mandate ended for good, whatever its last renewal said, or None while it
    runs (or the data does not say).  ``date`` is the first day it no longer held: the adoption of
    the resolution that set up the successor ("reason": "successor_established"; UNOSOM's ended
    with 814 (1993), which established UNOSOM II), else the New Year after the year the mission
    data says it closed ("reason": "mission_closed")."""
    from kg.views import merge_resolution_rows
    from nlp import gazetteer

    entry = gazetteer.mission(mission["name"])
    if entry is None:
        return None
    nxt = gazetteer.successor(entry.name)
    if nxt is not None:
        ids = [e["id"] for e in store.find_entities(nxt.name) if e["type"] == "Mission"] or [nxt.id]
        by_symbol: dict[str, list[dict]] = {}
        for row in store.resolutions_concerning(ids):
            by_symbol.setdefault(row["symbol"], []).append(row)
        merged = [merge_resolution_rows(rows) for rows in by_symbol.values()]
        set_up = sorted((r["adopted"], _number(r["symbol"]), r["symbol"]) for r in merged
                        if r["action"] == "establish" and r["adopted"])
        if set_up:
            return {"date": set_up[0][0], "reason": "successor_established", "successor": nxt.name,
                    "resolution": set_up[0][2]}
    if entry.end:
        return {"date": f"{entry.end + 1}-01-01", "reason": "mission_closed",
                "successor": nxt.name if nxt else None, "resolution": None}
    return None


def mandate_on(resolutions: list[dict], on: str, ended: dict | None = None) -> dict | None:
    """The mandate in force on ``on``: the resolution it rests on, its end and its task clauses.
    With ``ended`` (``mandate_ended``), nothing adopted before that end holds on or after it: a
    predecessor's last renewal does not outlive the successor that replaced it."""
    held = in_force(resolutions, on)
    if not held:
        return None
    if ended and on >= ended["date"] and (held[0]["adopted"] or "") < ended["date"]:
        return None
    last = held[-1]
    base = held[0]
    return {"date": on, "resolution": last["symbol"], "based_on": base["symbol"], "mandate_end": base["mandate_end"],
            "tasks": last["mandate"]}


def clause_history(store: GraphStore, clause_id: str) -> dict:
    """Every version of a clause across the mission's renewals, oldest first, with the change at
    each step (per task the clause carries)."""
    symbol = _symbol_of(clause_id)
    clauses = [c for c in store.resolution_clauses(symbol) if c["id"] == clause_id]
    if not clauses:
        raise NotFoundError(f"no clause {clause_id!r} in the store", input=clause_id)
    missions = [r["dst"] for r in store.relations(src=f"res:{symbol}", rel="CONCERNS", limit=50)]
    entries = {}
    for mid in missions[:1]:
        for r in timeline(store, mid):
            for t in r["tasks"]:
                entries[(t["clause_id"], t["task"])] = {**t, "symbol": r["symbol"], "adopted": r["adopted"]}
    successors = {(e["previous_clause"], task): e for (_, task), e in entries.items() if e.get("previous_clause")}
    chains = []
    for task in clauses[0]["tasks"] or []:
        chain, key = [], (clause_id, task)
        while key in entries:  # back to the first version
            chain.insert(0, entries[key])
            prev = entries[key].get("previous_clause")
            key = (prev, task) if prev else None
        nxt = successors.get((clause_id, task))
        while nxt is not None:  # forward to the latest
            chain.append(nxt)
            nxt = successors.get((nxt["clause_id"], task))
        chains.append({"task": task, "versions": [_version(e) for e in chain]})
    c = clauses[0]
    return {"clause": clause_id, "symbol": symbol, "paragraph": c["paragraph"], "verb": c["verb"], "text": c["text"],
            "missions": missions, "history": chains}


def _version(e: dict) -> dict:
    return {"clause_id": e["clause_id"], "symbol": e["symbol"], "adopted": e["adopted"], "paragraph": e["paragraph"],
            "verb": e["verb"], "text": e["text"], "change": e["change"], "similarity": e.get("similarity"),
            "diff": e.get("diff")}


def facts_in_force(store: GraphStore, doc_id: int) -> list[dict]:
    """A document's incidents and lessons, each with the mandate in force on its date for the
    document's missions: which clauses governed the mission when it happened."""
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFoundError(f"no document with id {doc_id} in the store", input=str(doc_id))
    missions = []
    for acronym in (doc.get("meta") or {}).get("missions", []):
        found = [e for e in store.find_entities(acronym) if e["type"] == "Mission"]
        if found:
            missions.append(found[0])
    timelines = {m["id"]: timeline(store, m["id"]) for m in missions}
    ends = {m["id"]: mandate_ended(store, m) for m in missions}
    out = []
    items = [("incident", i, i.get("date")) for i in store.incidents(doc_id=doc_id, limit=500)]
    items += [("lesson", x, None) for x in store.lessons(doc_id=doc_id, limit=500)]
    for kind, item, when in items:
        on = when or doc.get("date")
        entry = {"kind": kind, "id": item["id"], "date": on,
                 "text": item.get("text") or item.get("lesson") or item.get("observation") or item.get("recommendation"),
                 "in_force": []}
        for m in missions if on else []:
            held = mandate_on(timelines[m["id"]], on, ends[m["id"]])
            if held:
                entry["in_force"].append({"mission": m["name"], **held})
        out.append(entry)
    return out
