"""Search: keyword (exact BM25), vector (MiniLM + FAISS) and hybrid (reciprocal rank fusion).

``search`` returns the CLI/API JSON contract.  Keyword mode never loads the embedding model.
Results are record units (``search.units``: a lesson record, a numbered paragraph), one slot
each, shown as the passage that matched best; ``expand=True`` lists passages instead.  On the
embedded store keyword search ranks whole units (``search.keyword_index``); a unit's vector score
is its best passage's.  Identical passages (same ``norm_hash``, e.g. one paragraph read from a
PDF and from its text export) collapse into the best-ranked one.  Filters (kind, mission, year, country, task, topic;
``search.facets``) apply to every mode and combine with AND.  Each result says why it matched
(``search.explain``); ``facets=True`` adds facet counts.
"""

from __future__ import annotations

import threading
import weakref

from missiongraph import settings
from missiongraph.errors import ConfigError, InputError
from search import explain
from search.facets import FACET_POOL, country_ids, counts, empty_counts, pool, task_filter, text_filter
from search import boosts, keyword_index
from search.fusion import convex, rrf
from search.index import VectorIndex
from search.units import passage_key, unit_key, unit_members

MODES = ("hybrid", "vector", "keyword")
MAX_QUERY_CHARS = 1000
MAX_K = 1000
RRF_K = 20
# Hybrid lists come keyword first, vector second.  Vector ranks count double: on our judged
# query set (tests/data/search_queries.json) planners' wording shares few words with the answer,
# and this weighting with k=20 is what put hybrid above both single modes (bench/search_quality.py).
RRF_WEIGHTS = (1.0, 2.0)
# Fusion weights of their own per document kind, (keyword, vector), for the units of that kind;
# a kind not listed uses RRF_WEIGHTS.  Secretary-General reports are written in words planners do
# not use, so their vector rank counts triple: dev hybrid nDCG@10 0.535 -> 0.566 (chosen on the
# dev set only; bench/fusion_variants.py lists every variant tried).
KIND_WEIGHTS: dict[str, tuple[float, float]] = {"sg_report": (1.0, 3.0)}
# "rrf" (ranks only) or "convex" (min-max normalised scores, weighted by RRF_WEIGHTS).
FUSION = "rrf"
MAX_FETCH = 20000
_PASSAGE_CHUNK = 500

# Vector search fetches this many passages per unit asked for, since several passages of one
# unit may rank together (a NASA lesson has 4.6 passages on average).
UNIT_DEPTH = 3

RESULT_KEYS = ("rank", "score", "source", "symbol", "record", "paragraph", "page", "start", "end", "title", "kind",
               "text", "doc_id", "passage_id", "section", "date", "unit_passages", "why")
_LIST_MODES = {"keyword": ("keyword",), "vector": ("vector",), "hybrid": ("keyword", "vector")}

_INDEXES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_INDEX_LOCK = threading.Lock()


# -- the index cache ------------------------------------------------------------------
def _open_index(store, name: str | None, dim: int | None) -> VectorIndex:
    """One index per store object in this process, synced with the store on every call."""
    with _INDEX_LOCK:
        idx = _INDEXES.get(store)
        if idx is None:
            idx = VectorIndex.load_or_create(store, name, dim)
            _INDEXES[store] = idx
            return idx
    idx.sync(store)
    return idx


def _save_quietly(idx: VectorIndex) -> None:
    """Saving the cache is a courtesy to the next process; a read-only store still searches."""
    if idx.dirty:
        try:
            idx.save()
        except OSError:
            pass


def index_store(store, embedder=None) -> VectorIndex | None:
    """Bring the FAISS cache in line with the store's vectors and save it (after an ingest).

    Returns the index, or None when the store holds no vectors and no embedder says which
    model and dimension an empty index would have.
    """
    if getattr(store, "uses_keyword_index", False):
        keyword_index.open_index(store)  # brings the keyword index in line too (it saves on commit)
    meta = store.vector_meta() or {}
    if not meta and embedder is None:
        return None
    idx = _open_index(store, getattr(embedder, "name", None), getattr(embedder, "dim", None) if not meta else None)
    _save_quietly(idx)
    return idx


