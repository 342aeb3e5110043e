"""Word documents via python-docx (imported lazily): paragraphs and tables in document order."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders._common import fail, read_bytes


def load_docx(path: Path, **_) -> list[LoadedDocument]:
    try:
        import docx
        from docx.table import Table
    except ImportError as e:
        raise fail(path, "reading .docx needs python-docx: pip install 'python-docx>=1.1'", e) from e
    data = read_bytes(path)
    if not data.startswith(b"PK"):
        raise fail(path, "not a .docx file (not a ZIP package; an old binary .doc?)")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise fail(path, f"corrupt or truncated .docx ({e})", e) from e
    except Exception as e:  # python-docx raises assorted errors on a broken package
        raise fail(path, f"cannot open .docx ({type(e).__name__}: {e})", e) from e
    blocks: list[str] = []
    title = None
    headings: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(_table_lines(item))
            continue
        text = _clean(item.text)
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        if style == "Title" and title is None:
            title = text
        elif style.startswith("Heading"):
            headings.append(text)
            blocks.append("")  # headings stand on their own line after a blank line
        blocks.append(text)
        if style.startswith("Heading"):
            blocks.append("")
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(blocks)).strip()
    if not body:
        raise fail(path, "empty document (no text in the .docx)")
    props = document.core_properties
    title = (props.title or "").strip() or title or (headings[0] if headings else None)
    meta = {}
    if props.author:
        meta["author"] = props.author
    if props.created:
        meta["created"] = props.created.date().isoformat()
    return [LoadedDocument(source=str(path), text=body + "\n", format="docx", title=title, meta=meta)]


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text.replace("\r", "")).strip()


def _table_lines(table) -> list[str]:
    """One line per row, cells joined by `` | ``; merged cells (repeated objects) once."""
    lines = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(_clean(cell.text.replace("\n", " ")))
        if any(cells):
            lines.append(" | ".join(cells))
    return [""] + lines + [""] if lines else []
