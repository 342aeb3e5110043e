"""A plain BM25 over whole records: the reference our keyword search must at least equal.

bm25s (``pip install bm25s PyStemmer`` in any environment; never a project dependency) with its
defaults: lower-cased words, English stop words removed, Snowball English stems, k1 1.5, b 0.75,
Lucene's idf.  Its documents are the units search ranks (``search.units``: a lesson record with
its title, a numbered paragraph, else a passage), read from the same store, so the two rankings
differ only in the engine.  Results are the dicts ``search.quality.judge`` reads (the unit's
first passage), so both are scored by the same code.

Usage (as a module): ``ref = Bm25Reference.from_store(store)``; ``ref.search(text, k)``.
"""

from __future__ import annotations

import time


class Bm25Reference:
    """bm25s over the store's units."""

    def __init__(self, units, rows_by_id: dict[int, dict], stemmer: bool = True, stopwords: str | None = "en"):
        import bm25s

        self.bm25s = bm25s
        self.units = units
        self.rows = rows_by_id
        self._stemmer = None
        if stemmer:
            import Stemmer

            self._stemmer = Stemmer.Stemmer("english")
        self._stopwords = stopwords
        started = time.perf_counter()
        corpus = [(u.title + "\n" + u.text) if u.is_record and u.title else u.text for u in units]
        tokens = bm25s.tokenize(corpus, stopwords=stopwords, stemmer=self._stemmer, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self.build_seconds = time.perf_counter() - started

    @classmethod
    def from_store(cls, store, **options) -> "Bm25Reference":
        from search.units import store_units

        return cls(*store_units(store), **options)

    def search(self, text: str, k: int = 10) -> list[dict]:
        """The best ``k`` units as passage rows (each unit's first passage), best first."""
        tokens = self.bm25s.tokenize([text], stopwords=self._stopwords, stemmer=self._stemmer, show_progress=False)
        if not tokens.vocab:
            return []
        docs, scores = self.retriever.retrieve(tokens, k=min(k, len(self.units)), show_progress=False)
        return [self.rows[self.units[int(i)].uid] for i, s in zip(docs[0], scores[0]) if s > 0]
