"""JSONL and CSV: every record (line or row) becomes one ``LoadedDocument``.

The record's stored text is its text fields, each as ``"Label\\n<value>\\n\\n"``, with
``field_spans`` giving each value's span; the id field names the record, the title field
gives its title, and every other non-empty field goes to ``meta``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Iterable

from ingest.document import LoadedDocument
from ingest.loaders._common import decode_text, fail, read_bytes

ID_NAMES = ("id", "lesson_number", "lesson_id", "doc_id", "uuid", "number")
TITLE_NAMES = ("title", "name", "subject")
TEXT_NAMES = ("text", "body", "content", "abstract", "description", "summary")
LONG_TEXT = 80          # mean characters that make an unnamed string field "text"


def load_jsonl(path: Path, *, id_field=None, title_field=None, text_fields=None, encoding=None,
               **_) -> list[LoadedDocument]:
    text, enc_meta = decode_text(path, read_bytes(path), encoding)
    rows: list[tuple[int, dict]] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise fail(path, f"line {n}: invalid JSON ({e.msg} at column {e.colno})", e) from e
        if not isinstance(obj, dict):
            raise fail(path, f"line {n}: expected a JSON object, got {type(obj).__name__}")
        rows.append((n, obj))
    if not rows:
        raise fail(path, "empty file (no JSON records)")
    return _records(path, "jsonl", rows, "line", id_field, title_field, text_fields, enc_meta)


def load_csv(path: Path, *, id_field=None, title_field=None, text_fields=None, encoding=None,
             **_) -> list[LoadedDocument]:
    text, enc_meta = decode_text(path, read_bytes(path), encoding)
    csv.field_size_limit(2**31 - 1)
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[tuple[int, dict]] = []
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise fail(path, "CSV has no header row")
        names = _unique([h.strip() or f"column{i + 1}" for i, h in enumerate(header)])
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append((reader.line_num, dict(zip(names, values))))
    except csv.Error as e:
        raise fail(path, f"line {reader.line_num}: malformed CSV ({e})", e) from e
    if not rows:
        raise fail(path, "CSV has a header but no rows")
    return _records(path, "csv", rows, "row", id_field, title_field, text_fields, enc_meta)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _field_order(rows: Iterable[tuple[int, dict]]) -> list[str]:
    order: dict[str, None] = {}
    for _, r in rows:
        for k in r:
            order.setdefault(k, None)
    return list(order)


def _pick(fields: list[str], wanted: str | None, defaults: tuple[str, ...], what: str, path: Path) -> str | None:
    if wanted is not None:
        if wanted not in fields:
            raise fail(path, f"{what} field {wanted!r} not found (fields: {', '.join(fields)})")
        return wanted
    lower = {f.lower(): f for f in fields}
    return next((lower[d] for d in defaults if d in lower), None)


def _as_text(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return ""  # numbers are metadata, not prose
    if isinstance(value, list):
        return "; ".join(s for s in (_as_text(v) for v in value) if s)
    return ""


def _text_fields(rows, fields: list[str], exclude: set[str], path: Path, kind: str) -> list[str]:
    named = [f for f in fields if f not in exclude and (f.lower() in TEXT_NAMES or f.lower().endswith("_text"))]
    if named:
        return named
    long = []
    for f in fields:
        if f in exclude:
            continue
        values = [r[f] for _, r in rows if isinstance(r.get(f), str) and r[f].strip()]
        if not values or all(v.strip().startswith(("http://", "https://")) for v in values):
            continue
        if sum(len(v) for v in values) / len(values) >= LONG_TEXT:
            long.append(f)
    if not long:
        col = "column" if kind == "csv" else "field"
        raise fail(path, f"no text {col} found (have: {', '.join(fields)}); name one with text_fields "
                         f"(--text-field), or use {', '.join(TEXT_NAMES)} or a *_text {col}")
    return long


def label_of(field: str) -> str:
    """``driving_event_text`` -> ``Driving event``; ``abstract`` -> ``Abstract``."""
    name = re.sub(r"[_\-\s]+text$", "", field, flags=re.I) or field
    name = re.sub(r"[_\-\s]+", " ", name).strip()
    return name[:1].upper() + name[1:]


def _record_id(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _records(path: Path, fmt: str, rows, where: str, id_field, title_field, text_fields, enc_meta) -> list[LoadedDocument]:
    fields = _field_order(rows)
    idf = _pick(fields, id_field, ID_NAMES, "id", path)
    titlef = _pick(fields, title_field, TITLE_NAMES, "title", path)
    if text_fields:
        missing = [f for f in text_fields if f not in fields]
        if missing:
            raise fail(path, f"text field(s) {', '.join(map(repr, missing))} not found (fields: {', '.join(fields)})")
        texts = list(text_fields)
    else:
        texts = _text_fields(rows, fields, {idf, titlef}, path, fmt)
    docs, seen = [], set()
    for n, row in rows:
        parts, spans, pos = [], {}, 0
        for f in texts:
            value = _as_text(row.get(f))
            if not value:
                continue
            head = f"{label_of(f)}\n"
            spans[f] = (pos + len(head), pos + len(head) + len(value))
            piece = f"{head}{value}\n\n"
            parts.append(piece)
            pos += len(piece)
        if not parts:
            continue  # a record with no text has nothing to search or extract
        rid = _record_id(row.get(idf)) if idf else None
        rid = rid or f"{where}-{n}"
        if rid in seen:
            rid = f"{rid}#{n}"
        seen.add(rid)
        meta = {k: v for k, v in row.items() if k not in texts and k not in (idf, titlef)
                and v not in (None, "", [], {})}
        meta.setdefault(where, n)
        meta.update(enc_meta)
        title = _as_text(row.get(titlef)) if titlef else ""
        docs.append(LoadedDocument(source=str(path), text="".join(parts), format=fmt, title=title or None,
                                   record=rid, field_spans=spans, meta=meta))
    if not docs:
        raise fail(path, f"no record has any text in {', '.join(texts)}")
    return docs
