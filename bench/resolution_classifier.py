"""Would a learned classifier assign tasks to resolution clauses better than the rules do?

An experiment, not part of the parser.  Every operative clause (each labelled paragraph and
sub-paragraph the parser finds, chapeaux included, since the labels sit on the most specific
level whose own text carries a task) of every hand-labelled resolution becomes one example
whose targets are the task ids the labels give that paragraph (none for most).  Three
predictors are scored on the same (task, paragraph) pairs with
``nlp.evaluation.resolutions.score``, leaving one labelled SET out at a time:

- rules:   the parser's own tasks (``ResolutionFacts.tasks``), untouched;
- learned: one-vs-rest logistic regression (numpy, class-weighted, L2) on the clause's MiniLM
           embedding plus cheap features (lead verb, mission named, depth in the structure);
- stacked: the same model with the rules' task ids for the clause added as features;
- union:   the rules' pairs plus the learned model's (a recall check: no extra fit).

The decision threshold is chosen by an inner leave-one-set-out over the five training sets
only; the held-out set is never seen before it is scored.  When this was first run the rules had
been tuned on every set but blind2, so blind2 was the one fair comparison (rules 0.370, learned
0.356, stacked 0.429 tasks F1).  blind2 has been tuned on since, so a rerun's rules column is
optimistic there too; blind3 and the silver sets hold too few tasks to take its place.

Usage: python bench/resolution_classifier.py [--shared DIR] [--json] [--l2 F] [--epochs N]

Clause vectors are cached in ~/.cache/missiongraph/resolution_clause_vectors.npz (keyed by
model and text hash), so reruns only parse.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from nlp.evaluation import resolutions as R  # noqa: E402
from nlp.facts import TASKS  # noqa: E402

SETS = {"dev": R.GOLD, "held-out": R.HELDOUT, "test": R.TEST, "final": R.FINAL, "blind": R.BLIND,
        "blind2": R.BLIND2}
CACHE = Path(os.environ.get("MISSIONGRAPH_CACHE_DIR", Path.home() / ".cache" / "missiongraph")).expanduser()
VECTORS = CACHE / "resolution_clause_vectors.npz"
VERBS = ("decides", "authorizes", "requests", "calls upon", "urges", "encourages", "invites", "approves",
         "endorses", "welcomes", "demands", "reaffirms", "underlines", "stresses", "notes", "expresses")
_DESCRIBED = re.compile(r"\b(?:the (?:Force|Mission|Operation)\b|observ(?:er|ation) (?:group|mission)\b|"
                        r"United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group)\b)", re.I)
_MEMBER_STATES = re.compile(r"\bMember\s+States\b", re.I)
_FORCE = re.compile(r"all necessary (?:means|measures)", re.I)


@dataclass
class Example:
    set: str
    res: int                     # index of the resolution within its set
    label: str                   # "3", "3(a)"
    text: str
    verb: str | None
    depth: int
    has_children: bool
    res_missions: list[str]
    rules: set[str]              # the parser's task ids for this paragraph
    gold: set[str] = field(default_factory=set)


def shared_default() -> Path:
    return Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared"))


def parse(shared: Path) -> tuple[dict[str, list[dict]], dict[str, list[dict]], list[Example], int]:
    """Gold entries and the rules' predictions per set, one Example per operative clause, and the
    number of gold pairs whose paragraph label the parser never produced (no example can reach them)."""
    from ingest.loaders import load_file
    from ingest.pipeline import IngestOptions, _hints
    from nlp.extract import Extractor

    extractor = Extractor()
    golds, rules, examples, unreachable = {}, {}, [], 0
    for name, path in SETS.items():
        entries = R.gold(path)
        docs = [load_file(shared / "corpus" / e["corpus"] / e["file"])[0] for e in entries]
        facts = extractor.extract_many([(d.clean, _hints(d, IngestOptions())) for d in docs])
        preds = []
        for i, (e, f) in enumerate(zip(entries, facts)):
            r = f.resolution
            tasks = [] if r is None else [{"task": t.task, "paragraph": t.paragraph} for t in r.tasks]
            preds.append({**{k: e[k] for k in (*R.FIELDS, "cites")}, "tasks": tasks})
            ops = [] if r is None else [c for c in r.clauses if c.part == "operative"]
            labels = {c.paragraph for c in ops}
            by_label: dict[str, set[str]] = {}
            for t in e["tasks"]:
                by_label.setdefault(t["paragraph"], set()).add(t["task"])
            unreachable += sum(len(v) for k, v in by_label.items() if k not in labels)
            ruled: dict[str, set[str]] = {}
            for t in tasks:
                ruled.setdefault(t["paragraph"], set()).add(t["task"])
            seen = set()
            for c in ops:
                if c.paragraph in seen:   # a repeated label: keep the first, as the pair set would
                    continue
                seen.add(c.paragraph)
                examples.append(Example(name, i, c.paragraph, c.text, c.verb, c.paragraph.count("("),
                                        any(x.startswith(c.paragraph + "(") for x in labels),
                                        list(r.missions), ruled.get(c.paragraph, set()),
                                        by_label.get(c.paragraph, set())))
        golds[name], rules[name] = entries, preds
    return golds, rules, examples, unreachable


def embed(texts: list[str]) -> np.ndarray:
    """MiniLM vectors of the clause texts, read from / added to the on-disk cache."""
    from search import Embedder

    emb = Embedder()
    keys = [hashlib.sha1(f"{emb.name}\n{t}".encode()).hexdigest() for t in texts]
    cache: dict[str, np.ndarray] = {}
    if VECTORS.exists():
        with np.load(VECTORS) as z:
            cache = dict(zip(z["keys"].tolist(), z["vectors"]))
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    if missing:
        vecs = emb.encode([t for _, t in missing], threads=1)
        cache.update(zip((k for k, _ in missing), vecs))
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = VECTORS.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())).astype(np.float32))
        tmp.replace(VECTORS)
    print(f"embeddings: {len(texts) - len(missing)} cached, {len(missing)} encoded", file=sys.stderr)
    return np.stack([cache[k] for k in keys]).astype(np.float32)


def cheap(x: Example) -> list[float]:
    """Lead verb, structure and whether a mission (or a force of Member States) is named."""
    named = any(re.search(rf"\b{re.escape(m)}\b", x.text) for m in x.res_missions) or bool(_DESCRIBED.search(x.text))
    return [*(float(x.verb == v) for v in VERBS), float(x.verb not in VERBS), float(x.depth > 0),
            float(x.has_children), float(bool(x.res_missions)), float(named),
            float(bool(_MEMBER_STATES.search(x.text))), float(bool(_FORCE.search(x.text))),
            float(x.text.rstrip().endswith(":")), min(len(x.text.split()), 200) / 100]


def rule_features(x: Example) -> list[float]:
    return [float(bool(x.rules)), *(float(t in x.rules) for t in TASKS)]


def fit(X: np.ndarray, Y: np.ndarray, l2: float, epochs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One-vs-rest logistic regression by full-batch Adam: positives weighted to balance each class."""
    mu, sd = X.mean(0), X.std(0) + 1e-6
    Z = (X - mu) / sd
    n, d = Z.shape
    pos = Y.sum(0)
    w_pos = np.where(pos > 0, (n - pos) / np.maximum(pos, 1), 0.0)   # balanced class weights
    S = np.where(Y > 0, w_pos, 1.0) * (pos > 0)                      # a class never seen is not learned
    W, b = np.zeros((d, Y.shape[1])), np.where(pos > 0, -3.0, -30.0)
    mW, vW, mb, vb = (np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b))
    lr, b1, b2 = 0.05, 0.9, 0.999
    for t in range(1, epochs + 1):
        P = 1 / (1 + np.exp(-(Z @ W + b)))
        G = S * (P - Y) / n
        gW, gb = Z.T @ G + l2 * W, G.sum(0) * (pos > 0)
        mW, vW = b1 * mW + (1 - b1) * gW, b2 * vW + (1 - b2) * gW ** 2
        mb, vb = b1 * mb + (1 - b1) * gb, b2 * vb + (1 - b2) * gb ** 2
        W -= lr * (mW / (1 - b1 ** t)) / (np.sqrt(vW / (1 - b2 ** t)) + 1e-8)
        b -= lr * (mb / (1 - b1 ** t)) / (np.sqrt(vb / (1 - b2 ** t)) + 1e-8)
    return W, b, mu, sd


