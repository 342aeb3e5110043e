"""What the scale benchmarks share: sizes, cached stores, the query set, timing summaries.

Stores and vectors live under ``~/.cache/missiongraph/scale`` (``$MISSIONGRAPH_CACHE_DIR``
moves it), never in the repository and never in CI.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from corpus.scale import SentencePool, queries  # noqa: E402
from corpus.scale_vectors import cache_dir  # noqa: E402

POOL_PER_GROUP = 300
SEED = 0
JUDGED = ROOT / "tests" / "data" / "search_queries.json"


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500."""
    t = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if scale > 1 else t) * scale)


def label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def store_path(n: int) -> Path:
    return cache_dir() / f"store-{label(n)}"


def pool_and_vectors(embedder):
    """The sentence pool and its real embeddings (embedded once, then cached)."""
    from corpus.scale_vectors import pool_vectors

    pool = SentencePool(POOL_PER_GROUP, seed=SEED)
    return pool, pool_vectors(pool, embedder)


def bench_queries(n_template: int = 300) -> list[str]:
    """Template queries in planners' words plus the judged query strings of the quality set."""
    judged = [q["query"] for q in json.loads(JUDGED.read_text(encoding="utf-8"))["queries"]]
    return queries(n_template, seed=11) + judged


def percentiles(seconds: list[float]) -> dict:
    ms = np.asarray(seconds) * 1000
    return {f"p{p}": round(float(np.percentile(ms, p)), 2) for p in (50, 95, 99)}


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def folder_mb(path: Path, pattern: str = "*") -> float:
    return round(sum(p.stat().st_size for p in Path(path).glob(pattern) if p.is_file()) / 2**20, 1)
