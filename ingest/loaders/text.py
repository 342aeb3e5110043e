"""Plain text and Markdown: stored as decoded; UN text exports get their furniture stripped."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders._common import decode_text, read_bytes
from ingest.pdfclean import clean_document, un_title

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def load_text(path: Path, *, encoding: str | None = None, **_) -> list[LoadedDocument]:
    text, meta = decode_text(path, read_bytes(path), encoding)
    title = un_title(text) or _first_line(text)
    doc = LoadedDocument(source=str(path), text=text, format="txt", title=title, meta=meta)
    clean_document(doc)
    return [doc]


def load_markdown(path: Path, *, encoding: str | None = None, **_) -> list[LoadedDocument]:
    text, meta = decode_text(path, read_bytes(path), encoding)
    title = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        m = re.search(r"^title:\s*['\"]?(.+?)['\"]?\s*$", fm.group(1), re.M)
        title = m.group(1) if m else None
    if title is None:
        title = un_title(text)
    if title is None:
        m = _MD_HEADING.search(text)
        title = m.group(1).strip() if m else _first_line(text)
    return [LoadedDocument(source=str(path), text=text, format="md", title=title, meta=meta)]


def _first_line(text: str) -> str | None:
    """A short first line makes a fallback title (a long one is prose, not a title)."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 150 else None
    return None
