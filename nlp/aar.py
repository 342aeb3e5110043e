"""Lesson records from an after-action report's own structure, one record per labelled block.

Reports written to a lessons format repeat a small set of labels: Topic / Observation /
Discussion / Conclusion / Recommendation (the JLLIS shape), Observation / Insight / Lesson
(OIL), or numbered Findings each followed by its recommendations.  Each block of labels is
one lesson, with every label's text in its field; the report's other prose is left to the
section and sentence rules of ``nlp.lessons``.

A document is read this way only when the labels recur (at least two records): a report with
one "Observations" section and one "Recommendations" section is not a list of records, and
pairing its items by position would invent links the author did not make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.facts import Lesson

# label word -> lesson field
FIELDS = {
    "topic": "title", "issue": "title", "subject": "title", "title": "title",
    "observation": "observation", "finding": "observation", "event": "observation",
    "discussion": "discussion", "insight": "discussion", "analysis": "discussion",
    "conclusion": "conclusion",
    "lesson": "lesson", "lesson identified": "lesson", "lesson learned": "lesson", "lesson learnt": "lesson",
    "recommendation": "recommendation", "recommended action": "recommendation",
}
ORDER = ("title", "observation", "discussion", "conclusion", "lesson", "recommendation")

_LABEL = re.compile(
    r"^[ \t]*(?:[#>]+[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?P<label>topics?|issues?|subject|title|observations?|findings?|events?|discussion|insights?|analysis|"
    r"conclusions?|lessons?[ \t]+(?:identified|learned|learnt)|lessons?|recommendations?|recommended[ \t]+actions?)"
    r"(?:[ \t]+(?:no\.?[ \t]*)?(?P<num>\d+(?:\.\d+)*[a-z]?))?"
    r"[ \t]*(?:\*\*|__)?[ \t]*(?P<sep>[:.\u2013\u2014]|-(?=\s)|(?=\n)|\Z)[ \t]*(?:\*\*|__)?[ \t]*",
    re.I | re.M)
# a heading line: markdown, a multi-level number ("2.1 Medical evacuation"; "1." starts a list item),
# a Roman numeral, or capitals
_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+\S.*|(?:\d+(?:\.\d+)+\.?|[IVX]+\.)[ \t]+[A-Z][^.!?:\n]{0,60}"
                      r"|(?:\d+\.?[ \t]+)?[A-Z][A-Z0-9 ,;'&()/-]{3,80})[ \t]*$", re.M)

# a heading naming a section of records ("3. Observations and recommendations"), not one record
_SECTION = re.compile(r"\b(?:observations|recommendations|lessons|findings|insights)\b", re.I)


@dataclass
class _Record:
    start: int
    end: int = 0
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    last: int = -1   # index in ORDER of the last field filled


def _field(label: str) -> str:
    words = " ".join(label.lower().split())
    words = re.sub(r"s\b", "", words) if words not in ("analysis", "discussion") else words
    return FIELDS.get(words, FIELDS.get(words.split()[0], "observation"))


def _clean(text: str) -> str:
    lines = [re.sub(r"^[ \t]*(?:[-*\u2022]|\d+[.)])[ \t]+", "", ln).strip() for ln in text.strip().splitlines()]
    return " ".join(ln.strip("*_ ") for ln in lines if ln.strip("*_ ")).strip()


def _labels(text: str) -> list[tuple[int, int, str]]:
    """(label start, text start, field) of every label line; a label in prose ("Observation of the
    ceasefire ...") is not one: a label ends in a colon, a dash, a full stop or the line's end."""
    out = []
    for m in _LABEL.finditer(text):
        if m.group("sep") == "." and m.end() < len(text) and text[m.end():m.end() + 1].islower():
            continue
        name = _field(m.group("label"))
        rest = text[m.end():text.find("\n", m.end()) if "\n" in text[m.end():] else len(text)]
        if text[m.start():m.end()].lstrip().startswith("#") and rest.strip():
            name = "title"   # "### Finding 2: Police handover ..." names the block; "### Observation" labels it
        out.append((m.start(), m.end(), name))
    return out


def records(text: str) -> list[Lesson]:
    """One Lesson per labelled block, or none when the labels do not recur (see the module)."""
    labels = _labels(text)
    if len(labels) < 3:
        return []
    recs: list[_Record] = []
    for i, (a, b, name) in enumerate(labels):
        end = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        rank = ORDER.index(name)
        cur = recs[-1] if recs else None
        if cur is None or _starts_record(cur, name, rank):
            cur = _Record(a)
            recs.append(cur)
        body_end = _stop(text, b, end)
        cur.spans.setdefault(name, []).append((b, body_end))
        cur.last = max(cur.last, rank)
        cur.end = body_end
    full = [r for r in recs if len(r.spans) >= 2 or set(r.spans) - {"title"}]
    if sum(1 for r in full if len(set(r.spans) - {"title"}) >= 2) < 2:
        return []
    out = []
    for r in full:
        title = _title_of(text, r)
        got = {f: " ".join(_clean(text[s:e]) for s, e in spans) or None for f, spans in r.spans.items()
               if f != "title"}
        if not any(got.values()):
            continue
        start = _heading_before(text, r.start, out[-1].end if out else 0)
        if title is None and start < r.start:
            title = _clean(text[start:r.start].lstrip("# "))
        out.append(Lesson(start, r.end, title, got.get("observation"), got.get("recommendation"), got.get("lesson"),
                          "text", discussion=got.get("discussion"), conclusion=got.get("conclusion")))
    return out


def _starts_record(cur: _Record, name: str, rank: int) -> bool:
    """A topic, an observation (the block's anchor) after one, or a field that comes back after
    later ones, opens the next record; the same field again (Recommendation 1.1, 1.2) does not."""
    if name == "title":
        return bool(cur.spans)
    if name == "observation":
        return cur.last >= rank
    return name in cur.spans and rank < cur.last


def _stop(text: str, a: int, b: int) -> int:
    """Where a label's text ends: the next label, or a heading line that is not the next record's title."""
    for m in _HEADING.finditer(text, a, b):
        if m.start() > a and not _LABEL.match(text, m.start()):
            return len(text[:m.start()].rstrip()) if text[a:m.start()].strip() else m.start()
    return len(text[:b].rstrip())


def _title_of(text: str, r: _Record) -> str | None:
    spans = r.spans.get("title")
    if not spans:
        return None
    s, e = spans[0]
    first = text[s:e].strip().splitlines()
    return _clean(first[0]) if first else None


def _heading_before(text: str, start: int, floor: int) -> int:
    """The start of a heading line right above a record (its title when it has no Topic label)."""
    before = text[floor:start].rstrip()
    line_start = before.rfind("\n") + 1
    line = before[line_start:]
    if line and _HEADING.fullmatch(line) and not _LABEL.match(line) and not _SECTION.search(line):
        return floor + line_start
    return start
