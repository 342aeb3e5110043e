"""Suggest a lesson's planning topic: its meaning's closeness to each topic's description, plus cue words.

A lesson is represented by the vectors its passages already have in the store (the mean of the
passages its span covers), so suggesting costs no encoding at ingest; a lesson without stored
vectors (a store ingested without embeddings) has its text embedded instead.  Each topic is represented by its label and description
embedded once.  The score is the cosine between the two, plus ``CUE_WEIGHT`` for each of the
topic's cue stems found in the lesson's words (at most ``CUE_CAP``): descriptions carry the
meaning, cues catch the specific words (``ddr``, ``ballot``) a sentence embedding blurs.
Both constants were fixed before the labelled set was scored (``bench/topic_agreement.py``).

A suggestion is stored as the lesson's topic with ``topic_by = "suggestion"`` until a person sets
one (``kg.lifecycle.set_topic``); suggesting again never overwrites a person's choice.
"""

from __future__ import annotations

import re

import numpy as np

from kg import lifecycle
from kg.planning import Topic, topics

CUE_WEIGHT = 0.04
CUE_CAP = 0.12
_FIELDS = ("title", "lesson", "recommendation", "conclusion", "observation", "discussion")


def lesson_text(row: dict) -> str:
    """The words a lesson's topic is read from, what it teaches first."""
    return "\n".join(str(row.get(f)) for f in _FIELDS if row.get(f))


def _cue_pattern(cue: str) -> re.Pattern:
    return re.compile(r"(?<![a-z])" + re.escape(cue.lower()))


class Suggester:
    """Scores lessons against the planning topics with one embedder (the store's)."""

    def __init__(self, embedder, topic_list: tuple[Topic, ...] | None = None):
        self.topics = topic_list or topics()
        self.embedder = embedder
        self.vectors = embedder.encode([f"{t.label}: {t.description}" for t in self.topics])
        self.cues = [[_cue_pattern(c) for c in t.cues] for t in self.topics]

    def scores(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """(len(texts), topics) scores; ``vectors``: the lessons' own vectors where known."""
        if vectors is None:
            vectors = self.embedder.encode(texts)
        sims = np.asarray(vectors, dtype=np.float32) @ self.vectors.T
        for i, text in enumerate(texts):
            low = text.lower()
            for j, pats in enumerate(self.cues):
                hits = sum(1 for p in pats if p.search(low))
                sims[i, j] += min(CUE_CAP, CUE_WEIGHT * hits)
        return sims

    def best(self, texts: list[str], vectors: np.ndarray | None = None, k: int = 3) -> list[list[tuple[str, float]]]:
        """Each text's ``k`` best topics, best first, with their scores."""
        s = self.scores(texts, vectors)
        order = np.argsort(-s, axis=1)[:, :k]
        return [[(self.topics[j].id, round(float(s[i, j]), 4)) for j in row] for i, row in enumerate(order)]


def mean_vector(store, ids: list[int]) -> np.ndarray | None:
    """The unit-length mean of these passages' stored vectors; None when any of them has none."""
    if not ids:
        return None
    vecs = np.asarray(store.get_vectors(ids), dtype=np.float32)
    if vecs.ndim != 2 or vecs.shape[0] != len(ids):
        return None
    v = vecs.mean(axis=0)
    return v / max(float(np.linalg.norm(v)), 1e-12)


def lesson_vectors(store, rows: list[dict], embedder) -> np.ndarray:
    """Each lesson's vector: the mean stored vector of the passages its span covers (unit length);
    a lesson whose passages have no stored vector is embedded from its text with ``embedder``."""
    out: list[np.ndarray | None] = []
    by_doc: dict[int, list[dict]] = {}
    has_vectors = bool(store.vector_meta())
    for r in rows:
        if has_vectors and r["doc_id"] not in by_doc:
            by_doc[r["doc_id"]] = store.document_passages(r["doc_id"])
        ids = [p["id"] for p in by_doc.get(r["doc_id"], []) if p["start"] < r["end"] and r["start"] < p["end"]]
        out.append(mean_vector(store, ids))
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        for i, v in zip(missing, embedder.encode([lesson_text(rows[i]) for i in missing])):
            out[i] = v
    return np.stack(out).astype(np.float32) if out else np.zeros((0, 1), np.float32)


def suggest_store(store, embedder=None, *, refresh: bool = False, batch: int = 256) -> dict:
    """Suggest a topic for every lesson no person has given one (and, with ``refresh``, suggest
    again where the suggestion may have changed); returns counts."""
    from search.embeddings import Embedder, follow_store

    embedder = follow_store(embedder or Embedder(), store)
    suggester = Suggester(embedder)
    rows = store.lessons(limit=10**9)
    states = store.lesson_states([r["key"] for r in rows if r.get("key")])
    todo, seen = [], set()
    for r in rows:
        st = states.get(r.get("key")) or {}
        if not r.get("key") or r["key"] in seen or (st.get("topic_by") not in (None, lifecycle.SUGGESTION)) \
                or (st.get("topic") and not refresh):
            continue
        seen.add(r["key"])
        todo.append(r)
    changed = 0
    for i in range(0, len(todo), batch):
        part = todo[i:i + batch]
        texts = [lesson_text(r) for r in part]
        for r, best in zip(part, suggester.best(texts, lesson_vectors(store, part, embedder), k=1)):
            topic, score = best[0]
            changed += lifecycle.suggest_topic(store, r, topic, score)
    return {"lessons": len(rows), "considered": len(todo), "suggested": changed,
            "confirmed_kept": sum(1 for s in states.values() if s.get("topic_by") not in (None, lifecycle.SUGGESTION))}