def reindex(store) -> dict:
    """Throw the FAISS cache (and the keyword index) away and rebuild them from the store (after
    a crash, a copied store folder, or any doubt about the caches); returns what was rebuilt."""
    import time

    meta = store.vector_meta() or {}
    started = time.perf_counter()
    units = (keyword_index.rebuild(store)["units"] if getattr(store, "uses_keyword_index", False) else None)
    with _INDEX_LOCK:
        _INDEXES.pop(store, None)
    if not meta:
        return {"vectors": 0, "model": None, "dim": None, "units": units,
                "seconds": round(time.perf_counter() - started, 3)}
    idx = VectorIndex(store.index_dir, meta.get("model"), int(meta["dim"]))
    idx.sync(store)
    idx.save()
    with _INDEX_LOCK:
        _INDEXES[store] = idx
    return {"vectors": len(idx), "model": idx.model, "dim": idx.dim, "units": units,
            "seconds": round(time.perf_counter() - started, 3)}


def check_store(store) -> list[str]:
    """The store's own integrity problems, then its keyword index's (``keyword_index.check``)."""
    problems = store.check()
    if not problems and getattr(store, "uses_keyword_index", False):
        problems += keyword_index.check(store)
    return problems


# -- input ----------------------------------------------------------------------------
def validate(query, mode: str, k) -> str:
    """The stripped query, or InputError naming what is wrong."""
    if not isinstance(query, str):
        raise InputError(f"the query must be text, got {type(query).__name__}", input=str(query))
    text = query.strip()
    if not text:
        raise InputError("the query is empty; give some words to search for", input=query)
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,} characters",
                         input=query)
    if mode not in MODES:
        raise InputError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}", input=query)
    if isinstance(k, bool) or not isinstance(k, int):
        raise InputError(f"k must be a whole number, got {k!r}", input=query)
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K:,}, got {k}", input=query)
    return text


def _filter_value(name: str, value, query: str):
    if value is None:
        return None
    if name == "year":
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except ValueError as e:
                raise InputError(f"year must be a whole number, got {value!r}", input=query) from e
        if not 1 <= value <= 9999:
            raise InputError(f"year must be between 1 and 9999, got {value}", input=query)
        return value
    return text_filter(name, value, query)


# -- ranking --------------------------------------------------------------------------
def _vector_candidates(store, query: str, embedder, fetch: int, allowed, state: dict) -> list[tuple[int, float]]:
    meta = store.vector_meta() or {}
    if not meta:
        return []  # the store was ingested without embeddings: nothing to compare with
    if "vec" not in state:
        from search.embeddings import Embedder, follow_store

        embedder = follow_store(embedder or Embedder(), store)
        if meta.get("model") and meta["model"] != embedder.name:
            raise ConfigError(f"the store's vectors were made with {meta['model']!r} but the embedding model is "
                              f"{embedder.name!r}; use the same model or re-ingest", input=embedder.name)
        if meta.get("dim") and int(meta["dim"]) != embedder.dim:
            raise ConfigError(f"the store's vectors have dimension {meta['dim']}, the model {embedder.name!r} "
                              f"gives {embedder.dim}; re-ingest", input=embedder.name)
        if not _use_server_index(store):
            idx = _open_index(store, embedder.name, embedder.dim)
            _save_quietly(idx)
            state["index"] = idx
        state["vec"] = embedder.encode([query])[0]
    if "index" not in state:
        return store.server_vector_search(state["vec"], fetch, allowed)
    return state["index"].search(state["vec"], fetch, allowed)


def _use_server_index(store) -> bool:
    """The ``vector_index`` setting: ``server`` asks the graph server instead of the FAISS cache."""
    choice = (settings.get("vector_index") or "faiss").strip().lower()
    if choice == "faiss":
        return False
    if choice != "server":
        raise ConfigError(f"unknown vector_index {choice!r}; use faiss or server", input=choice)
    if store.server_vector_search([0.0], 0) is None:
        raise ConfigError(f"vector_index=server, but the store {store.url} has no server vector index "
                          "(only Bolt stores on Neo4j 5.11+ or FalkorDB do); use faiss", input=choice)
    return True


