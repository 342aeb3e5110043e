"""Template helpers that split text into pieces; templates wrap the marked pieces.

Nothing here builds HTML: ``mark_spans`` returns ``(piece, matched)`` pairs and the
template puts ``<mark>`` around matched pieces, so autoescaping covers every character.
"""

from __future__ import annotations

import os


def mark_spans(text: str | None, spans) -> list[tuple[str, bool]]:
    """Split ``text`` at ``[start, end]`` spans (a search result's ``why.spans``), flagging the
    pieces inside one; out-of-range spans are clipped and overlapping ones merged, never trusted."""
    text = text or ""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans or ()):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], False))
    return out


def basename(path: str | None) -> str:
    return os.path.basename(path or "") or (path or "")


def register_filters(app) -> None:
    app.add_template_filter(mark_spans, "mark_spans")
    app.add_template_filter(basename, "basename")
