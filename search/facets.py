"""Facets: the filters beyond kind, mission and year (country, task, topic), and facet counts.

A passage's values, which the filters test and the counts count:

- ``kind``: its document's kind.  ``year``: the year of its document's date.
- ``mission``: the missions its document CONCERNS or that it mentions (the mission filter's rule).
- ``country``: the States it mentions, and the country each of its missions is deployed in.
  The graph links documents to missions, not to countries, so a mission's country comes from
  the gazetteer (``nlp/data``, pure data; the one thing ``search`` reads from ``nlp``).
- ``task``: the mandate tasks of the resolution clauses it holds (clause MANDATES task): the
  filter finds mandate text; reports about a task carry no task of their own.
- ``topic``: the topics its document's own record gives (``kg.topics``: NASA LLIS
  ``nasa_topics``, a lessons file's ``topic``); reports and resolutions have none.

Counts describe the *facet pool*: the results, then the best further candidates of a retrieval
``FACET_POOL`` deep in the same mode under the same filters (fused without the graph boost),
``max(k, FACET_POOL)`` distinct passages in all (identical copies are one).  The results never
depend on it: they are ranked exactly as without facets.  Each value's count is the number of pool passages
having it; each facet lists its ``MAX_VALUES`` most frequent values.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from kg.topics import fold
from missiongraph.errors import InputError
from missiongraph.taxonomy import TASKS

FACETS = ("kind", "mission", "country", "year", "task", "topic")
FACET_POOL = 100
MAX_VALUES = 20


# -- filter values --------------------------------------------------------------------
def text_filter(name: str, value, query: str) -> str | None:
    """A text filter's value stripped (None when empty); anything but text is an InputError."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be text, got {type(value).__name__} {value!r}", input=query)
    return value.strip() or None


def task_filter(value, query: str) -> str | None:
    """A task id from the taxonomy; an unknown one is an InputError listing the known ones."""
    task = text_filter("task", value, query)
    if task is not None and task not in TASKS:
        raise InputError(f"unknown task {task!r}; use one of {', '.join(TASKS)}", input=task)
    return task


def country_ids(store, name: str) -> list[str]:
    """Entity ids standing for the country ``name`` (a State's name, alias or id): its State and
    the missions deployed there.  Empty when nothing by that name is a State."""
    from nlp import gazetteer

    states = {e["id"] for e in store.find_entities(name) if e["type"] == "State"}
    entry = gazetteer.lookup(name)
    if entry is not None and entry.type == "State":
        states.add(entry.id)
    missions_in = _geography()[1]
    return sorted(states) + sorted(m for s in states for m in missions_in.get(s, ()))


@lru_cache(maxsize=1)
def _geography() -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """(mission id -> (State id, State name), State id -> mission ids), from the gazetteer."""
    from nlp import gazetteer

    state_of: dict[str, tuple[str, str]] = {}
    missions_in: dict[str, list[str]] = {}
    for m in gazetteer.missions():
        s = gazetteer.lookup(m.country) if m.country else None
        if s is not None and s.type == "State":
            state_of[m.id] = (s.id, s.name)
            missions_in.setdefault(s.id, []).append(m.id)
    return state_of, missions_in


# -- counts ---------------------------------------------------------------------------
def empty_counts() -> dict[str, list]:
    return {f: [] for f in FACETS}


def passage_values(link: dict) -> dict[str, list]:
    """Each facet's values for one passage, from its ``GraphStore.passage_links`` entry."""
    missions = {e["id"]: e["name"] for e in [*link["concerns"], *link["entities"]] if e["type"] == "Mission"}
    countries = {e["id"]: e["name"] for e in link["entities"] if e["type"] == "State"}
    state_of = _geography()[0]
    for mid in missions:
        if mid in state_of:
            countries.setdefault(*state_of[mid])
    date = link.get("date") or ""
    return {"kind": [link["kind"]] if link.get("kind") else [], "mission": list(missions.values()),
            "country": list(countries.values()), "year": [int(date[:4])] if date[:4].isdigit() else [],
            "task": list(link["tasks"]), "topic": list(link["topics"])}


def pool(result_ids: list[int], candidate_ids: list[int], links: dict[int, dict], size: int) -> list[int]:
    """The facet pool: results first, then candidates, one passage per text, ``size`` at most."""
    out, seen = [], set()
    for pid in [*result_ids, *candidate_ids]:
        key = (links[pid].get("norm_hash") or pid) if pid in links else None
        if key is not None and key not in seen and len(out) < size:
            seen.add(key)
            out.append(pid)
    return out


def counts(links: dict[int, dict], pool_ids: list[int]) -> dict[str, list[dict]]:
    """``{facet: [{"value", "count"}]}``, most frequent first (ties by value)."""
    tallies = {f: Counter() for f in FACETS}
    shown: dict[tuple, object] = {}
    for pid in pool_ids:
        for facet, values in passage_values(links[pid]).items():
            keys = {}
            for v in values:   # topics compare with case and spacing ignored
                keys.setdefault(fold(v) if facet == "topic" else v, v)
            for key, v in keys.items():
                shown.setdefault((facet, key), v)
                tallies[facet][key] += 1
    return {f: [{"value": shown[(f, key)], "count": n}
                for key, n in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0])))[:MAX_VALUES]]
            for f, c in tallies.items()}