def _fuse(store, lists: list[list[tuple[int, float]]], k: int,
          weights: tuple[float, ...] = RRF_WEIGHTS, keyed: list | None = None,
          key_of=passage_key, prefer: int | None = None) -> list[tuple[dict, float]]:
    """The best ``k`` distinct units, best first, each as one passage row with its fused score.

    ``key_of`` maps a passage row to what counts as one result (``search.units.unit_key``, or
    ``passage_key``: identical passages are one).  Candidates are keyed *before* fusion, so a
    paragraph found as its PDF copy by keyword and as its text-export copy by vector gets both
    votes; a unit's rank in a list is its best passage's.  It is shown as the passage that list
    ``prefer`` ranked best (the vector list: the passage closest in meaning), else its
    best-ranked passage.  ``keyed`` receives each list as fused (``(key, score)``, each key
    once), from which ``why`` reads each mode's rank.
    """
    ids = list(dict.fromkeys(pid for lst in lists for pid, _ in lst))
    rows: dict[int, dict] = {}
    for start in range(0, len(ids), _PASSAGE_CHUNK):
        rows.update((p["id"], p) for p in store.passages_by_ids(ids[start:start + _PASSAGE_CHUNK]))
    keys = {pid: key_of(row) for pid, row in rows.items()}

    key_lists = []
    for lst in lists:  # passages removed by a concurrent ingest since they were ranked drop out here
        seen: set = set()
        kl = []
        for pid, score in lst:
            if pid in rows and keys[pid] not in seen:
                seen.add(keys[pid])
                kl.append((keys[pid], score))
        key_lists.append(kl)
    if keyed is not None:
        keyed[:] = key_lists
    per_item = None
    if KIND_WEIGHTS and len(lists) > 1:
        kinds = {keys[pid]: row.get("kind") for pid, row in rows.items()}

        def per_item(key):
            own = KIND_WEIGHTS.get(kinds.get(key))
            return None if own is None else (*own, *weights[2:len(lists)])
    if len(lists) == 1:
        fused = key_lists[0]
    elif FUSION == "convex":
        fused = convex(key_lists, weights=weights[:len(key_lists)])
    else:
        fused = rrf(key_lists, k=RRF_K, weights=weights[:len(key_lists)], per_item=per_item)
    shown: dict = {}
    if prefer is not None and prefer < len(lists):
        for pid, _ in lists[prefer]:
            if pid in rows:
                shown.setdefault(keys[pid], pid)
    for pid, _ in (rrf([[(pid, s) for pid, s in lst if pid in rows] for lst in lists], k=RRF_K,
                       weights=weights[:len(lists)]) if len(lists) > 1 else lists[0]):
        if pid in rows:
            shown.setdefault(keys[pid], pid)
    out: list[tuple[dict, float]] = []
    texts: set = set()
    for kk, score in fused:  # two units may still show one text (a PDF paragraph cut or labelled apart from its twin)
        row = rows[shown[kk]]
        if row.get("norm_hash") and row["norm_hash"] in texts:
            continue
        texts.add(row.get("norm_hash"))
        out.append((row, score))
        if len(out) >= k:
            break
    return out


def _keyword_list(store, text: str, fetch: int, allowed, state: dict, expand: bool) -> list[tuple[int, float]]:
    """Keyword candidates as ``(passage id, score)``: on a store with a keyword index, one entry per
    unit (its first allowed passage, to be replaced by its best-matching one when shown), or every
    passage of each unit when ``expand``; elsewhere the store's own passage ranking."""
    if not getattr(store, "uses_keyword_index", False):
        return [(int(i), float(s)) for i, s in store.keyword_search(text, fetch, allowed)]
    hits = keyword_index.search(store, text, fetch, allowed)
    units = state.setdefault("keyword_units", {})
    units.update((h.passage_ids[0], h) for h in hits)
    if not expand:
        return [(h.passage_ids[0], h.score) for h in hits]
    rows = store.passages_by_ids([p for h in hits for p in h.passage_ids])
    by_term = keyword_index.open_index(store).passage_term_scores(text, rows)
    return [(p, h.score) for h in hits for p in sorted(h.passage_ids, key=lambda p: -by_term.get(p, 0.0))]


def _candidate_lists(store, text: str, mode: str, embedder, fetch: int, allowed, state: dict,
                     expand: bool = False) -> list:
    """One ranked list per mode searched, keyword first (the order ``RRF_WEIGHTS`` assume)."""
    lists = []
    if mode in ("keyword", "hybrid"):
        lists.append(_keyword_list(store, text, fetch, allowed, state, expand))
    if mode in ("vector", "hybrid"):
        lists.append(_vector_candidates(store, text, embedder, fetch * (1 if expand else UNIT_DEPTH), allowed, state))
    return lists


def _best_keyword_passages(store, text: str, hits: list[tuple[dict, float]], shown_by_vector: set[int],
                           state: dict) -> list[tuple[dict, float]]:
    """Show a unit that only keyword search found as its passage holding the most query weight
    (its first passage stood for it in the lists)."""
    units = state.get("keyword_units") or {}
    todo = {i: units[p["id"]] for i, (p, _) in enumerate(hits) if p["id"] in units and p["id"] not in shown_by_vector
            and len(units[p["id"]].passage_ids) > 1}
    if not todo:
        return hits
    rows = {r["id"]: r for r in store.passages_by_ids([p for h in todo.values() for p in h.passage_ids])}
    scores = keyword_index.open_index(store).passage_term_scores(text, rows.values())
    out = list(hits)
    taken = {p.get("norm_hash") for p, _ in hits}
    for i, h in todo.items():
        free = [p for p in h.passage_ids if p in rows and (p == hits[i][0]["id"] or rows[p].get("norm_hash") not in taken)]
        best = max(free, key=lambda p: (scores.get(p, 0.0), -h.passage_ids.index(p)), default=None)
        if best is not None:
            out[i] = (rows[best], hits[i][1])
            taken.add(rows[best].get("norm_hash"))
    return out


