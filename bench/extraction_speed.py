"""Extraction speed (words/s) of this tree against an earlier commit, on the same texts, same run.

    python bench/extraction_speed.py [--against REF] [--repeat 3]

The earlier commit is checked out into a temporary git worktree and timed in its own process;
each side is warmed up first and the best of ``--repeat`` passes is kept.  Texts: the re3d
documents and the 2025 Security Council texts from ../shared (skipped when absent).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

TIMER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from nlp.extract import Extractor
texts = json.load(open(sys.argv[2]))
ex = Extractor(); ex.extract("warm up")
words = sum(len(t.split()) for t in texts)
best = 0.0
for _ in range(int(sys.argv[3])):
    t0 = time.perf_counter(); ex.extract_many([(t, {}) for t in texts]); best = max(best, words / (time.perf_counter() - t0))
print(json.dumps({"words": words, "words_per_s": round(best)}))
"""


def texts() -> dict[str, list[str]]:
    out = {}
    re3d = SHARED / "gold" / "re3d"
    if re3d.is_dir():
        out["re3d"] = [json.loads(line)["text"] for src in sorted(re3d.iterdir()) if src.is_dir()
                       for line in (src / "documents.json").read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    unsc = SHARED / "corpus" / "unsc-2025" / "text"
    if unsc.is_dir():
        out["unsc-2025 text"] = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(unsc.rglob("*.txt"))[:40]]
    return out


def timed(tree: Path, sample: list[str], repeat: int, scratch: Path) -> dict:
    data = scratch / "texts.json"
    data.write_text(json.dumps(sample), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", TIMER, str(tree), str(data), str(repeat)], cwd=scratch,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", default="ff7e1e3", help="the earlier commit (default: before extraction work)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    samples = texts()
    if not samples:
        print(f"no texts under {SHARED}: nothing to time")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        old = tmp / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), args.against],
                       check=True, capture_output=True)
        try:
            print(f"{'texts':<16}{'words':>8}{args.against + ' w/s':>16}{'now w/s':>10}{'ratio':>8}")
            for name, sample in samples.items():
                before, now = timed(old, sample, args.repeat, tmp), timed(ROOT, sample, args.repeat, tmp)
                print(f"{name:<16}{now['words']:>8}{before['words_per_s']:>16}{now['words_per_s']:>10}"
                      f"{now['words_per_s'] / before['words_per_s']:>8.2f}")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
