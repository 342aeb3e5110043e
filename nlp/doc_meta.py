"""Document-level facts from the text's header: kind, symbol, title, date, reporting period."""

from __future__ import annotations

import re

from missiongraph.errors import InputError
from nlp.facts import DOCUMENT_KINDS, ResolutionRef
from nlp.structure import is_resolution_text
from nlp.symbols import (_DATE, _match_iso, find_resolution_refs, format_resolution, normalise_document_symbol,
                         normalise_symbol, parse_date, symbol_from_filename)

_HEAD = 4000
_RES_HEADER = re.compile(r"\bS/RES/(\d{1,4})\s*\((\d{4})\)")
_RES_TITLE = re.compile(r"^\s*(?:Resolution|RESOLUTION)\s+(\d{1,4})\s*\((\d{4})\)", re.M)
_DOC_HEADER = re.compile(r"\bS/(\d{4})/(\d{1,4})((?:/(?:Add|Rev|Corr)\.\s?\d+)*)")
_ADOPTED = re.compile(r"Adopted\s+by\s+the\s+Security\s+Council\s+at\s+its\s+[\w,-]+\s+meeting,?\s+on\s+", re.I)
_OF_DATE = re.compile(r"^\s*of\s+", re.I)
_DISTR = re.compile(r"Distr\.?\s*:\s*\w+\s+", re.I)
_SG_REPORT = re.compile(r"Report of the Secretary[- ]General", re.I)
_LETTER = re.compile(r"^\s*(?:Identical\s+)?[Ll]etters?\s+dated\b", re.M)
_AAR = re.compile(r"after[- ]action\s+(?:review|report)|\bAAR\b", re.I)
_LESSON = re.compile(r"lessons?[- ]learned|lessons? identified", re.I)
_PERIOD = re.compile(
    r"(?:period|covers|developments|reporting)[^.]{0,160}?\bfrom\s+(\d{1,2})(?:\s+([A-Z][a-z]+))?(?:\s+(\d{4}))?"
    r"\s+(?:to|until|through)\s+(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})")
_PURSUANT = re.compile(r"\b(?:pursuant\s+to|in\s+accordance\s+with|as\s+requested\s+in|in\s+response\s+to)\b", re.I)


def _date_after(text: str, pos: int) -> str | None:
    m = _DATE.search(text, pos, pos + 60)
    return _match_iso(m) if m and m.start() - pos < 25 else None


def detect_symbol(text: str, hints: dict) -> str | None:
    if hints.get("symbol"):
        sym = normalise_symbol(str(hints["symbol"]))
        if sym is None:
            raise InputError(f"not a document symbol: {hints['symbol']!r}", input=str(hints["symbol"]))
        return sym
    head = text[:_HEAD]
    fname = symbol_from_filename(hints.get("source"))
    m = _RES_HEADER.search(head[:800]) or _RES_TITLE.search(head)
    if m:
        found = format_resolution(int(m.group(1)), int(m.group(2)))
        # a file named with number and year (S_RES_0434_1978) outranks a mistyped year in the heading
        if fname and "(" in fname and fname.split(" (")[0] == found.split(" (")[0]:
            return fname
        return found
    m = _DOC_HEADER.search(head[:400])
    if m and not (fname and fname.startswith("S/RES/")):
        return normalise_document_symbol(m.group(0).replace(" ", ""))
    if fname and fname.startswith("S/RES/") and "(" not in fname:
        m = re.search(rf"\b(?:S/RES/|[Rr]esolution\s+){fname.split('/')[-1]}\s*\((\d{{4}})\)", head)
        if m:
            return f"{fname} ({m.group(1)})"
    return fname


def detect_kind(text: str, hints: dict, symbol: str | None) -> str:
    kind = hints.get("kind")
    if kind:
        if kind not in DOCUMENT_KINDS:
            raise InputError(f"unknown document kind {kind!r}; use one of {', '.join(DOCUMENT_KINDS)}", input=kind)
        return kind
    head = text[:_HEAD]
    if hints.get("fields") and any(k in hints["fields"] for k in ("lesson_text", "recommendation_text",
                                                                   "driving_event_text")):
        return "lesson"
    if (symbol or "").startswith("S/RES/") or is_resolution_text(text):
        return "resolution"
    if _SG_REPORT.search(head):
        return "sg_report"
    if _LETTER.search(head):
        return "letter"
    if _AAR.search(head):
        return "after_action"
    if _LESSON.search(head[:1500]):
        return "lesson"
    return "other"


