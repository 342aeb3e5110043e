"""Encoder speed and quality, torch vs onnx vs onnx-int8, on the same texts in one run.

    python bench/encoder_onnx.py [--files 40] [--lessons 300] [--rounds 4] [--repeat 1]
                                 [--variants torch onnx onnx-int8] [--no-ndcg] [--store DIR] [--json]

(a) passage throughput: passages cut by the ingest chunker from the 2025 Council text files and
    the NASA lessons in ../shared, embedded as ingest embeds them (distinct passages, longest
    first, ``EMBED_SLICE`` per encode call, every core), in words of passage text per second;
(b) single-query latency (one thread, as a search runs it) over the judged query texts of
    tests/data/search_queries*.json, repeated ``--rounds`` times, p50 / p95;
(c) cosine of each variant's passage vectors to torch's on the (a) passages: min / p5 / mean;
(d) nDCG@10 of vector-only search on the dev and held-out query sets: the bench-quality store
    (bench/search_quality.py builds it) is snapshotted into a scratch folder, its passages are
    re-embedded there with each onnx variant, and the judged queries are run against each copy
    (the store itself is only read).  Also the cosine of every stored passage to its torch vector.
(e) cold start: a fresh process's time from start to its first query vector.

Speed is given as a ratio to torch measured in the same run.  ``--repeat N`` keeps the fastest
of N throughput runs, taken round-robin so other work on the machine hits every variant alike.
The default run takes about ten minutes on two cores; ``--no-ndcg`` leaves out (d).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402

VARIANTS = ("torch", "onnx", "onnx-int8")


def shared_dir() -> Path:
    return Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared"))


# -- texts -------------------------------------------------------------------------------------
def passages(shared: Path, files: int, lessons: int) -> tuple[list[str], int]:
    """Distinct passage texts from the ingest chunker (as ingest would embed them), and the
    words of the documents they come from.  ``files`` text files are taken evenly spaced over the
    sorted list (resolutions and reports alike); the first ``lessons`` NASA lessons."""
    from ingest.bundle import norm_hash
    from ingest.chunking import chunk_document
    from ingest.loaders import load_file
    from ingest.pipeline import IngestOptions, _hints, list_inputs
    from nlp.doc_meta import detect_kind, detect_symbol

    corpus = shared / "corpus"
    found = sorted(p for p, err in list_inputs([corpus / "unsc-2025" / "text"]) if err is None)
    step = max(1, len(found) // max(1, files)) if files else 0
    picked = found[::step][:files] if files else []
    docs = [d for f in picked for d in load_file(f)]
    if lessons:
        docs += load_file(corpus / "nasa-llis" / "lessons.jsonl", id_field="lesson_number")[:lessons]
    texts: dict[str, str] = {}
    for d in docs:
        hints = _hints(d, IngestOptions())
        kind = detect_kind(d.clean, hints, detect_symbol(d.clean, hints))  # what extraction decides
        for c in chunk_document(d, kind=kind):
            texts[norm_hash(c.text)] = c.text
    return list(texts.values()), sum(len(d.clean.split()) for d in docs)


def queries() -> dict[str, list[dict]]:
    data = ROOT / "tests" / "data"
    return {name: json.loads((data / f).read_text(encoding="utf-8"))["queries"]
            for name, f in (("dev", "search_queries.json"), ("heldout", "search_queries_heldout.json"))}


# -- measurements ------------------------------------------------------------------------------
def ingest_style(embedder, texts: list[str]) -> tuple[np.ndarray, float]:
    """Vectors for ``texts`` the way ingest asks for them, and the seconds it took."""
    from ingest.pipeline import EMBED_SLICE

    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    out = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    t0 = time.perf_counter()
    for i in range(0, len(order), EMBED_SLICE):
        rows = order[i:i + EMBED_SLICE]
        out[rows] = embedder.encode([texts[r] for r in rows])
    return out, time.perf_counter() - t0


def latency(embedder, texts: list[str], rounds: int) -> list[float]:
    """Milliseconds per single-text encode (one thread, as search runs a query)."""
    for t in texts[:10]:
        embedder.encode([t])
    times = []
    for _ in range(rounds):
        for t in texts:
            t0 = time.perf_counter()
            embedder.encode([t])
            times.append((time.perf_counter() - t0) * 1000)
    return times


def cosine_stats(a: np.ndarray, b: np.ndarray) -> dict:
    cos = (a * b).sum(1)
    return {"min": float(cos.min()), "p5": float(np.percentile(cos, 5)), "mean": float(cos.mean()),
            "below_0.9999": int((cos < 0.9999).sum()), "n": int(len(cos))}


def cold_start(variant: str) -> float:
    """Seconds for a fresh process to import the package and embed one query (export cached)."""
    code = "from search import Embedder; Embedder().encode(['convoy delayed by an explosive device'])"
    env = {**os.environ, "MISSIONGRAPH_ENCODER": variant}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


# -- (d) retrieval quality on copies of the bench store -----------------------------------------
def wait_for(marker: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not marker.exists():
        if time.monotonic() > deadline:
            return False
        print(f"waiting for {marker} (the bench store is being built) ...", file=sys.stderr)
        time.sleep(min(30.0, max(1.0, deadline - time.monotonic())))
    return True


def snapshot(src_db: Path, dest_dir: Path) -> Path:
    """A consistent copy of the store's SQLite file (backup API over a read-only connection)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / src_db.name
    src = sqlite3.connect(f"file:{src_db}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return dest


def reembed(db_file: Path, embedder) -> tuple[dict, float, int]:
    """Replace every stored vector in the copy ``db_file`` with ``embedder``'s (one encode per
    distinct passage text hash, as ingest does), record its model name, and return the cosine
    of each passage's new vector to its old (torch) one, the seconds and the passages encoded."""
    from kg.sqlite_conn import bump_generation
    from kg.sqlite_vectors import set_meta

    db = sqlite3.connect(db_file)
    rows = db.execute("SELECT p.id, p.norm_hash, p.text, v.vec FROM passages p JOIN vectors v "
                      "ON v.passage_id = p.id ORDER BY p.id").fetchall()
    text_of = {h: t for _, h, t, _ in rows}
    hashes = list(text_of)
    t0 = time.perf_counter()
    new = dict(zip(hashes, embedder.encode([text_of[h] for h in hashes])))
    seconds = time.perf_counter() - t0
    old = np.stack([np.frombuffer(v, dtype=np.float32) for *_, v in rows])
    now = np.stack([new[h] for _, h, _, _ in rows])
    db.execute("BEGIN")
    db.executemany("UPDATE vectors SET vec=? WHERE passage_id=?",
                   [(new[h].astype(np.float32).tobytes(), pid) for pid, h, _, _ in rows])
    set_meta(db, embedder.name, embedder.dim)
    bump_generation(db)
    db.execute("COMMIT")
    db.close()
    return cosine_stats(now, old), seconds, len(hashes)


def vector_ndcg(store_dir: Path, embedder, sets: dict[str, list[dict]]) -> dict[str, float]:
    """Mean nDCG@10 of vector-only search per query set (search/quality.py's scoring)."""
    from kg import open_store
    from search import search
    from search.quality import run_queries, summarize

    store = open_store(str(store_dir))
    try:
        def ranker(text: str, mode: str) -> list[dict]:
            return search(store, text, k=10, mode=mode, embedder=embedder)["results"]

        return {name: summarize(run_queries(qs, ranker, ("vector",), 10))["vector"]["all"]["ndcg"]
                for name, qs in sets.items()}
    finally:
        store.close()


def quality(args, embedders: dict, sets: dict[str, list[dict]]) -> dict:
    """(d) for every variant; torch scores the snapshot's own (torch-made) vectors."""
    from kg.sqlite_conn import DB_NAME

    store = Path(args.store).expanduser()
    if not (store / DB_NAME).is_file():
        print(f"(d) skipped: no store at {store} (run bench/search_quality.py once to build it)")
        return {}
    if not wait_for(store / "bench-quality-built.json", args.wait):
        print(f"(d) skipped: {store} has no bench-quality-built.json after {args.wait:.0f} s "
              "(run bench/search_quality.py once to build it)")
        return {}
    scratch = Path(tempfile.mkdtemp(prefix="mg-encoder-bench-", dir=args.scratch))
    base = scratch / "torch"
    snapshot(store / DB_NAME, base)
    meta = json.loads(sqlite3.connect(base / DB_NAME).execute(
        "SELECT value FROM meta WHERE key='vectors'").fetchone()[0])
    out = {}
    for v, emb in embedders.items():
        folder, info = base, {}
        if v != "torch":
            folder = scratch / v
            snapshot(base / DB_NAME, folder)
            cos, secs, n = reembed(folder / DB_NAME, emb)
            info = {"store_cosine": cos, "reembed_s": secs, "reembed_passages": n}
        elif meta.get("model") != emb.name:
            print(f"(d) note: the store's vectors are {meta.get('model')!r}, not {emb.name!r}")
        t0 = time.perf_counter()
        out[v] = {"ndcg": vector_ndcg(folder, emb, sets), "search_s": time.perf_counter() - t0, **info}
        print(f"  {v:<10} nDCG@10 vector " + "  ".join(f"{k} {x:.4f}" for k, x in out[v]["ndcg"].items())
              + (f"  (re-embedded {info['reembed_passages']} passages in {info['reembed_s']:.0f} s)" if info else ""),
              flush=True)
    print(f"  scratch copies in {scratch} (delete when done)")
    return out


# -- report ------------------------------------------------------------------------------------
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=40, help="2025 Council text files taken (default 40)")
    ap.add_argument("--lessons", type=int, default=300, help="NASA lessons taken (default 300)")
    ap.add_argument("--rounds", type=int, default=4, help="passes over the query texts for latency (default 4)")
    ap.add_argument("--repeat", type=int, default=1, help="throughput: fastest of N round-robin runs")
    ap.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    ap.add_argument("--no-ndcg", action="store_true", help="leave out (d), the retrieval-quality part")
    ap.add_argument("--store", default=str(Path.home() / ".cache" / "missiongraph" / "bench-quality-store"),
                    help="the bench-quality store to snapshot for (d); only read")
    ap.add_argument("--wait", type=float, default=1800,
                    help="seconds to wait for a build of that store still under way (default 1800)")
    ap.add_argument("--scratch", default=None, help="parent of the scratch copies (default: the temp folder)")
    ap.add_argument("--json", action="store_true", help="also print every figure as JSON")
    args = ap.parse_args(argv)
    command = "python bench/encoder_onnx.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    shared = shared_dir()
    if not (shared / "corpus").is_dir():
        print(f"skipped: shared data not found at {shared} (put ../shared beside the project)")
        return 0
    variants = [v for v in VARIANTS if v in args.variants]
    if "torch" not in variants:
        variants.insert(0, "torch")  # every ratio and cosine is against torch
    started = time.perf_counter()
    print(f"command: {command}")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")

    from search import Embedder

    texts, doc_words = passages(shared, args.files, args.lessons)
    words = sum(len(t.split()) for t in texts)
    print(f"(a) {len(texts)} distinct passages, {words} words ({doc_words} document words)")
    embedders, loads = {}, {}
    for v in variants:
        t0 = time.perf_counter()
        embedders[v] = Embedder(encoder=v)
        embedders[v].encode(["warm up"])
        embedders[v].encode(texts[:64])
        loads[v] = time.perf_counter() - t0
    best: dict[str, float] = {}
    vecs: dict[str, np.ndarray] = {}
    for _ in range(max(1, args.repeat)):
        for v in variants:
            vecs[v], t = ingest_style(embedders[v], texts)
            best[v] = min(best.get(v, float("inf")), t)
    qtexts = [q["query"] for qs in queries().values() for q in qs]
    lat = {v: latency(embedders[v], qtexts, args.rounds) for v in variants}
    cos = {v: cosine_stats(vecs[v], vecs["torch"]) for v in variants if v != "torch"}
    results = {"command": command, "cores": os.cpu_count(), "passages": len(texts), "passage_words": words,
               "document_words": doc_words, "queries_timed": len(lat["torch"]), "variants": {}}
    for v in variants:
        results["variants"][v] = {
            "name": embedders[v].name, "load_s": loads[v], "throughput_s": best[v],
            "words_per_s": words / best[v], "ratio_to_torch": best["torch"] / best[v],
            "query_p50_ms": float(np.percentile(lat[v], 50)), "query_p95_ms": float(np.percentile(lat[v], 95)),
            "cosine_to_torch": cos.get(v)}
    print(f"{'variant':<10} {'name':<31} {'words/s':>8} {'x torch':>8} {'q p50 ms':>9} {'q p95 ms':>9}"
          f" {'cos min':>8} {'cos p5':>8} {'cos mean':>9}")
    for v, r in results["variants"].items():
        c = r["cosine_to_torch"] or {"min": 1.0, "p5": 1.0, "mean": 1.0}
        print(f"{v:<10} {r['name']:<31} {r['words_per_s']:>8.0f} {r['ratio_to_torch']:>8.2f} "
              f"{r['query_p50_ms']:>9.2f} {r['query_p95_ms']:>9.2f} {c['min']:>8.5f} {c['p5']:>8.5f} {c['mean']:>9.5f}")
    print(f"    ({len(lat['torch'])} single-query encodes per variant; throughput fastest of {max(1, args.repeat)})")
    for v in variants:
        results["variants"][v]["cold_start_s"] = cold_start(v)
    print("(e) cold start to a first query vector: " + ", ".join(
        f"{v} {results['variants'][v]['cold_start_s']:.2f} s" for v in variants))
    if not args.no_ndcg:
        print("(d) retrieval quality, vector-only search on copies of the bench store:")
        results["quality"] = quality(args, embedders, queries())
        base = results["quality"].get("torch", {}).get("ndcg", {})
        for v, q in results["quality"].items():
            if v != "torch" and base:
                drop = {k: round(base[k] - q["ndcg"][k], 4) for k in base}
                print(f"  {v:<10} nDCG@10 drop vs torch: " + "  ".join(f"{k} {d:+.4f}" for k, d in drop.items())
                      + f"; store cosine to torch min {q['store_cosine']['min']:.5f} p5 {q['store_cosine']['p5']:.5f}"
                      f" mean {q['store_cosine']['mean']:.5f} ({q['store_cosine']['below_0.9999']} of "
                      f"{q['store_cosine']['n']} below 0.9999)")
    results["seconds"] = time.perf_counter() - started
    print(f"total {results['seconds']:.0f} s; load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
