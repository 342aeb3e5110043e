"""Load test of the web search endpoint: many clients against ``/api/search`` on loopback.

Starts the real app (``missiongraph serve``: Flask under werkzeug's threaded server, in its own
process) on a free loopback port, then runs in this one run, one after the other:

1. the baseline: one client for ``--seconds``;
2. the load: ``--clients`` concurrent clients (threads with a keep-alive connection each) for
   ``--seconds``.

Each client cycles through the judged queries' strings (tests/data/search_queries.json), starting
at a different one.  Prints requests/s, latency p50/p95/p99, errors (a non-200 answer or a
failed connection) for both, and the ratio of loaded to single-client throughput.

The store: ``--store DIR``, else the bench-quality store (~/.cache/missiongraph/bench-quality-store,
built by bench/search_quality.py) when it is there, else corpus/sample ingested once into
~/.cache/missiongraph/bench-web-store.

Usage: python bench/web_load.py [--store DIR] [--clients 8] [--seconds 30] [--mode hybrid] [-k 10]
       [--facets] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.bolt.devserver import stop  # noqa: E402 - a process stopped the same way as the test graph server
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

CACHE = Path.home() / ".cache" / "missiongraph"
QUALITY_STORE = CACHE / "bench-quality-store"
QUALITY_MARKER = "bench-quality-built.json"
SAMPLE_STORE = CACHE / "bench-web-store"
SAMPLE_MARKER = "bench-web-built.json"
QUERIES = ROOT / "tests" / "data" / "search_queries.json"


def pick_store(given: str | None) -> tuple[Path, str]:
    """(store folder, what it holds), building the corpus/sample store the first time."""
    if given:
        return Path(given).expanduser(), "given"
    if (QUALITY_STORE / QUALITY_MARKER).exists():
        return QUALITY_STORE, "bench-quality store (shared text corpus + NASA lessons)"
    if not (SAMPLE_STORE / SAMPLE_MARKER).exists():
        from corpus import sample_dir
        from ingest import ingest_paths
        from kg import open_store

        print(f"ingesting corpus/sample into {SAMPLE_STORE} ...", file=sys.stderr)
        with open_store(str(SAMPLE_STORE)) as store:
            report = ingest_paths(store, [sample_dir()])
        (SAMPLE_STORE / SAMPLE_MARKER).write_text(json.dumps(report.as_json(), indent=2))
    return SAMPLE_STORE, "corpus/sample"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store: Path, port: int, log, torch_threads: int | None = None,
                 timeout: float = 180.0) -> subprocess.Popen:
    """``missiongraph serve`` in its own process (its request log to ``log``, a file: a pipe
    nobody reads would fill and stall the server), returned once ``/api/stats`` answers.
    ``torch_threads`` sets the server's intra-op threads (``OMP_NUM_THREADS``) for the query embedding."""
    env = dict(os.environ, **({"OMP_NUM_THREADS": str(torch_threads)} if torch_threads else {}))
    proc = subprocess.Popen([sys.executable, "-m", "missiongraph", "--store", str(store), "serve", "--host",
                             "127.0.0.1", "--port", str(port)], cwd=ROOT, stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"the server exited with {proc.returncode}: {log.read()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/stats")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(f"the server did not answer on port {port} within {timeout:.0f} s")


def paths_for(queries: list[str], params: dict) -> list[str]:
    return [f"/api/search?{urllib.parse.urlencode({'q': q, **params})}" for q in queries]


def client(port: int, paths: list[str], start: int, until: float, out: list) -> None:
    """Request the paths in turn until ``until``; append (seconds, ok) per request to ``out``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path in itertools.islice(itertools.cycle(paths), start, None):
        if time.perf_counter() >= until:
            break
        t = time.perf_counter()
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            resp.read()
            ok = resp.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out.append((time.perf_counter() - t, ok))
    conn.close()


def phase(port: int, paths: list[str], clients: int, seconds: float) -> dict:
    """``clients`` concurrent clients for ``seconds``: throughput and latency."""
    results: list[list] = [[] for _ in range(clients)]
    until = time.perf_counter() + seconds
    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(port, paths, i * len(paths) // clients, until, results[i]))
               for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat = sorted(s for r in results for s, ok in r if ok)
    errors = sum(1 for r in results for _, ok in r if not ok)
    pct = lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else None  # noqa: E731
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(lat) + errors, "errors": errors,
            "requests_per_s": round(len(lat) / wall, 2), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
            "p99_ms": pct(0.99), "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", help="store folder (default: the bench-quality store, else corpus/sample)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    ap.add_argument("--mode", choices=("hybrid", "vector", "keyword"), default="hybrid")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--facets", action="store_true", help="ask for facet counts too (facets=1)")
    ap.add_argument("--queries", default=str(QUERIES), help="judged query file whose strings are sent")
    ap.add_argument("--torch-threads", type=int, help="the server's torch intra-op threads (default: torch's own)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    store, holds = pick_store(args.store)
    queries = [q["query"] for q in json.loads(Path(args.queries).read_text(encoding="utf-8"))["queries"]]
    params = {"k": args.k, "mode": args.mode, **({"facets": 1} if args.facets else {})}
    paths = paths_for(queries, params)
    port = free_port()
    load_before = round(os.getloadavg()[0], 2)
    t0 = time.perf_counter()
    log = tempfile.TemporaryFile("w+")
    proc = start_server(store, port, log, args.torch_threads)
    try:
        started = round(time.perf_counter() - t0, 1)
        phase(port, paths[:3], 1, 0.1)   # warm up: loads the embedding model and the FAISS cache
        single = phase(port, paths, 1, args.seconds)
        loaded = phase(port, paths, args.clients, args.seconds)
    finally:
        stop(proc)
        log.close()
    out = {"store": str(store), "holds": holds, "queries": len(queries), "params": params,
           "server": "missiongraph serve (werkzeug, threaded)", "server_start_s": started, "cpus": os.cpu_count(),
           "torch_threads": args.torch_threads or "default", "load_average_before": load_before,
           "single": single, "loaded": loaded,
           "throughput_ratio": round(loaded["requests_per_s"] / single["requests_per_s"], 2)
           if single["requests_per_s"] else None}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"store: {store} ({holds}); {len(queries)} queries; {params}; {os.cpu_count()} CPUs, "
              f"load average {load_before} before; server torch threads: {out['torch_threads']}")
        for name in ("single", "loaded"):
            r = out[name]
            print(f"{name:>7}: {r['clients']} client(s) {r['seconds']} s: {r['requests']} requests, "
                  f"{r['requests_per_s']} req/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, p99 {r['p99_ms']} ms, "
                  f"errors {r['errors']}")
        print(f"throughput {args.clients} clients / 1 client: {out['throughput_ratio']}")
    return 1 if single["errors"] or loaded["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