def detect_date(text: str, hints: dict, kind: str) -> str | None:
    if hints.get("date"):
        return parse_date(str(hints["date"]))
    meta = hints.get("meta") or {}
    for key in ("date", "lesson_date", "adopted"):
        if meta.get(key):
            try:
                return parse_date(str(meta[key])[:10])
            except InputError:
                pass
    head = text[:_HEAD]
    if kind == "resolution":
        m = _ADOPTED.search(head) or _ADOPTED.search(text[-3000:])
        if m:
            src = head if _ADOPTED.search(head) else text[-3000:]
            iso = _date_after(src, m.end())
            if iso:
                return iso
        m = _RES_TITLE.search(head)
        if m:
            rest = head[m.end():m.end() + 80]
            o = _OF_DATE.match(rest)
            if o:
                iso = _date_after(rest, o.end())
                if iso:
                    return iso
    m = _DISTR.search(head)
    if m:
        iso = _date_after(head, m.end())
        if iso:
            return iso
    m = _DATE.search(head[:1500])
    return _match_iso(m) if m else None


def detect_title(text: str, hints: dict, kind: str, symbol: str | None) -> str | None:
    if hints.get("title"):
        return str(hints["title"]).strip()
    head = text[:_HEAD]
    if kind == "resolution" and symbol and symbol.startswith("S/RES/"):
        return "Resolution " + symbol[len("S/RES/"):]
    m = _SG_REPORT.search(head)
    if kind == "sg_report" and m:
        subject: list[str] = []
        for line in reversed(head[:m.start()].splitlines()[:-1] if not head[:m.start()].endswith("\n")
                             else head[:m.start()].splitlines()):
            line = line.strip()
            if not line:
                if subject:
                    break
                continue
            if re.search(r"Distr|Original|\d{2}-\d{5}|S/\d{4}|^\*|^\d{1,2} \w+ \d{4}$", line):
                break
            subject.insert(0, line)
        if subject:
            return " ".join(" ".join(subject).split()) + ": Report of the Secretary-General"
        return "Report of the Secretary-General"
    m = _LETTER.search(head)
    if m:
        end = re.search(r"\n\s*\n", head[m.start():])
        return " ".join(head[m.start():m.start() + (end.start() if end else 200)].split())[:300]
    for line in head.splitlines():
        line = line.strip().lstrip("#").strip()
        if len(line) > 3 and not re.search(r"United Nations\s+S/|^Distr|^\*|^\d{2}-\d{5}|^S/", line):
            return line[:200]
    return None


def reporting_period(text: str) -> tuple[str, str] | None:
    m = _PERIOD.search(text[:8000])
    if not m:
        return None
    try:
        end = parse_date(m.group(4))
    except InputError:
        return None
    month = m.group(2) or m.group(4).split()[1]
    year = m.group(3) or end[:4]
    try:
        start = parse_date(f"{m.group(1)} {month} {year}")
    except InputError:
        return None
    if start > end and not m.group(3):
        start = parse_date(f"{m.group(1)} {month} {int(year) - 1}")
    return (start, end)


def pursuant_to(text: str, refs: list[ResolutionRef] | None = None) -> list[ResolutionRef]:
    """References the document says it answers ("submitted pursuant to paragraph 49 of ...")."""
    refs = find_resolution_refs(text, 0, min(len(text), 6000)) if refs is None else refs
    out = []
    for m in _PURSUANT.finditer(text, 0, min(len(text), 6000)):
        near = [r for r in refs if m.end() <= r.start <= m.end() + 60]
        if near:
            first = near[0]
            out.append(first)
            # a list: "resolutions 2709 (2023) and 2765 (2024)" shares the opening
            nxt = [r for r in refs if r.start > first.start and r.start - first.end < 12]
            out.extend(nxt[:3])
    seen, uniq = set(), []
    for r in out:
        if r.symbol not in seen:
            seen.add(r.symbol)
            uniq.append(r)
    return uniq
