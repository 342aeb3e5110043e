"""Passage-level BM25 by FTS5: the store interface's ``keyword_search`` on the embedded store.

Search itself ranks record units through ``search/keyword_index.py`` (exact BM25 at every size);
this plain ranking stays for callers of the store interface and for ``keyword_spans``' terms.
It scores every row holding a query word, so it is slow on large stores: nothing on the search
path calls it.
"""

from __future__ import annotations

import re

_SQL = ("SELECT rowid, -bm25(passages_fts, 1.0, 0.3) AS s FROM passages_fts WHERE passages_fts MATCH ? "
        "ORDER BY s DESC")


def query_terms(text: str) -> list[str]:
    """Distinct lower-case words, in order (at most 64)."""
    return list(dict.fromkeys(re.findall(r"\w+", text.lower())))[:64]


def search(db, text: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
    """The best ``k`` passages for ``text`` as (rowid, score), higher better."""
    terms = query_terms(text)
    if not terms or k < 1 or (allowed is not None and not allowed):
        return []
    expr = " OR ".join(f'"{t}"' for t in terms)
    if allowed is None:
        return [(r[0], r[1]) for r in db.execute(_SQL + " LIMIT ?", (expr, k))]
    out = []
    for r in db.execute(_SQL, (expr,)):
        if r[0] in allowed:
            out.append((r[0], r[1]))
            if len(out) >= k:
                break
    return out
