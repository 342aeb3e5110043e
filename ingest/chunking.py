"""Cut a loaded document's clean body into passages for search and provenance.

Numbered paragraphs (and their sub-items) become passages of their own that keep their
label ("12", "3(a)(i)", "PP4"); a paragraph longer than ``max_words`` is split at sentence
boundaries into several passages with the same label.  Unnumbered prose is grouped under
its heading and packed into passages of up to ``max_words``.  Record documents (JSONL,
CSV) are cut field by field, so no passage straddles two fields.

Offsets are into ``doc.clean``; ``Chunk.text`` is the slice with whitespace collapsed.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from ingest.document import Chunk, LoadedDocument

# Words before a full stop that do not end a sentence.
_ABBREV = {
    "no", "nos", "para", "paras", "art", "arts", "e.g", "i.e", "cf", "etc", "vs", "viz", "al", "approx",
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "messrs", "mme", "mlle", "h.e", "gen", "lt", "col", "maj",
    "capt", "sgt", "cpl", "pvt", "brig", "adm", "cmdr", "rev", "hon", "amb", "sen", "rep", "gov", "pres",
    "add", "corr", "vol", "vols", "p", "pp", "ch", "chap", "sect", "sec", "fig", "figs", "ref", "op", "cit",
    "ibid", "inc", "ltd", "co", "corp", "dept", "univ", "ave", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "est", "min", "max", "approx",
}
# A candidate boundary: end punctuation, optional closing quotes/brackets, whitespace, then
# something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9•])")
_LABEL_ONLY = re.compile(r"\s*(?:\d{1,3}|[A-Z]|[IVXL]{1,5}|\([a-z]{1,3}\))\.")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans (trimmed) in ``text[start:end]``, avoiding abbreviations and initials."""
    end = len(text) if end is None else end
    spans, s = [], start
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start()
        if text[dot] == "." and _LABEL_ONLY.fullmatch(text, s, dot + 1):
            continue  # "12. Decides ...": the paragraph number is not a sentence
        if text[dot] == ".":
            w = _WORD_BEFORE.search(text, max(start, dot - 20), dot + 1)
            if w:
                word = w.group(1).lower()
                if word in _ABBREV or len(word) == 1 or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
                    continue
        cut = m.end()
        spans.append((s, cut))
        s = cut
    spans.append((s, end))
    return [t for t in (_trim(text, a, b) for a, b in spans) if t]


def _trim(text: str, a: int, b: int) -> tuple[int, int] | None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return (a, b) if a < b else None


def _words(text: str, a: int, b: int) -> int:
    return len(text[a:b].split())


def _split_long(text: str, a: int, b: int, max_words: int) -> list[tuple[int, int]]:
    """Split one over-long sentence at clause marks (; :), then on words."""
    clauses, s = [], a
    for m in re.finditer(r"[;:]\s+", text[a:b]):
        clauses.append((s, a + m.end()))
        s = a + m.end()
    clauses.append((s, b))
    clauses = [t for t in (_trim(text, x, y) for x, y in clauses) if t]
    out: list[tuple[int, int]] = []
    for x, y in _pack(text, clauses, max_words):
        if _words(text, x, y) <= max_words:
            out.append((x, y))
            continue
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[x:y])]
        for i in range(0, len(words), max_words):
            group = words[i:i + max_words]
            out.append((x + group[0][0], x + group[-1][1]))
    return out


def _pack(text: str, spans: list[tuple[int, int]], max_words: int) -> list[tuple[int, int]]:
    """Greedily join consecutive spans while the total stays within ``max_words``."""
    out: list[tuple[int, int]] = []
    count = 0
    for a, b in spans:
        n = _words(text, a, b)
        if out and count + n <= max_words:
            out[-1] = (out[-1][0], b)
            count += n
        else:
            out.append((a, b))
            count = n
    return out


def split_passage(text: str, a: int, b: int, max_words: int) -> list[tuple[int, int]]:
    """Pieces of ``text[a:b]`` of at most ``max_words`` words, cut at sentence boundaries.

    A single sentence up to ``max_words * 1.25`` stays whole; a longer one is cut at
    clause marks and then on words.
    """
    span = _trim(text, a, b)
    if span is None:
        return []
    a, b = span
    if _words(text, a, b) <= max_words:
        return [(a, b)]
    hard = max_words + max_words // 4
    pieces: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, a, b):
        pieces.extend([(s, e)] if _words(text, s, e) <= hard else _split_long(text, s, e, max_words))
    return _pack(text, pieces, max_words)


def _norm(s: str | None) -> str:
    return " ".join((s or "").split()).strip(" .:").lower()