def search(store, query: str, *, k: int = 10, mode: str = "hybrid", kind: str | None = None,
           mission: str | None = None, year: int | None = None, embedder=None, country: str | None = None,
           task: str | None = None, topic: str | None = None, facets: bool = False,
           expand: bool = False) -> dict:
    """Search record units (passages with ``expand``); returns ``{"query", "mode", "results": [...]}``
    (the CLI JSON contract), plus ``"facets"`` (counts over the facet pool, see ``search.facets``)
    when asked."""
    text = validate(query, mode, k)
    kind = _filter_value("kind", kind, query)
    mission = _filter_value("mission", mission, query)
    year = _filter_value("year", year, query)
    country = _filter_value("country", country, query)
    task, topic = task_filter(task, query), _filter_value("topic", topic, query)
    for name, flag in (("facets", facets), ("expand", expand)):
        if not isinstance(flag, bool):
            raise InputError(f"{name} must be true or false, got {flag!r}", input=query)
    answer = {"query": text, "mode": mode, "results": []}
    if facets:
        answer["facets"], answer["facet_pool"] = empty_counts(), 0

    allowed = store.filter_passage_ids(kind=kind, mission=mission, year=year, task=task, topic=topic,
                                       country=None if country is None else country_ids(store, country))
    if allowed is not None and not allowed:
        return answer

    key_of = passage_key if expand else unit_key
    prefer = _LIST_MODES[mode].index("vector") if "vector" in _LIST_MODES[mode] else None
    fetch = max(50, 5 * k) if mode == "hybrid" else max(2 * k, k + 20)
    state: dict = {}
    keyed: list = []
    while True:
        lists = _candidate_lists(store, text, mode, embedder, fetch, allowed, state, expand)
        # Graph-aware boost (search.boosts): a query naming an actor adds a third list.
        ranked, weights = (boosts.with_graph_list(store, text, lists, RRF_K, RRF_WEIGHTS) if mode == "hybrid"
                           else (lists, RRF_WEIGHTS))
        hits = _fuse(store, ranked, k, weights, keyed, key_of, prefer)
        # Collapsing copies may leave fewer than k: fetch deeper while some list may hold more.
        if len(hits) >= k or fetch >= MAX_FETCH or all(len(lst) < fetch for lst in lists):
            break
        fetch = min(MAX_FETCH, fetch * 4)
    if not expand:
        by_vector = {pid for pid, _ in lists[prefer]} if prefer is not None else set()
        hits = _best_keyword_passages(store, text, hits, by_vector, state)

    members = unit_members(store, [p for p, _ in hits])
    for rank, (p, score) in enumerate(hits, start=1):
        answer["results"].append({
            "rank": rank, "score": float(f"{float(score):.6g}"),  # 6 significant digits
            "source": p.get("source"), "symbol": p.get("symbol"), "record": p.get("record"),
            "paragraph": p.get("paragraph"), "page": p.get("page"), "start": p.get("start"), "end": p.get("end"),
            "title": p.get("title"), "kind": p.get("kind"), "text": p.get("text"),
            "doc_id": p.get("doc_id"), "passage_id": p.get("id"), "section": p.get("section"), "date": p.get("date"),
            "unit_passages": members.get(p["id"], [p["id"]]),
        })
    hit_ids = [r["passage_id"] for r in answer["results"]]
    deeper: list[int] = []
    if facets:   # the facet pool: results, then candidates of a FACET_POOL-deep retrieval
        deep = (lists if fetch >= FACET_POOL
                else _candidate_lists(store, text, mode, embedder, FACET_POOL, allowed, state, expand))
        deeper = [p["id"] for p, _ in _fuse(store, deep, max(k, FACET_POOL), key_of=key_of, prefer=prefer)]
    links = store.passage_links(dict.fromkeys([*hit_ids, *deeper]))
    explain.attach(store, text, answer["results"], dict(zip(_LIST_MODES[mode], keyed)),
                   links, {p["id"]: key_of(p) for p, _ in hits})
    if facets:
        pooled = pool(hit_ids, deeper, links, max(k, FACET_POOL))
        answer["facets"], answer["facet_pool"] = counts(links, pooled), len(pooled)
    return answer
