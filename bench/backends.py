"""Ingest throughput into each graph backend, same files, same run: embedded SQLite and a Bolt
server (a throw-away FalkorDB, or ``--bolt URL`` for a real Neo4j, whose database is wiped).

    python bench/backends.py [PATH ...] [--bolt URL]

Extraction and embedding run once; each backend then times only writing the same bundles,
file by file as ingest does, so the ratio is the stores' own.  Default input: corpus/sample.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--bolt", help="a Bolt URL to use instead of starting FalkorDB (its data is wiped)")
    args = ap.parse_args()
    from ingest.pipeline import IngestOptions, _embed, _prepare, file_sha256, list_inputs
    from kg import open_store
    from kg.bolt.devserver import Unavailable, start, stop
    from nlp import Extractor
    from search import Embedder

    files = [p for p, err in list_inputs(args.paths or [ROOT / "corpus" / "sample"]) if err is None]
    extractor, embedder = Extractor(), Embedder()
    prepared = []
    for f in files:
        sha, size = file_sha256(f)
        prep = _prepare(f, sha, size, extractor, IngestOptions())
        if isinstance(prep, dict):
            print("skipped:", prep)
            continue
        prepared.append((str(f.resolve()), sha, size, prep))
    with tempfile.TemporaryDirectory() as tmp:
        scratch = open_store(str(Path(tmp) / "vectors"))
        for _, _, _, prep in prepared:
            _embed(scratch, embedder, prep.bundles)
        scratch.close()
        words = sum(p.words for *_, p in prepared)
        passages = sum(len(b.passages) for *_, p in prepared for b in p.bundles)
        proc = None
        url = args.bolt
        if url is None:
            try:
                url, proc = start(Path(tmp) / "falkordb")
            except Unavailable as e:
                print(f"no Bolt server: {e}")
        results = {}
        try:
            for name, target in (("sqlite", str(Path(tmp) / "store")), ("bolt", url)):
                if target is None:
                    continue
                store = open_store(target)
                store.set_vector_meta(embedder.name, embedder.dim)
                t0 = time.perf_counter()
                for path, sha, size, prep in prepared:
                    store.replace_file(path, sha, size, prep.bundles)
                results[name] = time.perf_counter() - t0
                counts = store.stats()
                store.close()
                print(f"{name:<7} {results[name]:7.2f} s  {words / results[name]:9.0f} words/s  "
                      f"{passages / results[name]:8.0f} passages/s  ({counts['documents']} documents, "
                      f"{counts['passages']} passages, {counts['mentions']} mentions)")
        finally:
            if proc is not None:
                stop(proc)
    if len(results) == 2:
        print(f"bolt / sqlite write time: {results['bolt'] / results['sqlite']:.1f}x "
              f"({len(prepared)} files, {words} words, {passages} passages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
