"""Template helpers that split text into pieces; templates wrap the marked pieces.

Nothing here builds HTML: ``mark_terms`` returns ``(piece, matched)`` pairs and the
template puts ``<mark>`` around matched pieces, so autoescaping covers every character.
"""

from __future__ import annotations

import os
import re

_WORD = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset("a an and are as at be by for from has have in is it of on or that the this to was were "
                  "what when where which who will with".split())


def query_terms(query: str | None, limit: int = 32) -> list[str]:
    terms: list[str] = []
    for t in _WORD.findall((query or "").lower()):
        if len(t) > 1 and t not in _STOP and t not in terms:
            terms.append(t)
    return terms[:limit]


def mark_terms(text: str | None, query: str | None) -> list[tuple[str, bool]]:
    """Split ``text`` into pieces, flagging whole words (or word prefixes) of the query."""
    text = text or ""
    terms = query_terms(query)
    if not terms:
        return [(text, False)]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\w*",
                         re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def basename(path: str | None) -> str:
    return os.path.basename(path or "") or (path or "")


def register_filters(app) -> None:
    app.add_template_filter(mark_terms, "mark_terms")
    app.add_template_filter(basename, "basename")