def _blocks(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Blank-line separated blocks of ``text[a:b]``, trimmed."""
    out, s = [], a
    for m in re.finditer(r"\n[ \t\f\v\r]*\n\s*", text[a:b]):
        out.append((s, a + m.start()))
        s = a + m.end()
    out.append((s, b))
    return [t for t in (_trim(text, x, y) for x, y in out) if t]


class _Packer:
    """Collects unnumbered prose under one heading and emits packed passages."""

    def __init__(self, text: str, max_words: int, emit: Callable[[int, int, str | None, str | None], None]):
        self.text, self.max_words, self.emit = text, max_words, emit
        self.cur: tuple[int, int] | None = None
        self.count = 0
        self.section: str | None = None

    def add(self, a: int, b: int, section: str | None) -> None:
        if self.cur is not None and section != self.section:
            self.flush()
        self.section = section
        n = _words(self.text, a, b)
        if self.cur is not None and self.count + n <= self.max_words:
            self.cur, self.count = (self.cur[0], b), self.count + n
            return
        self.flush()
        pieces = split_passage(self.text, a, b, self.max_words)
        for s, e in pieces[:-1]:
            self.emit(s, e, None, section)
        if pieces:
            self.cur = pieces[-1]
            self.count = _words(self.text, *self.cur)

    def flush(self) -> None:
        if self.cur is not None:
            self.emit(self.cur[0], self.cur[1], None, self.section)
        self.cur, self.count = None, 0


def _collect(text: str) -> tuple[list[Chunk], Callable[[int, int, str | None, str | None], None]]:
    chunks: list[Chunk] = []

    def emit(a: int, b: int, label: str | None, section: str | None) -> None:
        span = _trim(text, a, b)
        if span is None:
            return
        piece = " ".join(text[span[0]:span[1]].split())
        if not any(ch.isalnum() for ch in piece):
            return
        chunks.append(Chunk(text=piece, start=span[0], end=span[1], paragraph=label, section=section))

    return chunks, emit


def chunk_text(text: str, paras: Iterable, *, max_words: int = 200) -> list[Chunk]:
    """Passages of ``text`` given its paragraphs (``nlp.structure.Para``-like objects)."""
    chunks, emit = _collect(text)
    paras = sorted(paras, key=lambda p: (p.start, -p.end))
    headings = {_norm(p.heading): p.heading for p in paras if p.heading}
    longer: dict[str, str] = {}       # heading -> heading with its wrapped second line
    packer = _Packer(text, max_words, emit)
    heading: str | None = None
    after_heading = False             # the last block seen was a heading line

    def section(h: str | None) -> str | None:
        return longer.get(h, h) if h else h

    def prose(a: int, b: int) -> None:
        nonlocal heading, after_heading
        for x, y in _blocks(text, a, b):
            key = _norm(text[x:y])
            if key in headings:  # the heading line itself becomes the section, not a passage
                heading, after_heading = headings[key], True
                continue
            if after_heading and heading and _wrapped_heading_tail(text[x:y]):
                longer[heading] = f"{heading} {' '.join(text[x:y].split())}"
                after_heading = False
                continue
            after_heading = False
            packer.add(x, y, section(heading))

    cursor = 0
    for i, p in enumerate(paras):
        start = max(p.start, cursor)
        end = p.end
        if i + 1 < len(paras):
            end = min(end, max(paras[i + 1].start, start))  # a parent never repeats its children
        if start > cursor:
            prose(cursor, start)
        heading = p.heading
        if end <= start:
            continue
        if p.label:
            after_heading = False
            packer.flush()
            stop = _heading_inside(text, start, end, headings)  # a span that ran on into a heading
            for s, e in split_passage(text, start, stop, max_words):
                emit(s, e, p.label, section(p.heading))
            if stop < end:
                prose(stop, end)
        else:
            prose(start, end)
        cursor = end
    if cursor < len(text):
        prose(cursor, len(text))
    packer.flush()
    chunks.sort(key=lambda c: c.start)
    return chunks


def _wrapped_heading_tail(block: str) -> bool:
    """A short unpunctuated line right after a heading: the heading's wrapped second line."""
    words = block.split()
    if not words or "\n" in block.strip() or block.rstrip()[-1] in ".:;!?,":
        return False
    return len(words) <= 4 or (len(words) <= 10 and words[0][0].islower())


def _heading_inside(text: str, a: int, b: int, headings: dict) -> int:
    """Start of the first blank-line block after the first that is a known heading, else ``b``."""
    for x, _y in _blocks(text, a, b)[1:]:
        if _norm(text[x:_y]) in headings:
            return x
    return b


def chunk_document(doc: LoadedDocument, *, max_words: int = 200, kind: str | None = None) -> list[Chunk]:
    """Passages of ``doc.clean``; ``kind`` ("resolution", "sg_report", ...) guides the parser."""
    if max_words < 1:
        raise ValueError("max_words must be positive")
    text = doc.clean
    if doc.field_spans:
        return _chunk_fields(doc, text, max_words)
    from nlp.structure import parse_paragraphs

    resolution = None if kind is None else kind == "resolution"
    return chunk_text(text, parse_paragraphs(text, resolution=resolution), max_words=max_words)


def _chunk_fields(doc: LoadedDocument, text: str, max_words: int) -> list[Chunk]:
    """One field at a time: prose packed within the field, section = the field's name.

    Field spans are stored offsets; records are never cleaned, so they are body offsets too.
    """
    chunks, emit = _collect(text)
    for name, (a, b) in sorted(doc.field_spans.items(), key=lambda kv: kv[1][0]):
        packer = _Packer(text, max_words, emit)
        for x, y in _blocks(text, a, b):
            packer.add(x, y, name)
        packer.flush()
    chunks.sort(key=lambda c: c.start)
    return chunks