def proba(model, X: np.ndarray) -> np.ndarray:
    W, b, mu, sd = model
    return 1 / (1 + np.exp(-(((X - mu) / sd) @ W + b)))


def micro_f1(P: np.ndarray, Y: np.ndarray, thr: float) -> float:
    hit = P >= thr
    tp = float((hit & (Y > 0)).sum())
    return 2 * tp / max(hit.sum() + Y.sum(), 1)


THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)


def choose_threshold(X, Y, groups, l2, epochs) -> float:
    """The one threshold that gives the best micro-F1 over inner leave-one-set-out predictions."""
    oof = np.zeros_like(Y, dtype=float)
    for g in np.unique(groups):
        tr = groups != g
        oof[~tr] = proba(fit(X[tr], Y[tr], l2, epochs), X[~tr])
    return float(max(THRESHOLDS, key=lambda t: micro_f1(oof, Y, t)))


def as_predictions(golds: list[dict], exs: list[Example], P: np.ndarray, thr: float) -> list[dict]:
    preds = [{**{k: e[k] for k in (*R.FIELDS, "cites")}, "tasks": []} for e in golds]
    for x, p in zip(exs, P):
        for j in np.flatnonzero(p >= thr):
            preds[x.res]["tasks"].append({"task": TASKS[j], "paragraph": x.label})
    return preds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=shared_default())
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--epochs", type=int, default=300)
    a = ap.parse_args(argv)
    if not (a.shared / "corpus").is_dir():
        print(f"error: no corpus folder under {a.shared} (set --shared or MISSIONGRAPH_SHARED)", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    golds, rules, exs, unreachable = parse(a.shared)
    t_parse = time.perf_counter() - t0
    E = embed([x.text for x in exs])
    t_embed = time.perf_counter() - t0 - t_parse
    C = np.array([cheap(x) for x in exs])
    Rf = np.array([rule_features(x) for x in exs])
    Y = np.array([[float(t in x.gold) for t in TASKS] for x in exs])
    groups = np.array([x.set for x in exs])
    Xs = {"learned": np.hstack([E, C]), "stacked": np.hstack([E, C, Rf])}

    results: dict[str, dict] = {}
    for held in SETS:
        te, tr = groups == held, groups != held
        row = {"rules": R.score(golds[held], rules[held])}
        for kind, X in Xs.items():
            thr = choose_threshold(X[tr], Y[tr], groups[tr], a.l2, a.epochs)
            P = proba(fit(X[tr], Y[tr], a.l2, a.epochs), X[te])
            row[kind] = R.score(golds[held], as_predictions(golds[held], [x for x, m in zip(exs, te) if m], P, thr))
            row[kind]["threshold"] = thr
            if kind == "learned":
                learned = as_predictions(golds[held], [x for x, m in zip(exs, te) if m], P, thr)
                union = [{**r, "tasks": r["tasks"] + [t for t in l["tasks"] if t not in r["tasks"]]}
                         for r, l in zip(rules[held], learned)]
                row["union"] = R.score(golds[held], union)
        results[held] = row
        print(f"  {held}: done ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    total = time.perf_counter() - t0

    pooled = {}
    for kind in ("rules", "learned", "stacked", "union"):
        tp = sum(results[s][kind]["tasks"]["tp"] for s in SETS)
        fp = sum(results[s][kind]["tasks"]["fp"] for s in SETS)
        fn = sum(results[s][kind]["tasks"]["fn"] for s in SETS)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        pooled[kind] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4),
                        "f1": round(2 * p * r / max(p + r, 1e-9), 4)}
    meta = {"examples": len(exs), "positive_examples": int((Y.sum(1) > 0).sum()), "gold_pairs": int(Y.sum()),
            "gold_pairs_unreachable": unreachable, "features": {k: v.shape[1] for k, v in Xs.items()},
            "l2": a.l2, "epochs": a.epochs, "seconds": {"parse": round(t_parse, 1), "embed": round(t_embed, 1),
                                                        "total": round(total, 1)}}
    if a.json:
        print(json.dumps({"meta": meta, "pooled": pooled, "sets": {
            s: {k: {"tasks": v["tasks"], "task_sets": v["task_sets"], **({"threshold": v["threshold"]} if "threshold" in v else {})}
                for k, v in row.items()} for s, row in results.items()}}, indent=1))
        return 0
    fmt = lambda d: f"{d['f1']:.3f} ({d['precision']:.2f}/{d['recall']:.2f})"  # noqa: E731
    print("Tasks micro-F1 (P/R) on (task, paragraph) pairs, leave-one-set-out")
    print(f"{'held-out set':<14}{'pairs':>6}  {'rules':<20}{'learned':<20}{'stacked':<20}{'union':<20}thr l/s")
    for s in SETS:
        row = results[s]
        n = sum(len(e["tasks"]) for e in golds[s])
        print(f"{s + (' *' if s != 'blind2' else ''):<14}{n:>6}  {fmt(row['rules']['tasks']):<20}"
              f"{fmt(row['learned']['tasks']):<20}{fmt(row['stacked']['tasks']):<20}{fmt(row['union']['tasks']):<20}"
              f"{row['learned']['threshold']:.2f}/{row['stacked']['threshold']:.2f}")
    print(f"{'pooled':<14}{int(Y.sum()) + unreachable:>6}  {fmt(pooled['rules']):<20}{fmt(pooled['learned']):<20}"
          f"{fmt(pooled['stacked']):<20}{fmt(pooled['union']):<20}")
    print(f"\n* the rules were tuned on this set: their figure there is optimistic. blind2 was the fair comparison "
          f"until it too was tuned on (2026-11-25).\n{meta['examples']} operative clauses, {meta['positive_examples']} with a task; "
          f"{unreachable} gold pairs sit on a paragraph label the parser never produced (missed by every model). "
          f"Time: parse {t_parse:.0f} s, embed {t_embed:.0f} s, total {total:.0f} s.")
    b = results["blind2"]
    best = max(("learned", "stacked", "union"), key=lambda k: b[k]["tasks"]["f1"])
    delta = b[best]["tasks"]["f1"] - b["rules"]["tasks"]["f1"]
    print(f"Conclusion: on blind2 the best learned variant ({best}) scores {b[best]['tasks']['f1']:.3f} against the "
          f"rules' {b['rules']['tasks']['f1']:.3f} ({delta:+.3f}); pooled over all six held-out sets: rules "
          f"{pooled['rules']['f1']:.3f}, learned {pooled['learned']['f1']:.3f}, stacked {pooled['stacked']['f1']:.3f}, "
          f"union {pooled['union']['f1']:.3f}. blind2 holds {sum(len(e['tasks']) for e in golds['blind2'])} pairs: "
          f"one pair moves F1 by about 0.05, so differences there below ~0.1 are noise.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
