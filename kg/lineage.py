"""Mandate lineage: how each tasked clause of a mission's mandate changed from one resolution
to the next, and which mandate was in force on a date.

Pure functions over the clause and resolution dicts the store returns, computed when asked,
so documents can be ingested in any order: an older resolution ingested late slots in.
A clause is matched to the clause of the previous resolution that carries the same task and
reads most alike; the change is "new", "kept", "reworded" (with a word diff), "strengthened"
or "weakened" (the lead verb moved up or down the scale below); clauses of the previous
resolution whose task no clause carries any more are "dropped".
"""

from __future__ import annotations

import calendar
import difflib
import re
from datetime import date

# How strongly a lead verb binds: a decision or an authorisation outranks a request, which
# outranks an exhortation.
VERB_STRENGTH = {"decides": 5, "authorizes": 5, "authorises": 5, "mandates": 5, "directs": 5, "establishes": 5,
                 "extends": 5, "demands": 4, "requests": 3, "instructs": 3, "entrusts": 3, "approves": 3,
                 "endorses": 3, "calls upon": 2, "calls on": 2, "urges": 2, "encourages": 1, "invites": 1}
SAME_TEXT = 0.97      # word similarity at or above which a clause counts as kept as it was
MATCH_FLOOR = 0.0     # any clause of the same task in the standing mandate is a forerunner
ACTING = ("establish", "extend", "modify")


def words(text: str) -> list[str]:
    """The clause's words without its paragraph label, for comparison."""
    text = re.sub(r"^\s*(?:\d{1,3}\.|\([a-z]{1,4}\)|[ivx]+\.)\s*", "", text or "")
    return re.findall(r"[\w’'-]+|[^\w\s]", text)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, words(a), words(b), autojunk=False).ratio()


def word_diff(old: str, new: str) -> list[dict]:
    """Word-level edits: [{"op": "equal"|"delete"|"insert"|"replace", "old", "new"}]."""
    a, b = words(old), words(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        out.append({"op": op, "old": " ".join(a[i1:i2]), "new": " ".join(b[j1:j2])})
    return out


def strength(verb: str | None) -> int:
    return VERB_STRENGTH.get((verb or "").lower(), 0)


def compare(prev: list[dict], cur: list[dict]) -> tuple[list[dict], list[dict]]:
    """Link each (task, clause) of ``cur`` to its forerunner in ``prev``.

    Entries are task dicts {"task", "paragraph", "verb", "text", "clause_id", ...}.  Returns
    (cur entries each with "change", "previous_clause", "similarity" and, when reworded,
    "diff"; dropped entries of prev with "change": "dropped").
    """
    used: set[int] = set()
    out = []
    for t in cur:
        best, best_score = None, MATCH_FLOOR
        for i, p in enumerate(prev):
            if p["task"] != t["task"] or i in used:
                continue
            score = similarity(p["text"], t["text"])
            if score >= best_score:
                best, best_score = i, score
        entry = dict(t)
        if best is None:
            entry.update(change="new", previous_clause=None, similarity=None)
        else:
            used.add(best)
            p = prev[best]
            entry.update(previous_clause=p["clause_id"], similarity=round(best_score, 3),
                         change=_change(p, t, best_score))
            if entry["change"] != "kept":
                entry["diff"] = word_diff(p["text"], t["text"])
        out.append(entry)
    carried = {t["task"] for t in cur}
    dropped = [{**p, "change": "dropped"} for i, p in enumerate(prev) if i not in used and p["task"] not in carried]
    return out, dropped


def _change(prev: dict, cur: dict, score: float) -> str:
    a, b = strength(prev.get("verb")), strength(cur.get("verb"))
    if b > a:
        return "strengthened"
    if b < a:
        return "weakened"
    return "kept" if score >= SAME_TEXT else "reworded"


def mandate_end(res: dict) -> str | None:
    """The last day of the mandate a resolution gives: its stated date, else adoption + period."""
    if res.get("mandate_until"):
        return res["mandate_until"]
    period, adopted = res.get("mandate_period"), res.get("adopted")
    m = re.fullmatch(r"P(\d+)([MY])", period or "")
    if not (m and adopted):
        return None
    months = int(m.group(1)) * (12 if m.group(2) == "Y" else 1)
    y, mo, d = (int(x) for x in adopted.split("-"))
    y, mo = y + (mo - 1 + months) // 12, (mo - 1 + months) % 12 + 1
    return date(y, mo, min(d, calendar.monthrange(y, mo)[1])).isoformat()


def in_force(resolutions: list[dict], on: str) -> list[dict]:
    """The resolutions whose mandate held on ``on`` (ISO): the last establishing or extending one
    adopted by then, if its end (when known) is not past, and the modifications adopted after it.
    ``resolutions`` must be in date order."""
    upto = [r for r in resolutions if r.get("adopted") and r["adopted"] <= on and r.get("action") in ACTING]
    base = next((i for i in range(len(upto) - 1, -1, -1) if upto[i]["action"] in ("establish", "extend")), None)
    if base is None:
        return []
    end = mandate_end(upto[base])
    if end is not None and end < on:
        return []
    return upto[base:]
