"""Ingest throughput: the whole pipeline against the ceiling of each of its stages, same texts.

    python bench/ingest_stages.py [PATH ...] [--limit 100] [--workers 0 1] [--repeat 1]

Each stage runs alone on the same documents (load, extract, chunk, embed), giving its ceiling
in words/s (the embedder sees each distinct passage once, as ingest does); then the whole pipeline runs once per ``--workers`` value into a fresh
store.  The pipeline's words/s is reported as a share of the slowest stage's ceiling (the
best it could do if the stages overlapped perfectly), beside the bound for running the stages
one after the other.  With ``--repeat N`` every stage and pipeline keeps its fastest of N runs,
which damps noise from other work on a shared machine alike for all.  Default texts: the 2025
Security Council text files in ../shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _timed(fn, repeat: int = 1):
    """The result of ``fn`` and its fastest time over ``repeat`` runs."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--limit", type=int, default=100, help="files taken (default 100)")
    ap.add_argument("--workers", type=int, nargs="*", default=[0, 1])
    ap.add_argument("--repeat", type=int, default=1, help="keep the fastest of N runs (default 1)")
    args = ap.parse_args()
    default = ROOT.parent / "shared" / "corpus" / "unsc-2025" / "text"
    paths = [Path(p) for p in args.paths] or ([default] if default.is_dir() else [])
    if not paths:
        print("no input: give paths or put ../shared beside the project")
        return 0
    from ingest.bundle import norm_hash
    from ingest.chunking import chunk_document
    from ingest.loaders import load_file
    from ingest.pipeline import IngestOptions, _hints, list_inputs
    from nlp import Extractor
    from search import Embedder

    files = [p for p, err in list_inputs(paths) if err is None][:args.limit]
    extractor, embedder = Extractor(), Embedder()
    extractor.extract("warm up")
    embedder.encode(["warm up"])
    n = args.repeat
    docs, t_load = _timed(lambda: [d for f in files for d in load_file(f)], n)
    words = sum(len(d.clean.split()) for d in docs)
    facts, t_extract = _timed(lambda: extractor.extract_many([(d.clean, _hints(d, IngestOptions())) for d in docs]), n)
    chunks, t_chunk = _timed(lambda: [chunk_document(d, kind=f.kind) for d, f in zip(docs, facts)], n)
    texts = list({norm_hash(c.text): c.text for cs in chunks for c in cs}.values())
    _, t_embed = _timed(lambda: embedder.encode(texts), n)
    stages = {"load": t_load, "extract (spaCy + rules)": t_extract, "chunk": t_chunk, "embed (MiniLM)": t_embed}
    print(f"{len(files)} files, {len(docs)} documents, {words} words, "
          f"{sum(map(len, chunks))} passages ({len(texts)} distinct: the only ones ingest embeds)")
    print(f"{'stage':<26}{'seconds':>9}{'words/s':>10}")
    for name, t in stages.items():
        print(f"{name:<26}{t:>9.2f}{words / t:>10.0f}")
    ceiling = words / max(stages.values())
    print(f"slowest stage ceiling: {ceiling:.0f} words/s ({max(stages, key=stages.get)})")
    serial = words / sum(stages.values())
    print(f"stages one after another: {serial:.0f} words/s = {serial / ceiling:.2f} of the ceiling")
    for w in args.workers:
        report, t = _timed(lambda: _ingest_once(files, extractor, embedder, w), n)
        rate = report.words / t
        print(f"pipeline, workers={w}: {t:.1f} s, {rate:.0f} words/s = {rate / ceiling:.2f} of the ceiling"
              f"{' (errors: ' + str(len(report.errors)) + ')' if report.errors else ''}")
    return 0


def _ingest_once(files, extractor, embedder, workers: int):
    """One whole ingest into a fresh store (its own temporary folder)."""
    from ingest.pipeline import ingest_paths
    from kg import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "store"))
        try:
            return ingest_paths(store, files, extractor=extractor, embedder=embedder, workers=workers)
        finally:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
