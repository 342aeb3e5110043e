"""Answers shaped for people and scripts (the CLI's ``--json`` and the web API).

Each view is composed from ``GraphStore`` primitives, so every backend gets it unchanged.
The key sets are a public contract: add keys, never rename them.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store import GraphStore
from missiongraph.errors import InputError, NotFoundError
from missiongraph.symbols import format_resolution, normalise_document_symbol, parse_resolution_input

ACTION_PRECEDENCE = ("establish", "extend", "modify", "other")


def merge_resolution_rows(rows: list[dict]) -> dict:
    """One resolution from its per-file rows (a PDF and its text export agree or complement)."""
    first = lambda key: next((r[key] for r in rows if r.get(key)), None)  # noqa: E731
    actions = {r["action"] for r in rows}
    return {
        "symbol": rows[0]["symbol"],
        "adopted": first("adopted"),
        "missions": _union(r["missions"] for r in rows),
        "action": next(a for a in ACTION_PRECEDENCE if a in actions or a == "other"),
        "chapter_vii": any(r["chapter_vii"] for r in rows),
        "mandate_until": first("mandate_until"),
        "mandate_period": first("mandate_period"),
        "cites": _union(r["cites"] for r in rows),
    }


def resolution_tasks(store: GraphStore, symbol: str) -> list[dict]:
    """One entry per (task, clause), clauses read once even when two files hold them."""
    out, seen = [], set()
    for c in store.resolution_clauses(symbol):
        if c["part"] != "operative":
            continue
        for task in c["tasks"]:
            if (task, c["id"]) in seen:
                continue
            seen.add((task, c["id"]))
            out.append({"task": task, "paragraph": c["paragraph"], "verb": c["verb"], "text": c["text"],
                        "clause_id": c["id"], "page": c["page"]})
    return out


def find_resolution(store: GraphStore, symbol_input: str) -> list[dict]:
    number, year = parse_resolution_input(symbol_input)
    rows = store.resolution_rows(number=number, year=year)
    if not rows:
        raise NotFoundError(f"resolution {format_resolution(number, year)} is not in the store", input=symbol_input)
    return rows


def resolution_view(store: GraphStore, symbol_input: str) -> dict:
    rows = find_resolution(store, symbol_input)
    symbol = rows[0]["symbol"]
    rows = [r for r in rows if r["symbol"] == symbol]
    view = merge_resolution_rows(rows)
    view["tasks"] = resolution_tasks(store, symbol)
    view["documents"] = sorted({r["source"] for r in rows})
    view["previous"], view["dropped"] = None, []
    from kg.mandates import timeline

    for acronym in view["missions"]:
        found = [e for e in store.find_entities(acronym) if e["type"] == "Mission"]
        entry = next((r for r in timeline(store, found[0]["id"]) if r["symbol"] == symbol), None) if found else None
        if entry is not None:  # the lineage against the mission's previous mandate
            view["previous"], view["tasks"], view["dropped"] = entry["previous"], entry["tasks"], entry["dropped"]
            break
    return view


def document_view(store: GraphStore, source_or_symbol: str) -> dict:
    docs = _find_documents(store, source_or_symbol)
    d = docs[0]
    meta = d["meta"]
    period = meta.get("reporting_period")
    return {
        "source": d["source"],
        "title": d["title"],
        "symbol": d["symbol"],
        "kind": d["kind"],
        "date": d["date"],
        "missions": meta.get("missions", []),
        "pursuant_to": meta.get("pursuant_to", []),
        "armed_groups": [{"id": e["id"], "name": e["name"]} for e in store.document_entities(d["id"], "ArmedGroup")],
        "locations": [{"id": e["id"], "name": e["name"]} for e in store.document_entities(d["id"], "Location")],
        "reporting_period": {"start": period[0], "end": period[1]} if period else None,
        "doc_id": d["id"],
        "record": d["record"],
        "other_documents": [{"doc_id": o["id"], "source": o["source"]} for o in docs[1:]],
    }


def entity_view(store: GraphStore, name: str) -> dict:
    found = store.find_entities(name.strip(), limit=1) if name and name.strip() else []
    if not found:
        raise NotFoundError(f"no entity named {name!r} in the store", input=name)
    e = found[0]
    canonical = store.canonical_entity(e["id"])
    if canonical != e["id"]:
        e = store.get_entity(canonical) or e
    related = [{**r, "relation": "CO_MENTIONED"} for r in store.co_mentioned(e["id"])]
    for direction, key in (("src", "dst"), ("dst", "src")):
        for rel in store.relations(**{direction: e["id"]}, limit=200):
            other = store.get_entity(rel[key])
            if other:
                related.append({"id": other["id"], "name": other["name"], "type": other["type"],
                                "relation": rel["rel"], "count": 1})
    history = store.entity_merges(e["id"])
    merged = [m for m in history if m["into"] == e["id"] and m["undone_at"] is None]
    aliases = list(e["aliases"])
    for m in merged:
        other = store.get_entity(m["from"])
        for a in [other["name"], *other["aliases"]] if other else []:
            if a not in aliases and a != e["name"]:
                aliases.append(a)
    return {"id": e["id"], "name": e["name"], "type": e["type"], "aliases": aliases,
            "mentions": store.entity_mention_count(e["id"]), "related": related,
            "merged_from": [{"id": m["from"], "reason": m["reason"], "at": m["at"]} for m in merged],
            "merges": history}


def mandate_view(store: GraphStore, mission: str, as_of: str | None = None, task: str | None = None) -> dict:
    """A mission's resolutions in date order with each task's change at every renewal; with
    ``as_of`` also the mandate in force on that date, with ``task`` only that task's clauses.
    "ended_by" says when the mandate ended for good (a successor set up, the mission closed), or None."""
    from kg.mandates import find_mission, mandate_ended, mandate_on, timeline

    m = find_mission(store, mission)
    if task is not None:
        _check_task(task)
    resolutions = timeline(store, m["id"])
    out = {"mission": m["name"], "id": m["id"], "aliases": m["aliases"], "resolutions": resolutions,
           "ended_by": mandate_ended(store, m)}
    if as_of is not None:
        on = _check_date(as_of)
        out["as_of"] = on
        out["in_force"] = mandate_on(resolutions, on, out["ended_by"])
        out["resolutions"] = [r for r in resolutions if r["adopted"] and r["adopted"] <= on]
    if task is not None:
        out["task"] = task
        for r in out["resolutions"]:
            r["tasks"] = [t for t in r["tasks"] if t["task"] == task]
            r["dropped"] = [t for t in r["dropped"] if t["task"] == task]
            r["mandate"] = [t for t in r["mandate"] if t["task"] == task]
        if out.get("in_force"):
            out["in_force"]["tasks"] = [t for t in out["in_force"]["tasks"] if t["task"] == task]
    return out


def clause_view(store: GraphStore, clause_id: str) -> dict:
    from kg.mandates import clause_history

    return clause_history(store, " ".join((clause_id or "").split()))


def _check_task(task: str) -> None:
    from missiongraph.taxonomy import TASKS

    if task not in TASKS:
        raise InputError(f"unknown task {task!r}; use one of {', '.join(TASKS)}", input=task)


def _check_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError as e:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD)", input=value) from e


def stats(store: GraphStore) -> dict:
    return store.stats()


def _find_documents(store: GraphStore, key: str) -> list[dict]:
    key = (key or "").strip()
    if not key:
        raise InputError("give a document path, symbol or id", input=key)
    if os.path.exists(key):
        docs = store.find_documents(source=str(Path(key).resolve()))
        if docs:
            return docs
    if key.isdigit():
        doc = store.get_document(int(key))
        if doc:
            return [doc]
    symbol = normalise_document_symbol(key)
    if symbol is None:
        try:
            number, year = parse_resolution_input(key)
            rows = store.resolution_rows(number=number, year=year)
            symbol = rows[0]["symbol"] if rows else format_resolution(number, year)
        except InputError:
            symbol = None
    docs = store.find_documents(symbol=symbol) if symbol else []
    if not docs:
        docs = store.find_documents(source=key)
    if not docs:
        raise NotFoundError(f"no document {key!r} in the store (give a path, symbol or id)", input=key)
    return docs


def _union(lists) -> list:
    out: list = []
    for items in lists:
        for x in items:
            if x not in out:
                out.append(x)
    return out


def _number(symbol: str) -> int:
    try:
        return parse_resolution_input(symbol)[0]
    except InputError:
        return 0
