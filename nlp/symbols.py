"""Symbols, resolution references and dates in UN text.

Loose user input is parsed by ``missiongraph.symbols`` (shared by every layer; re-exported
here); this module adds the text-side finders: resolution references with their spans and
the paragraph they point at, dates in running text, and symbol hints from file names.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from missiongraph.errors import InputError
from missiongraph.symbols import (format_resolution, normalise_document_symbol, normalise_symbol,
                                  parse_resolution_input)
from nlp.facts import ResolutionRef

__all__ = ["format_resolution", "parse_resolution_input", "normalise_document_symbol",
           "normalise_symbol", "find_resolution_refs", "parse_date", "find_dates",
           "find_document_symbols", "symbol_from_filename", "MONTHS"]

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DMY = rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH})\s*,?\s+(?P<y>\d{{4}})"
_MDY = rf"(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
_ISO = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
_DATE = re.compile(rf"\b(?:{_DMY}|{_MDY}|{_ISO})\b")

# "637 (1989)", and "637 1989" where scanning lost the brackets (a year of the Council's life only).
_ITEM = r"(\d{1,4})\s*(?:\(\s*(\d{4})\s*\)|\s(19[4-9]\d|20[0-4]\d)\b(?!\s*\())"
# A separator lost or misread in scanning ("450 (1979) 489 (1979)", "1974. 368 (1975)") is read as a comma
# when a bracketed item follows.
_SEP = r"(?:\s+of\s+\d{1,2}\s+[A-Z][a-z]+(?:\s+\d{4})?)?(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*|[.\s]\s*(?=\d{1,4}\s*\(\s*\d{4}\s*\)))"
_RES_LIST = re.compile(
    rf"(?P<para>\b[Pp]aragraphs?\s+(?P<pn>\d{{1,3}}(?:\s*\([a-z]{{1,4}}\))*(?:\s*(?:-|–|to|and)\s*\d{{1,3}})?)"
    rf"\s+of\s+(?:its\s+|the\s+)?(?:Security\s+Council\s+)?)?\b[Rr]esolutions?\s+"
    rf"(?P<list>{_ITEM}(?:{_SEP}{_ITEM})*)"
)
_RES_ITEM = re.compile(_ITEM)
_RES_SYMBOL = re.compile(r"\bS\s*/\s*RES\s*/\s*(\d{1,4})\s*\(\s*(\d{4})\s*\)", re.I)
_DOC_SYMBOL = re.compile(r"\bS/(\d{4})/(\d{1,4})((?:/(?:Add|Rev|Corr)\.\s?\d+)*)")
_RES_NAME = re.compile(r"^S_RES_0*(\d{1,4})(?:_\(?(\d{4})\)?)?(?=[_.]|$)", re.I)
_DOC_NAME = re.compile(r"^S_(\d{4})_(\d+)((?:_(?:Add|Rev|Corr)\.\d+)*)(?=[_.]|$)", re.I)


def _iso(y: str, m: str, d: str) -> str | None:
    month = MONTHS.get(m.lower().rstrip(".")) if not m.isdigit() else int(m)
    try:
        return date(int(y), int(month), int(d)).isoformat() if month else None
    except ValueError:
        return None


def _match_iso(m: re.Match) -> str | None:
    if m.group("d"):
        return _iso(m.group("y"), m.group("m"), m.group("d"))
    if m.group("d2"):
        return _iso(m.group("y2"), m.group("m2"), m.group("d2"))
    return _iso(m.group("y3"), m.group("m3"), m.group("d3"))


def parse_date(text: str) -> str:
    """ISO date of ``text`` ("30 April 2026", "April 30, 2026", "2026-04-30")."""
    m = _DATE.fullmatch((text or "").strip())
    iso = _match_iso(m) if m else None
    if iso is None:
        raise InputError(f"not a date: {text!r} (try '30 April 2026' or '2026-04-30')", input=text)
    return iso


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(iso, start, end) for each full date written in ``text[start:end]``."""
    out = []
    for m in _DATE.finditer(text, start, len(text) if end is None else end):
        iso = _match_iso(m)
        if iso:
            out.append((iso, m.start(), m.end()))
    return out


def find_resolution_refs(text: str, start: int = 0, end: int | None = None) -> list[ResolutionRef]:
    """Every "resolution N (YYYY)" (lists included) and "S/RES/N (YYYY)" in ``text``."""
    end = len(text) if end is None else end
    refs: list[ResolutionRef] = []
    for m in _RES_LIST.finditer(text, start, end):
        para = " ".join(m.group("pn").split()).replace(" (", "(") if m.group("para") else None
        first = True
        for it in _RES_ITEM.finditer(text, m.start("list"), m.end("list")):
            s = m.start() if first else it.start()
            refs.append(ResolutionRef(format_resolution(int(it.group(1)), int(it.group(2) or it.group(3))), s, it.end(),
                                      para if first else None))
            first = False
    seen = {(r.start, r.end) for r in refs}
    covered = [(r.start, r.end) for r in refs]
    for m in _RES_SYMBOL.finditer(text, start, end):
        if (m.start(), m.end()) in seen or any(a <= m.start() < b for a, b in covered):
            continue
        refs.append(ResolutionRef(format_resolution(int(m.group(1)), int(m.group(2))), m.start(), m.end()))
    refs.sort(key=lambda r: r.start)
    return refs


def find_document_symbols(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(symbol, start, end) for each S/YYYY/N[/Add.N] document symbol in the text."""
    out = []
    for m in _DOC_SYMBOL.finditer(text, start, len(text) if end is None else end):
        sym = normalise_document_symbol(m.group(0).replace(" ", ""))
        if sym:
            out.append((sym, m.start(), m.end()))
    return out


def symbol_from_filename(path: str | None) -> str | None:
    """Symbol hint from a UN-style file name (S_RES_2779.txt, S_2025_10_Add.31.en.pdf)."""
    if not path:
        return None
    name = PurePath(str(path)).name
    m = _RES_NAME.match(name)
    if m:
        return format_resolution(int(m.group(1)), int(m.group(2)) if m.group(2) else None)
    m = _DOC_NAME.match(name)
    if m:
        return normalise_document_symbol(f"S/{m.group(1)}/{m.group(2)}{m.group(3).replace('_', '/')}")
    return None
