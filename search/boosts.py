"""Graph-aware re-ranking for hybrid search: a query that names a place, country, mission or
armed group gets a third ranked list in the fusion, made of the candidates linked to it.

Why: planners name the situation ("the Lebanese army moving into the south", "elections in the
Central African Republic") in words the answering paragraph often lacks: a paragraph of the
Secretary-General's CAR report about voter registration need not say "Central African
Republic", and "Lebanese" never matches "Lebanon" in BM25.  The graph knows both: the store
resolves names, aliases and demonyms to actors, records which actors each passage mentions and
which mission each document CONCERNS.  So a candidate already retrieved by keyword or vector
search gets one more vote when its document is about an actor the query names:

* the document CONCERNS the actor (a mission), or
* the actor is one of the few its document mentions most (the report is about that country).

A passage that merely mentions the actor is not boosted: BM25 already rewards the name, and on
the development queries boosting every mention (of "Juba", say) pushed passages of other
reports above the answer.

Only candidates of the two base lists are re-ranked; nothing new is pulled in, so a query that
names nothing, or names something no candidate is linked to, ranks exactly as before.  The
extra list keeps the base fused order, so the boost favours well-ranked linked passages most.
Pure reads through the ``GraphStore`` interface: works on every backend.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from missiongraph.stopwords import STOPWORDS
from search.fusion import rrf

# Actor types a query may name; organisations and persons are too noisy as query cues
# ("army", "state" are aliases of some) and the United Nations is in nearly every passage.
QUERY_TYPES = ("Mission", "State", "ArmedGroup", "Location")
# Weight of the graph list in reciprocal rank fusion, beside keyword 1.0 and vector 2.0
# (search.engine.RRF_WEIGHTS); chosen on the development query set only.
GRAPH_WEIGHT = 0.5
# A document is "about" an actor it mentions at least DOC_MIN times and among its DOC_TOP most
# mentioned actors of QUERY_TYPES.
DOC_TOP = 3
DOC_MIN = 3
MAX_NGRAM = 5
# Words that are place names only as part of a longer name ("West Bank", "South Sudan").
_VAGUE = frozenset("""north south east west northern southern eastern western central african
    european asian arab international national""".split())
_TOKEN = re.compile(r"[\w’'-]+")


def _spans(text: str) -> list[tuple[int, int, str]]:
    """Candidate name spans of the query, longest first: (token start, token end, surface)."""
    tokens = _TOKEN.findall(text)
    out = []
    for n in range(min(MAX_NGRAM, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            words = tokens[i:i + n]
            if words[0].lower() in STOPWORDS or words[-1].lower() in STOPWORDS:
                continue
            # Only words written as a name (Goma, M23, al-Shabaab, South Sudan) count, so common
            # words that happen to be an alias ("buffer zone", "army") do not fire.
            if not any(c.isupper() or c.isdigit() for c in "".join(words)):
                continue
            if n == 1 and words[0].lower() in _VAGUE:
                continue
            out.append((i, i + n, " ".join(words)))
    return out


def query_entities(store, text: str) -> list[dict]:
    """Actors (of QUERY_TYPES) the query names, by name, alias or demonym; non-overlapping,
    longest name first ("South Sudan" before "Sudan")."""
    found: list[dict] = []
    taken: set[int] = set()
    for start, end, surface in _spans(text):
        if taken & set(range(start, end)):
            continue
        forms = [surface] + ([surface[:-1]] if end - start == 1 and surface.endswith("s") else [])
        for form in forms:
            hits = [e for e in store.find_entities(form, limit=5) if e.get("type") in QUERY_TYPES]
            if hits:  # an ambiguous name ("Congo") stands for each actor it may mean
                found.extend(e for e in hits[:3] if e["id"] not in {f["id"] for f in found})
                taken.update(range(start, end))
                break
    return found


def actor_ids(store, entities: Iterable[dict]) -> set[str]:
    """The entity ids a query's actors stand for: each actor, and for a country the missions
    deployed there (``search.facets.country_ids``), so "South Sudan" reaches UNMISS documents."""
    from search.facets import country_ids

    ids: set[str] = set()
    for e in entities:
        ids.add(e["id"])
        if e.get("type") == "State":
            ids.update(country_ids(store, e["id"]))
    return ids


def _about(store, doc_id: int, cache: dict) -> set[str]:
    """The actors a document is about: its most mentioned ones of QUERY_TYPES."""
    if doc_id not in cache:
        ranked = [e for e in store.document_entities(doc_id) if e.get("type") in QUERY_TYPES]
        cache[doc_id] = {e["id"] for e in ranked[:DOC_TOP] if int(e.get("count") or 0) >= DOC_MIN}
    return cache[doc_id]


def linked(store, entity_ids: Iterable[str], passage_ids: Iterable[int]) -> set[int]:
    """The passages among ``passage_ids`` linked to any of ``entity_ids`` (see module doc)."""
    wanted = set(entity_ids)
    if not wanted:
        return set()
    out: set[int] = set()
    docs: dict = {}
    for pid, info in store.passage_links(list(passage_ids)).items():
        concerns = {c["id"] for c in info.get("concerns") or ()}
        if wanted & concerns or wanted & _about(store, info["doc_id"], docs):
            out.add(pid)
    return out


def with_graph_list(store, text: str, lists: list[list[tuple[int, float]]], k: int,
                    weights: Sequence[float]) -> tuple[list[list[tuple[int, float]]], tuple[float, ...]]:
    """``lists`` plus the graph list, and the weights to fuse them with.

    Returns the inputs unchanged unless the query names an actor and some candidate of the
    base lists is linked to it.
    """
    weights = tuple(weights[:len(lists)])
    if len(lists) < 2 or GRAPH_WEIGHT <= 0:
        return lists, weights
    entities = query_entities(store, text)
    if not entities:
        return lists, weights
    base = rrf(lists, k=k, weights=weights)
    hits = linked(store, actor_ids(store, entities), (pid for pid, _ in base))
    graph = [(pid, score) for pid, score in base if pid in hits]
    if not graph:
        return lists, weights
    return [*lists, graph], (*weights, GRAPH_WEIGHT)
