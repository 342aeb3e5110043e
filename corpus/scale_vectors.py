"""Vectors for the scale corpus: embed the sentence pool once for real, derive every passage.

Embedding 1M passages with MiniLM takes about an hour on 2 cores; the pool of ~31k sentences
takes a few minutes and is cached under ``~/.cache/missiongraph/scale`` (outside the
repository, keyed by the pool's text hash and the model).

Why a derived vector is a fair stand-in: MiniLM's sentence vector is the mean of its token
vectors, normalised.  A passage's tokens are its sentences' tokens, so its vector is close to
the token-count-weighted sum of its sentences' vectors, normalised (context across a sentence
boundary is what the sum misses).  Passages that share sentences, missions or families end
up near each other exactly as their real embeddings would.  A small random direction (norm
``NOISE``, cosine ~0.995 to the sum) keeps two passages built from the same sentences apart.
``validate`` measures the approximation against real embeddings of the same passages.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from corpus.scale import SentencePool, iter_documents, queries

NOISE = 0.1


def cache_dir() -> Path:
    """``$MISSIONGRAPH_CACHE_DIR/scale`` (default ``~/.cache/missiongraph/scale``)."""
    base = Path(os.environ.get("MISSIONGRAPH_CACHE_DIR", "~/.cache/missiongraph")).expanduser()
    return base / "scale"


def pool_vectors(pool: SentencePool, embedder, directory: Path | None = None) -> np.ndarray:
    """The pool's sentence vectors, embedded with ``embedder`` once and then read from the cache."""
    directory = directory or cache_dir()
    digest = hashlib.sha256("\n".join(pool.texts).encode("utf-8")).hexdigest()[:16]
    stem = directory / f"pool-{digest}"
    meta_path, vec_path = stem.with_suffix(".json"), stem.with_suffix(".npy")
    if meta_path.is_file() and vec_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("model") == embedder.name and meta.get("count") == len(pool):
            return np.load(vec_path)
    directory.mkdir(parents=True, exist_ok=True)
    vecs = np.ascontiguousarray(embedder.encode(pool.texts), dtype=np.float32)
    np.save(vec_path, vecs)
    meta_path.write_text(json.dumps({"model": embedder.name, "dim": int(vecs.shape[1]), "count": len(pool),
                                     "per_group": pool.per_group, "seed": pool.seed}), encoding="utf-8")
    return vecs


def _weights(pool: SentencePool) -> np.ndarray:
    """Roughly the token count of each sentence (word pieces run ~1.3 per word)."""
    return np.array([1.3 * len(t.split()) + 2 for t in pool.texts], dtype=np.float32)


def derive(pool: SentencePool, sentence_vecs: np.ndarray, passages: list[tuple[int, ...]], seed: int = 0,
           noise: float = NOISE) -> np.ndarray:
    """Unit vectors for ``passages`` (tuples of sentence ids): weighted sentence sum plus a little noise."""
    if not passages:
        return np.zeros((0, sentence_vecs.shape[1]), dtype=np.float32)
    weights = _weights(pool)
    flat = np.fromiter((i for p in passages for i in p), dtype=np.int64)
    starts = np.cumsum([0] + [len(p) for p in passages[:-1]])
    summed = np.add.reduceat(sentence_vecs[flat] * weights[flat, None], starts, axis=0)
    summed /= np.linalg.norm(summed, axis=1, keepdims=True)
    if noise:
        rng = np.random.default_rng(seed)
        g = rng.standard_normal(summed.shape).astype(np.float32)
        summed += noise * g / np.linalg.norm(g, axis=1, keepdims=True)
        summed /= np.linalg.norm(summed, axis=1, keepdims=True)
    return np.ascontiguousarray(summed, dtype=np.float32)


def _topk(queries_: np.ndarray, base: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = queries_ @ base.T
    idx = np.argsort(-scores, axis=1)[:, :k]
    return np.take_along_axis(scores, idx, axis=1), idx


def validate(pool: SentencePool, sentence_vecs: np.ndarray, embedder, n: int = 3000, seed: int = 7,
             n_queries: int = 200) -> dict:
    """Compare derived with real embeddings on ``n`` fresh passages (same texts, both ways).

    Reports the cosine between the two vectors of each passage, the top-10 scores real queries
    get in each set, and how many of a query's real top-10 neighbours the derived set also
    ranks in its top 10 (the neighbourhood the ANN benchmark depends on).
    """
    passages = [p for d in iter_documents(pool, n, seed=seed) for p in d.passages]
    real = np.ascontiguousarray(embedder.encode([pool.passage_text(p) for p in passages]), dtype=np.float32)
    derived = derive(pool, sentence_vecs, passages, seed=seed)
    cos = np.sum(real * derived, axis=1)
    q = np.ascontiguousarray(embedder.encode(queries(n_queries, seed=seed)), dtype=np.float32)
    s_real, i_real = _topk(q, real, 10)
    s_der, i_der = _topk(q, derived, 10)
    overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(i_real, i_der)])
    # passage-to-passage: each passage's nearest other passage, in each set
    nn = {}
    for name, base in (("real", real), ("derived", derived)):
        sims = base[:1000] @ base.T
        sims[np.arange(1000), np.arange(1000)] = -1
        nn[name] = sims.max(axis=1)
    pct = lambda a: [round(float(x), 3) for x in np.percentile(a, [5, 50, 95])]  # noqa: E731
    return {
        "passages": len(passages), "queries": n_queries,
        "cosine_derived_vs_real_p5_p50_p95": pct(cos),
        "query_top1_score_real": pct(s_real[:, 0]), "query_top1_score_derived": pct(s_der[:, 0]),
        "query_top10_score_real": pct(s_real[:, 9]), "query_top10_score_derived": pct(s_der[:, 9]),
        "query_top10_overlap_derived_vs_real": round(float(overlap), 3),
        "passage_nn_score_real": pct(nn["real"]), "passage_nn_score_derived": pct(nn["derived"]),
    }
