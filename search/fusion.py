"""Rank fusion over ``(id, score)`` lists, each ordered best first.  Pure functions, no I/O.

Ties are broken deterministically: by the best rank the id reached in any list, then by the
order in which ids were first seen, so the same inputs always give the same order.
"""

from __future__ import annotations

from typing import Callable, Hashable, Sequence

Ranked = Sequence[tuple[Hashable, float]]


def _weights(lists: Sequence[Ranked], weights: Sequence[float] | None) -> list[float]:
    if weights is None:
        return [1.0] * len(lists)
    if len(weights) != len(lists):
        raise ValueError(f"{len(weights)} weights for {len(lists)} lists")
    if any(w < 0 for w in weights):
        raise ValueError("weights must not be negative")
    return [float(w) for w in weights]


def _finish(scores: dict, best_rank: dict, first_seen: dict) -> list[tuple[Hashable, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], best_rank[kv[0]], first_seen[kv[0]]))


def rrf(lists: Sequence[Ranked], k: int = 60, weights: Sequence[float] | None = None,
        per_item: Callable[[Hashable], Sequence[float] | None] | None = None) -> list[tuple[Hashable, float]]:
    """Reciprocal rank fusion: score(id) = sum over lists of weight / (k + rank), rank 1-based.

    Only the order within each list matters, never its scores.  An id repeated within one
    list counts once, at its best rank.  ``per_item(id)`` may give an id weights of its own
    (one per list), e.g. by the kind of document it comes from; None keeps ``weights``.
    """
    if k < 0:
        raise ValueError("k must not be negative")
    ws = _weights(lists, weights)
    scores: dict = {}
    best_rank: dict = {}
    first_seen: dict = {}
    for li, (lst, w) in enumerate(zip(lists, ws)):
        seen: set = set()
        for rank, (id_, _score) in enumerate(lst, start=1):
            if id_ in seen:
                continue
            seen.add(id_)
            first_seen.setdefault(id_, len(first_seen))
            best_rank[id_] = min(best_rank.get(id_, rank), rank)
            own = per_item(id_) if per_item is not None else None
            scores[id_] = scores.get(id_, 0.0) + (w if own is None else own[li]) / (k + rank)
    return _finish(scores, best_rank, first_seen)


def minmax(lst: Ranked) -> list[tuple[Hashable, float]]:
    """Scores rescaled to [0, 1] within the list (all equal scores become 1.0)."""
    if not lst:
        return []
    values = [float(s) for _, s in lst]
    lo, hi = min(values), max(values)
    if hi == lo:
        return [(id_, 1.0) for id_, _ in lst]
    return [(id_, (float(s) - lo) / (hi - lo)) for id_, s in lst]


def convex(lists: Sequence[Ranked], weights: Sequence[float] | None = None) -> list[tuple[Hashable, float]]:
    """Convex combination of min-max normalised scores; an id missing from a list adds 0 there.

    Weights are normalised to sum to 1, so fused scores lie in [0, 1].
    """
    ws = _weights(lists, weights)
    total = sum(ws)
    if total <= 0:
        raise ValueError("weights must not all be zero")
    ws = [w / total for w in ws]
    scores: dict = {}
    best_rank: dict = {}
    first_seen: dict = {}
    for lst, w in zip(lists, ws):
        seen: set = set()
        for rank, (id_, s) in enumerate(minmax(lst), start=1):
            if id_ in seen:
                continue
            seen.add(id_)
            first_seen.setdefault(id_, len(first_seen))
            best_rank[id_] = min(best_rank.get(id_, rank), rank)
            scores[id_] = scores.get(id_, 0.0) + w * s
    return _finish(scores, best_rank, first_seen)
