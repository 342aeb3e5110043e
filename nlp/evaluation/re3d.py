"""Actors (NER) on the Dstl re3d gold standard: the stock model against our extractor.

re3d's types map to ours as Person, Organisation, Location, Nationality -> State and
Temporal; its other types (Weapon, Quantity, ...) are outside this measure.  A prediction
matches exactly when type and both offsets agree, partially when the type agrees and the spans
overlap (each gold entity is used once).  The headline figure is the micro F1 over
Organisation + Location + Person, the three types both systems name.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from nlp import gazetteer
from nlp.evaluation.report import PRF, Table

TYPES = ("Person", "Organisation", "Location", "State", "Temporal")
HEADLINE = ("Organisation", "Location", "Person")
GOLD_TYPES = {"Person": "Person", "Organisation": "Organisation", "Location": "Location",
              "Nationality": "State", "Temporal": "Temporal"}
STOCK_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
               "FAC": "Location", "NORP": "State", "DATE": "Temporal", "TIME": "Temporal"}
# Our entity types folded onto re3d's: a mission, a UN body or an armed group is an organisation.
OUR_TYPES = {"Mission": "Organisation", "UNBody": "Organisation", "Organisation": "Organisation",
             "ArmedGroup": "Organisation", "Person": "Person", "Location": "Location"}

Span = tuple[int, int, str]


def load(shared: Path) -> list[tuple[str, str, list[Span]]]:
    """(doc id, text, gold spans) for every re3d document, in a stable order."""
    out = []
    for source in sorted(p for p in (shared / "gold" / "re3d").iterdir() if p.is_dir()):
        docs = {}
        for line in (source / "documents.json").read_text(encoding="utf-8-sig").splitlines():
            if line.strip():
                d = json.loads(line)
                docs[d["_id"]] = d["text"]
        gold: dict[str, set[Span]] = {k: set() for k in docs}
        for line in (source / "entities.json").read_text(encoding="utf-8-sig").splitlines():
            if not line.strip():
                continue
            e = json.loads(line)
            typ = GOLD_TYPES.get(e["type"])
            if typ and e["documentId"] in gold:
                gold[e["documentId"]].add((int(e["begin"]), int(e["end"]), typ))
        out += [(k, docs[k], sorted(gold[k])) for k in sorted(docs)]
    return out


def score(gold: list[Span], predicted: list[Span], partial: bool) -> dict[str, PRF]:
    """Per-type counts for one document."""
    out = {t: PRF() for t in TYPES}
    used: set[Span] = set()
    for p in sorted(set(predicted)):
        hit = next((g for g in gold if g not in used and g[2] == p[2] and
                    ((g[0], g[1]) == (p[0], p[1]) if not partial else g[0] < p[1] and p[0] < g[1])), None)
        if hit is None:
            out[p[2]].fp += 1
        else:
            used.add(hit)
            out[p[2]].tp += 1
    for g in gold:
        if g not in used:
            out[g[2]].fn += 1
    return out


_THE = re.compile(r"(?:^|\s)[Tt]he\s+$")
_ACTOR_BEFORE = re.compile(r"\b(?:with|by|ally|between)\s+(?:the\s+)?$", re.I)


def with_determiner(text: str, spans: list[Span]) -> list[Span]:
    """re3d counts a leading "the" as part of an organisation's name; both systems get it."""
    out = []
    for a, b, t in spans:
        m = _THE.search(text, max(0, a - 5), a) if t == "Organisation" else None
        out.append((a - len(m.group(0).lstrip()) if m else a, b, t))
    return out


def stock_spans(doc) -> list[Span]:
    spans = [(e.start_char, e.end_char, STOCK_TYPES[e.label_]) for e in doc.ents if e.label_ in STOCK_TYPES]
    return with_determiner(doc.text, spans)


def our_spans(facts, text: str) -> list[Span]:
    """Our mentions and dates in re3d's terms.  A State named by its demonym is a nationality; a
    State is a place, except after "with", "by", "between" where it acts (an organisation)."""
    out: list[Span] = []
    for m in facts.mentions:
        typ = OUR_TYPES.get(m.type)
        if m.type == "State":
            if gazetteer.is_demonym(m.text):
                typ = "State"
            else:
                typ = "Organisation" if _ACTOR_BEFORE.search(text, max(0, m.start - 30), m.start) else "Location"
        if typ:
            out.append((m.start, m.end, typ))
    out += [(a, b, "Temporal") for a, b in facts.temporal]
    return with_determiner(text, out)


def _run_system(texts: list[str], predict) -> tuple[list[list[Span]], float]:
    t0 = time.perf_counter()
    spans = predict(texts)
    return spans, time.perf_counter() - t0


def _totals(docs, spans: list[list[Span]], partial: bool) -> dict[str, PRF]:
    tot = {t: PRF() for t in TYPES}
    for (_, _, gold), pred in zip(docs, spans):
        for t, c in score(gold, pred, partial).items():
            tot[t] += c
    tot["headline"] = PRF()
    for t in HEADLINE:
        tot["headline"] += tot[t]
    return tot


def run(shared: Path, model: str | None = None, limit: int | None = None, extractor=None) -> list[Table]:
    """One table: P/R/F1 per type, exact and partial, stock model and ours side by side."""
    import spacy

    from missiongraph import settings
    from nlp.extract import Extractor

    model = model or settings.get("spacy_model")
    docs = load(shared)[:limit]
    texts = [t for _, t, _ in docs]
    words = sum(len(t.split()) for t in texts)
    stock = spacy.load(model)
    ours = extractor or Extractor(model)
    ours.extract("warm up")  # load outside the timed run, as the stock model was
    stock_pred, t_stock = _run_system(texts, lambda ts: [stock_spans(d) for d in stock.pipe(ts)])
    our_pred, t_ours = _run_system(texts, lambda ts: [our_spans(f, t) for f, t in
                                                      zip(ours.extract_many([(t, {}) for t in ts]), ts)])
    data: dict = {"documents": len(docs), "words": words,
                  "words_per_s": {"stock": round(words / t_stock), "ours": round(words / t_ours)}}
    rows = []
    for match in ("exact", "partial"):
        s, o = _totals(docs, stock_pred, match == "partial"), _totals(docs, our_pred, match == "partial")
        data[match] = {"stock": {k: v.as_dict() for k, v in s.items()}, "ours": {k: v.as_dict() for k, v in o.items()}}
        for t in (*TYPES, "headline"):
            label = "Org+Loc+Person" if t == "headline" else t
            rows.append([match, label, s[t].tp + s[t].fn, s[t].precision, s[t].recall, s[t].f1,
                         o[t].precision, o[t].recall, o[t].f1, round(100 * (o[t].f1 - s[t].f1), 1)])
    note = (f"{len(docs)} documents, {words} words; words/s stock {data['words_per_s']['stock']}, "
            f"ours {data['words_per_s']['ours']} (ours also runs rules, gazetteer and resolution parsing)")
    return [Table("Actors / NER on re3d: stock en_core_web_sm vs ours",
                  ["match", "type", "gold", "stock P", "stock R", "stock F1", "our P", "our R", "our F1", "ΔF1 pts"],
                  rows, data, note)]
