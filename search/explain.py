"""Why a hit matched: the query terms found in it, the actors it names, the rank each mode gave it.

Every result carries ``why``:

- ``matched_terms``: the query's terms as keyword search reads them (lower-case words, each
  once: ``kg.sqlite_keyword.query_terms``), function words (its ``STOPWORDS``) left out because
  they explain nothing, that the keyword index matches to a word of the passage's text by its
  own normalisation (Snowball stems and accent folding in the embedded store's Tantivy index,
  the server's full-text analyzer over Bolt), in query order.
- ``spans``: ``[start, end]`` of each word so matched, offsets into the result's ``text``.
- ``entities``: the actors the passage mentions, those the query names first (``in_query``:
  the words of the actor's name or of an alias appear in the query in order, case ignored
  except for names of three letters or fewer such as "US"), then the most mentioned;
  ``MAX_ENTITIES`` at most.  All of them rather than only the named ones, because a
  vector hit usually names none of the query's actors and its actors still tell what it is about.
- ``modes``: ``{"keyword": rank, "vector": rank}``, the rank each mode gave the result among the
  distinct results it returned (a unit at its best passage, as fusion counts them); null
  when the mode did not run or did not return it within its candidate list.

Everything comes from two batched store reads of the results (``passage_links``,
``keyword_spans``) and the lists fusion already keyed.
"""

from __future__ import annotations

import re

from kg.sqlite_keyword import query_terms
from missiongraph.stopwords import STOPWORDS

MAX_ENTITIES = 10
MODES = ("keyword", "vector")
_WORD = re.compile(r"\w+")


def mode_ranks(keyed: dict[str, list[tuple]]) -> dict[str, dict]:
    """Per mode, text key -> rank, from each mode's list as fusion keyed it (copies once)."""
    return {mode: {key: rank for rank, (key, _) in enumerate(lst, start=1)} for mode, lst in keyed.items()}


def names_in(query: str, entity: dict) -> bool:
    """Whether the query names the entity (see the module docstring)."""
    words = _WORD.findall(query)
    folded = [w.casefold() for w in words]
    for surface in [entity["name"], *entity.get("aliases", [])]:
        want = _WORD.findall(surface or "")
        if not want:
            continue
        exact = len(want) == 1 and len(want[0]) <= 3
        have, want = (words, want) if exact else (folded, [w.casefold() for w in want])
        if any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1)):
            return True
    return False


def why(query: str, terms: list[str], spans: list[tuple[str, int, int]], link: dict | None,
        ranks: dict[str, dict], key) -> dict:
    """The ``why`` of one result."""
    kept = [(t, s, e) for t, s, e in spans if t in terms]
    found = {t for t, _, _ in kept}
    entities = [{"id": e["id"], "name": e["name"], "type": e["type"], "in_query": names_in(query, e)}
                for e in (link or {}).get("entities", [])]
    entities.sort(key=lambda e: not e["in_query"])   # stable: the store's most-mentioned order stays
    return {"matched_terms": [t for t in terms if t in found], "spans": [[s, e] for _, s, e in kept],
            "entities": entities[:MAX_ENTITIES],
            "modes": {m: ranks.get(m, {}).get(key) for m in MODES}}


def attach(store, query: str, results: list[dict], keyed: dict[str, list[tuple]], links: dict[int, dict],
           keys: dict[int, object]) -> None:
    """Give each result its ``why``; ``keyed``: each mode's list as fusion keyed it, ``links``:
    ``GraphStore.passage_links`` of the results, ``keys``: each result passage's fusion key."""
    terms = [t for t in query_terms(query) if t not in STOPWORDS]
    ids = [r["passage_id"] for r in results]
    if not (terms and ids):
        spans = {}
    elif getattr(store, "uses_keyword_index", False):  # the words the keyword index matched, as it reads them
        from search import keyword_index

        spans = keyword_index.open_index(store).spans(terms, [{"id": r["passage_id"], "text": r["text"]}
                                                              for r in results])
    else:
        spans = store.keyword_spans(" ".join(terms), ids)
    ranks = mode_ranks(keyed)
    for r in results:
        pid = r["passage_id"]
        r["why"] = why(query, terms, spans.get(pid, []), links.get(pid), ranks, keys.get(pid))
