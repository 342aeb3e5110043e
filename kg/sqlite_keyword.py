"""BM25 keyword search over FTS5 whose cost stays bounded on large stores.

FTS5 scores every row its MATCH expression matches, one ``%_docsize`` lookup each, so an OR of
a query's words costs time in proportion to the rows holding *any* of them: "IED on the road
to Gao" matched every passage through "the", "on" and "to" (p95 over 300 ms at 100k passages
on 2 shared cores).  Two measures keep the work near ``BUDGET`` rows:

1. When a query's words together match more than ``BUDGET`` rows, function words are dropped,
   and so is any word found in more than half the rows: FTS5 floors the idf of such a word at
   1e-6, so it adds nothing to a score, yet it made every row a match.
2. When the remaining words together match more than ``BUDGET`` rows (document frequencies
   come from a small per-store cache), ranking goes by coordination level: first rows holding
   all the words, ranked by BM25 over all of them, then rows holding all but the most common,
   and so on down to the rarest word alone, then rows holding any word.  Each level scores at most ``BUDGET`` rows, taken in storage order (FTS5's own
   order, the cheapest to walk), so a level larger than that is ranked among those rows only.

Within the budget, and on any store of at most ``EXACT_ROWS`` passages, nothing changes:
plain BM25 over the OR of every word, as before.  The bounded ranking is an approximation
(it cost keyword search about a third of its nDCG@10 when it was applied to the 12.7k-passage
store of bench/search_quality.py), so it is kept for stores where exact ranking is too slow.
"""

from __future__ import annotations

import re
import threading

from missiongraph.stopwords import STOPWORDS

BUDGET = 2_000
EXACT_ROWS = 20_000  # a store this small is always ranked by plain BM25: scoring all of it is cheap
_SQL = "SELECT rowid, -bm25(passages_fts, 1.0, 0.3) AS s FROM passages_fts WHERE passages_fts MATCH ?"


def query_terms(text: str) -> list[str]:
    """Distinct lower-case words, in order (at most 64)."""
    seen: list[str] = []
    for t in re.findall(r"\w+", text.lower()):
        if t not in seen:
            seen.append(t)
    return seen[:64]


def _or(terms: list[str]) -> str:
    return " OR ".join(f'"{t}"' for t in terms)


class TermStats:
    """Document frequencies per word, cached until the row count moves by a tenth.

    The counts only decide how a query is evaluated, never its scores (FTS5 computes BM25 from
    its own statistics), so a slightly stale count costs nothing but a less apt plan.
    """

    def __init__(self):
        self._df: dict[str, int] = {}
        self._rows = -1
        self._generation: object = object()  # matches no stored generation: the first call counts
        self._lock = threading.Lock()

    def row_count(self, db) -> int:
        """Rows in the store, counted again only after a write; clears the frequencies when the
        count has moved by more than a tenth since they were taken."""
        if self._stale(db):
            rows = db.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
            with self._lock:
                if abs(rows - self._rows) * 10 > max(self._rows, 1):
                    self._df.clear()
                    self._rows = rows
        return self._rows

    def frequencies(self, db, terms: list[str]) -> dict[str, int]:
        self.row_count(db)
        with self._lock:
            missing = [t for t in terms if t not in self._df]
        found = {t: db.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (f'"{t}"',)).fetchone()[0]
                 for t in missing}
        with self._lock:
            self._df.update(found)
            return {t: self._df.get(t, found.get(t, 0)) for t in terms}

    @property
    def rows(self) -> int:
        """Rows counted at the last refresh (what the cached frequencies are relative to)."""
        return self._rows

    def _stale(self, db) -> bool:
        """Count rows again only when the store's write generation changed since the last count."""
        row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        generation = row[0] if row else None
        if self._generation != generation:
            self._generation = generation
            return True
        return False


def search(db, stats: TermStats, text: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
    """The best ``k`` passages for ``text`` as (rowid, score), higher better."""
    terms = query_terms(text)
    if not terms or (allowed is not None and not allowed):
        return []
    if stats.row_count(db) <= EXACT_ROWS:
        return _ranked(db, _SQL + " ORDER BY s DESC", _or(terms), k, allowed)
    df = stats.frequencies(db, terms)
    terms = [t for t in terms if df[t]]
    if not terms:
        return []
    if sum(df[t] for t in terms) <= BUDGET:
        return _ranked(db, _SQL + " ORDER BY s DESC", _or(terms), k, allowed)
    # too many rows to score: drop what carries no weight
    terms = ([t for t in terms if t not in STOPWORDS and df[t] * 2 <= stats.rows]
             or [min(terms, key=lambda t: df[t])])
    if sum(df[t] for t in terms) <= BUDGET:
        return _ranked(db, _SQL + " ORDER BY s DESC", _or(terms), k, allowed)
    out: list[tuple[int, float]] = []
    seen: set[int] = set()
    by_rarity = sorted(terms, key=lambda t: (df[t], terms.index(t)))
    # a filter keeping a fraction f of the rows widens each level to BUDGET / f, so about as many
    # allowed rows are scored as an unfiltered query scores
    limit = BUDGET if allowed is None else max(BUDGET, BUDGET * stats.rows // max(1, len(allowed)))
    levels = [" AND ".join(f'"{t}"' for t in by_rarity[:n]) for n in range(len(by_rarity), 0, -1)]
    for expr in levels + [_or(terms)]:  # last, rows holding any of the words
        rows = db.execute(_SQL + " ORDER BY rowid LIMIT ?", (expr, limit)).fetchall()
        for rowid, score in sorted(rows, key=lambda r: (-r[1], r[0])):
            if rowid not in seen and (allowed is None or rowid in allowed):
                seen.add(rowid)
                out.append((rowid, score))
        if len(out) >= k:
            break
    return out[:k]


def _ranked(db, sql: str, expr: str, k: int, allowed: set[int] | None) -> list[tuple[int, float]]:
    if allowed is None:
        return [(r[0], r[1]) for r in db.execute(sql + " LIMIT ?", (expr, k))]
    out = []
    for r in db.execute(sql, (expr,)):
        if r[0] in allowed:
            out.append((r[0], r[1]))
            if len(out) >= k:
                break
    return out
