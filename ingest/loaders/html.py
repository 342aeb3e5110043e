"""HTML via the standard library's parser: scripts and styles dropped, blocks become paragraphs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ingest.document import LoadedDocument
from ingest.loaders._common import decode_text, fail, read_bytes

_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "pre",
    "ul", "ol", "dl", "li", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "figure",
    "figcaption", "form", "fieldset", "address", "details", "summary", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "body", "html",
}
_CELL = {"td", "th"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "track", "wbr"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


class _Extractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str | int] = []  # inline text, and ints for line breaks (1 or 2)
        self.skip = 0                    # depth inside skipped elements
        self.pre = 0
        self.title: list[str] = []
        self.in_title = False
        self.h1: list[str] | None = None
        self.in_h1 = False
        self.row_cells = 0

    def _break(self, n: int = 2) -> None:
        self.parts.append(n)

    def text(self) -> str:
        """Inline text with each run of breaks collapsed to its largest (a blank line at most)."""
        out: list[str] = []
        pending = 0
        for part in self.parts:
            if isinstance(part, int):
                pending = max(pending, part)
            else:
                if pending:
                    out.append("\n" * pending)
                    pending = 0
                out.append(part)
        return "".join(out)

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
            return
        if tag in _SKIP:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if tag == "br":
            self.parts.append("\n")  # a literal break: <br><br> stays a blank line
        elif tag in _CELL:
            if self.row_cells:
                self.parts.append(" | ")
            self.row_cells += 1
        elif tag in _BLOCK:
            self._break(1 if tag in ("li", "tr", "dt", "dd") else 2)
            if tag == "tr":
                self.row_cells = 0
            if tag == "pre":
                self.pre += 1
            if tag == "h1" and self.h1 is None:
                self.in_h1, self.h1 = True, []

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
            return
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _BLOCK:
            self._break(1 if tag in ("li", "tr", "dt", "dd") else 2)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag == "h1":
                self.in_h1 = False

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
            return
        if self.skip:
            return
        if not self.pre:
            data = re.sub(r"\s+", " ", data)
        if self.in_h1 and self.h1 is not None:
            self.h1.append(data)
        self.parts.append(data)


def _tidy(raw: str) -> str:
    """Trim each line, drop spaces around breaks, and keep at most one blank line."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in raw.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _declared_charset(data: bytes) -> str | None:
    """A ``<meta charset>`` worth obeying: only when the bytes are not already valid UTF-8."""
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii")
    try:
        "".encode(name)
        data.decode("utf-8")
    except LookupError:
        return None
    except UnicodeDecodeError:
        return name
    return None


def load_html(path: Path, *, encoding: str | None = None, **_) -> list[LoadedDocument]:
    data = read_bytes(path)
    if encoding is None:
        encoding = _declared_charset(data)
    text, meta = decode_text(path, data, encoding)
    p = _Extractor()
    try:
        p.feed(text)
        p.close()
    except Exception as e:  # html.parser is lenient; anything raised here is a broken file
        raise fail(path, f"cannot parse HTML ({e})", e) from e
    body = _tidy(p.text())
    if not body.strip():
        raise fail(path, "empty document (no visible text in the HTML)")
    title = re.sub(r"\s+", " ", "".join(p.title)).strip() or None
    if not title and p.h1:
        title = re.sub(r"\s+", " ", "".join(p.h1)).strip() or None
    return [LoadedDocument(source=str(path), text=body, format="html", title=title, meta=meta)]
