"""Build a txtai hybrid index over exported search units and answer judged queries with it.

Why: bench/peer_txtai.py compares our search with txtai, an independent open-source engine,
on the same units and the same judged queries.  txtai is not a dependency of this project,
so this script runs in a scratch virtualenv that has txtai installed, and it imports nothing
from the project: it only reads two plain files and writes one.

It builds one txtai ``Embeddings`` index in hybrid mode (txtai's own BM25 term index plus
dense MiniLM vectors in FAISS, no content database), times the build, and asks every query
three ways through txtai's public ``batchsearch``:

* keyword: ``weights=0.0`` (the dense side gets weight 0, so only BM25 answers),
* vector:  ``weights=1.0`` (only the dense side answers),
* hybrid:  ``weights=0.5`` (txtai's default blend of the two).

When txtai chose an IVF index (more than 5,000 units), vector and hybrid are asked once more
with every IVF cell probed (modes ``vector_allcells``, ``hybrid_allcells``).

The model is loaded from a local folder only; hub access is switched off.

Usage (with the scratch venv's python):
    /work/peer-venv/bin/python bench/peer_runner_txtai.py --units UNITS.jsonl --queries QUERIES.json \\
        --model /path/to/all-MiniLM-L6-v2 --out RESULTS.json [--k 10] [--threads 2] [--exact]

UNITS.jsonl: one ``{"uid": str, "text": str}`` per line.
QUERIES.json: a list of ``{"qid": str, "query": str}``.
RESULTS.json: ``{"build_seconds", "config", "units", "modes": {mode: {qid: [uid, ...]}}, ...}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Iterator

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

# txtai's weights argument is [dense, sparse]; a single number w stands for [w, 1 - w].
MODE_WEIGHTS: dict[str, float] = {"keyword": 0.0, "vector": 1.0, "hybrid": 0.5}


def read_units(path: Path) -> list[tuple[str, str]]:
    """(uid, text) pairs from a JSON Lines file, in file order; blank lines are skipped."""
    units: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                units.append((str(row["uid"]), str(row["text"])))
    return units


def txtai_config(model: str, exact: bool) -> dict:
    """The Embeddings settings: hybrid (BM25 terms index + dense vectors), ids only, local model.

    ``hybrid: True`` makes txtai set up ``scoring = {"method": "bm25", "terms": True,
    "normalize": True}`` and a dense index; with normalized BM25 scores its hybrid search
    fuses the two lists by a convex combination of scores.  ``exact`` pins FAISS to a flat
    index; without it txtai picks its own (flat up to 5,000 rows, IVF above).
    """
    config: dict = {"path": model, "method": "sentence-transformers", "hybrid": True, "content": False}
    if exact:
        config["faiss"] = {"components": "IDMap,Flat"}
    return config


def stream(units: list[tuple[str, str]]) -> Iterator[tuple[str, str, None]]:
    for uid, text in units:
        yield uid, text, None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", required=True, help="JSON Lines file of {uid, text}")
    ap.add_argument("--queries", required=True, help="JSON file: a list of {qid, query}")
    ap.add_argument("--model", required=True, help="local sentence-transformers model folder (MiniLM)")
    ap.add_argument("--out", required=True, help="where to write the rankings (JSON)")
    ap.add_argument("--k", type=int, default=10, help="results per query (default 10)")
    ap.add_argument("--threads", type=int, default=2, help="torch CPU threads (default 2)")
    ap.add_argument("--exact", action="store_true", help="exact (flat) FAISS index instead of txtai's choice")
    args = ap.parse_args(argv)

    model = Path(args.model)
    if not (model / "config.json").is_file():
        print(f"error: no model at {model} (expected a local folder with config.json)", file=sys.stderr)
        return 2

    import torch

    torch.set_num_threads(max(1, args.threads))
    import txtai
    from importlib.metadata import version

    txtai_version = version("txtai")
    units = read_units(Path(args.units))
    queries = json.loads(Path(args.queries).read_text(encoding="utf-8"))
    config = txtai_config(str(model), args.exact)

    t0 = time.perf_counter()
    embeddings = txtai.Embeddings(config)
    load_seconds = time.perf_counter() - t0
    print(f"txtai {txtai_version}: indexing {len(units)} units ...",
          file=sys.stderr)
    t1 = time.perf_counter()
    embeddings.index(stream(units))
    build_seconds = time.perf_counter() - t1
    print(f"indexed in {build_seconds:.1f} s", file=sys.stderr)

    texts = [q["query"] for q in queries]
    modes: dict[str, dict[str, list[str]]] = {}
    scores: dict[str, dict[str, list[float]]] = {}
    search_seconds: dict[str, float] = {}
    for mode, weight in MODE_WEIGHTS.items():
        t2 = time.perf_counter()
        answers = embeddings.batchsearch(texts, args.k, weights=weight)
        search_seconds[mode] = round(time.perf_counter() - t2, 3)
        modes[mode] = {q["qid"]: [str(uid) for uid, _ in ans] for q, ans in zip(queries, answers)}
        scores[mode] = {q["qid"]: [round(float(s), 5) for _, s in ans] for q, ans in zip(queries, answers)}

    # Above 5,000 rows txtai's default FAISS index is IVF and probes only a share of its cells
    # (nprobe = cells / 16).  Ask the dense modes again probing every cell (txtai's own
    # "faiss": {"nprobe": N} setting, read at search time), which is exact for IVF...,Flat, so
    # approximation and ranking can be told apart.
    ann = getattr(embeddings, "ann", None)
    backend = getattr(ann, "backend", None)
    nlist = getattr(backend, "nlist", None)
    default_nprobe = ann.nprobe() if nlist and hasattr(ann, "nprobe") else None
    if nlist and default_nprobe is not None and default_nprobe < nlist:
        embeddings.config["faiss"] = {**(embeddings.config.get("faiss") or {}), "nprobe": int(nlist)}
        for mode in ("vector", "hybrid"):
            t2 = time.perf_counter()
            answers = embeddings.batchsearch(texts, args.k, weights=MODE_WEIGHTS[mode])
            search_seconds[f"{mode}_allcells"] = round(time.perf_counter() - t2, 3)
            modes[f"{mode}_allcells"] = {q["qid"]: [str(uid) for uid, _ in ans] for q, ans in zip(queries, answers)}
            scores[f"{mode}_allcells"] = {q["qid"]: [round(float(s), 5) for _, s in ans]
                                          for q, ans in zip(queries, answers)}
    out = {
        "txtai": txtai_version,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "config": {k: v for k, v in embeddings.config.items() if k not in ("ids",)},
        "faiss_index": type(backend).__name__ if backend is not None else None,
        "faiss_nlist": nlist,
        "faiss_nprobe": default_nprobe,
        "units": len(units),
        "queries": len(queries),
        "k": args.k,
        "weights": MODE_WEIGHTS,
        "model_load_seconds": round(load_seconds, 2),
        "build_seconds": round(build_seconds, 2),
        "search_seconds": search_seconds,
        "modes": modes,
        "scores": scores,
    }
    Path(args.out).write_text(json.dumps(out, default=str), encoding="utf-8")
    embeddings.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
