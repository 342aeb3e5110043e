"""Bulk embedding speed per torch device, same passages, same run: CPU, and CUDA where torch sees it.

    python bench/embed_device.py [PATH ...] [--limit 40] [--batch-size 64 256]

Passages are made by the ingest chunker from the given files (default: the 2025 Security
Council texts in ../shared, else corpus/sample).  Prints passages/s and words/s per device
and batch size, the ratio to CPU at the default batch size, and the largest difference
between a GPU vector and its CPU twin (the GPU path must not change what search finds).
A GPU is never required: without one only the CPU rows are printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def passages(paths: list[Path], limit: int) -> list[str]:
    from ingest.chunking import chunk_document
    from ingest.loaders import load_file
    from ingest.pipeline import list_inputs

    files = [p for p, err in list_inputs(paths) if err is None][:limit]
    return [c.text for f in files for d in load_file(f) for c in chunk_document(d)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--limit", type=int, default=40, help="files taken (default 40)")
    ap.add_argument("--batch-size", type=int, nargs="*", default=[64, 256])
    args = ap.parse_args()
    import numpy as np
    import torch

    from search.embeddings import Embedder

    default = ROOT.parent / "shared" / "corpus" / "unsc-2025" / "text"
    paths = [Path(p) for p in args.paths] or [default if default.is_dir() else ROOT / "corpus" / "sample"]
    texts = passages(paths, args.limit)
    words = sum(len(t.split()) for t in texts)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"{len(texts)} passages, {words} words; torch {torch.__version__}, devices: {', '.join(devices)}"
          + (f" ({torch.cuda.get_device_name(0)})" if "cuda" in devices else ""))
    print(f"{'device':<8}{'batch':>6}{'seconds':>9}{'passages/s':>12}{'words/s':>10}{'vs cpu':>8}")
    base = None
    vectors = {}
    for device in devices:
        emb = Embedder(device=device)
        emb.encode(["warm up"] * 8)
        for bs in args.batch_size:
            t0 = time.perf_counter()
            vecs = emb.encode(texts, batch_size=bs)
            t = time.perf_counter() - t0
            vectors.setdefault(device, vecs)
            base = base or t
            print(f"{device:<8}{bs:>6}{t:>9.2f}{len(texts) / t:>12.1f}{words / t:>10.0f}{base / t:>8.2f}")
    if "cuda" in vectors:
        diff = float(np.abs(vectors["cuda"] - vectors["cpu"]).max())
        print(f"largest |cuda - cpu| vector component difference: {diff:.2e}")
    else:
        print("no CUDA device visible to torch: GPU path not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
