"""Planning-topic suggestions against 154 lessons labelled by reading (tests/data/lesson_topics_gold.*).

The NASA lessons and ``corpus/sample`` are ingested into a store cached outside the repository
(with the default encoder, as a user's ingest would), then each labelled lesson's suggestion is
compared with its labels. Rows, all in the same run:

- the product: the mean of the lesson's stored passage vectors against each topic's
  description, plus cue words (what ingest writes);
- the same with the lesson's text embedded instead of its stored vectors;
- description similarity alone (no cue words), and cue words alone;
- the most frequent label of the set (what a constant guess reaches).

Printed: agreement of the top suggestion with the primary label, with either label, and whether the
primary label is among the top three; for NASA and our own reports apart.

Usage: python bench/topic_agreement.py [--store DIR] [--rebuild] [--json]
Skips (exit 0, reason on stderr) without ../shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
GOLD = ROOT / "tests" / "data" / "lesson_topics_gold.json"
DEFAULT_STORE = Path.home() / ".cache" / "missiongraph" / "bench-topics-store"


def build_store(store_dir: Path, shared: Path, rebuild: bool):
    from corpus import sample_dir
    from ingest import IngestOptions, ingest_paths
    from kg import open_store
    from search import Embedder

    marker = store_dir / "bench-topics.json"
    store_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(str(store_dir))
    if marker.exists() and not rebuild:
        return store
    t0 = time.perf_counter()
    print(f"ingesting the NASA lessons and corpus/sample into {store_dir} ...", file=sys.stderr)
    embedder = Embedder()
    ingest_paths(store, [shared / "corpus" / "nasa-llis" / "lessons.jsonl"], embedder=embedder,
                 options=IngestOptions(id_field="lesson_number"))
    ingest_paths(store, [sample_dir()], embedder=embedder)
    marker.write_text(json.dumps({"seconds": round(time.perf_counter() - t0, 1)}))
    return store


def shared_or_skip(folder: str, script: str) -> Path | None:
    """../shared when it holds the NASA lessons (the command is printed), else None (reason printed)."""
    shared = Path(folder)
    if not (shared / "corpus" / "nasa-llis" / "lessons.jsonl").is_file():
        print(f"skipped: shared corpus not found under {shared}", file=sys.stderr)
        return None
    print(f"command: python bench/{script}.py " + " ".join(sys.argv[1:]), file=sys.stderr)
    return shared


def gold_rows(store, labels: dict) -> dict[str, dict]:
    """The store's lesson row for each labelled id (see tests/data/lesson_topics_gold.json)."""
    docs = store.find_documents(limit=10**7)
    by_record = {(Path(d["source"]).name, str(d.get("record"))): d for d in docs}
    by_name: dict[str, list[dict]] = {}
    for d in docs:
        by_name.setdefault(Path(d["source"]).name, []).append(d)
    out = {}
    for gid in labels:
        source, _, ref = gid.partition(":")
        if source == "nasa":
            doc = by_record.get(("lessons.jsonl", ref))
        elif "#" in ref:
            name, _, n = ref.partition("#")
            doc = by_name.get(name, [None])[0]
        else:
            doc = by_record.get(("sample_lessons.jsonl", ref))
        if doc is None:
            continue
        rows = sorted(store.lessons(doc_id=doc["id"]), key=lambda r: r["start"])
        rows = [r for r in rows if r.get("discussion") or r.get("conclusion") or r.get("observation")
                or r.get("lesson") or r.get("recommendation")]
        if "#" in ref:
            rows = [r for r in rows if r["origin"] == "text"]
            idx = int(ref.partition("#")[2]) - 1
            if idx < len(rows):
                out[gid] = rows[idx]
        elif rows:
            out[gid] = rows[0]
    return out


def score(ranked: dict[str, list[str]], labels: dict, ids: list[str]) -> dict:
    n = len(ids)
    top1 = sum(ranked[i][0] == labels[i]["primary"] for i in ids)
    either = sum(ranked[i][0] in (labels[i]["primary"], labels[i]["secondary"]) for i in ids)
    top3 = sum(labels[i]["primary"] in ranked[i][:3] for i in ids)
    return {"n": n, "top1": round(top1 / n, 3) if n else None, "either": round(either / n, 3) if n else None,
            "top3": round(top3 / n, 3) if n else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--store", default=str(DEFAULT_STORE))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    shared = shared_or_skip(args.shared, "topic_agreement")
    if shared is None:
        return 0
    import numpy as np

    from kg.planning import topics
    from search.embeddings import Embedder, follow_store
    from search.planning_topics import Suggester, lesson_text, lesson_vectors

    labels = json.loads(GOLD.read_text())["labels"]
    store = build_store(Path(args.store).expanduser(), shared, args.rebuild)
    rows = gold_rows(store, labels)
    missing = sorted(set(labels) - set(rows))
    ids = [i for i in labels if i in rows]
    suggester = Suggester(follow_store(Embedder(), store))
    texts = [lesson_text(rows[i]) for i in ids]
    stored = lesson_vectors(store, [rows[i] for i in ids], suggester.embedder)
    embedded = suggester.embedder.encode(texts)
    ids_of = [t.id for t in topics()]

    def ranked_from(scores) -> dict[str, list[str]]:
        order = np.argsort(-scores, axis=1, kind="stable")
        return {i: [ids_of[j] for j in order[n][:3]] for n, i in enumerate(ids)}

    cues_only = suggester.scores(texts, np.zeros_like(stored))
    variants = {
        "stored passage vectors + cue words (ingest's)": ranked_from(suggester.scores(texts, stored)),
        "lesson text embedded + cue words": ranked_from(suggester.scores(texts, embedded)),
        "stored passage vectors alone": ranked_from(np.asarray(stored) @ suggester.vectors.T),
        "cue words alone": ranked_from(cues_only),
    }
    common = [t for t, _ in Counter(v["primary"] for v in labels.values()).most_common(3)]
    variants["the most frequent labels (constant)"] = {i: common for i in ids}
    nasa = [i for i in ids if i.startswith("nasa:")]
    ours = [i for i in ids if not i.startswith("nasa:")]
    table = {name: {"all": score(r, labels, ids), "nasa": score(r, labels, nasa), "ours": score(r, labels, ours)}
             for name, r in variants.items()}
    out = {"labelled": len(labels), "found": len(ids), "missing": missing, "variants": table}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{len(ids)} of {len(labels)} labelled lessons found in the store"
              + (f" (missing: {', '.join(missing)})" if missing else ""))
        print(f"{'variant':<48} {'top-1 = primary':>17} {'top-1 either':>13} {'primary in top 3':>17}"
              f"   NASA / ours top-1")
        for name, t in table.items():
            a = t["all"]
            print(f"{name:<48} {a['top1']:>17.3f} {a['either']:>13.3f} {a['top3']:>17.3f}   "
                  f"{t['nasa']['top1']:.3f} / {t['ours']['top1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
