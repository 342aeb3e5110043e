"""Strip UN page furniture (job numbers, barcodes, page counters, running symbol headers).

United Nations documents carry, on every page, a running header with the document symbol
(``S/2025/403``) and a footer with the job number and page counter (``25-09041 2/20`` or
``3/20 25-09041``); the first page adds a job line (``25-09041 (E)    300625``) and a
barcode (``*2509041*``).  pypdf emits the header and footer at the top of each page's text,
so in a text export they sit in the middle of sentences.

``strip_furniture`` removes whole lines only (plus the blank lines around them), keeping
everything meaningful (the first-page "United Nations  S/2025/403" line, the date, the
"Original:" line, the title).  It returns the cleaned body and ``segments`` so that
``LoadedDocument.to_stored`` maps every body offset back exactly; for a text export it
also infers the page spans from the ``N/M`` counters.  Nothing is de-hyphenated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.document import LoadedDocument

JOB_LINE = re.compile(r"^\s*\d{2}-\d{5}\*?\s*\([A-Z]\)(?:\s+\d{6})*\s*$")
BARCODE = re.compile(r"^\s*\*\d{7,8}\*\s*$")
COUNTER = re.compile(r"^\s*(?:\d{2}-\d{5}\s+(?P<a>\d{1,3})/(?P<am>\d{1,3})|(?P<b>\d{1,3})/(?P<bm>\d{1,3})\s+\d{2}-\d{5})\s*$")
RECYCLE = re.compile(r"^\W*Please\s+recycle\W*$", re.I)
SYMBOL_ONLY = re.compile(r"^\s*(?P<sym>[A-Z]{1,5}(?:/[A-Za-z0-9.\-]+)+(?:\s*\(\d{4}\))?)\s*$")
FIRST_PAGE_HEADER = re.compile(
    r"^\s*United Nations\s+(?P<sym>[A-Z]{1,5}(?:/[A-Za-z0-9.\-]+)+(?:\s*\(\d{4}\))?)\*?\s*$")  # * = reissued


@dataclass
class Cleaned:
    body: str
    segments: list[tuple[int, int, int]]
    pages: list[tuple[int, int]] | None      # inferred from N/M counters; None when there are none
    removed: int                             # furniture lines dropped
    symbol: str | None                       # symbol from the first-page header, if seen


def _norm_symbol(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, line) for each line, split on "\n" only (``splitlines`` also splits on
    form feeds and other separators, which would misalign page-break handling)."""
    out, pos = [], 0
    for line in text.split("\n"):
        end = min(pos + len(line) + 1, len(text))
        if pos < len(text):
            out.append((pos, end, text[pos:end]))
        pos += len(line) + 1
    return out


def looks_like_un_document(text: str) -> bool:
    """True when the text has UN page furniture (a job line, a barcode or a page counter)."""
    head = text[:5000]
    for line in head.split("\n"):
        if JOB_LINE.match(line) or BARCODE.match(line):
            return True
    return any(COUNTER.match(line) for line in text.split("\n"))


def strip_furniture(text: str, *, symbol: str | None = None) -> Cleaned | None:
    """Cleaned body and offset map for a UN document's text, or None when it has no furniture."""
    lines = _lines(text)
    hard = [bool(JOB_LINE.match(l) or BARCODE.match(l) or COUNTER.match(l) or RECYCLE.match(l)) for _, _, l in lines]
    if not any(hard):
        return None
    header_symbol = None
    for _, _, l in lines[:15]:
        m = FIRST_PAGE_HEADER.match(l)
        if m:
            header_symbol = m.group("sym")
            break
    wanted = {_norm_symbol(s) for s in (header_symbol, symbol) if s}
    blank = [not l.strip() for _, _, l in lines]
    furniture = list(hard)
    for i, (_, _, l) in enumerate(lines):
        m = SYMBOL_ONLY.match(l)
        if not m or hard[i]:
            continue
        if _norm_symbol(m.group("sym")) in wanted or _next_to_counter(lines, blank, i):
            furniture[i] = True
    drop = _drop_runs(lines, blank, furniture)
    kept: list[tuple[int, int]] = []
    for i, (s, e, _) in enumerate(lines):
        if drop[i]:
            continue
        if kept and kept[-1][1] == s:
            kept[-1] = (kept[-1][0], e)
        else:
            kept.append((s, e))
    segments, parts, b = [], [], 0
    for s, e in kept:
        segments.append((b, s, e - s))
        parts.append(text[s:e])
        b += e - s
    if not segments:
        segments = [(0, 0, 0)]
    return Cleaned("".join(parts), segments, _pages_from_counters(text, lines, furniture),
                   sum(furniture), header_symbol)


def _next_to_counter(lines, blank, i: int) -> bool:
    """A symbol-only line whose nearest non-blank neighbour (either side) is a page counter."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and blank[j]:
            j += step
        if 0 <= j < len(lines) and COUNTER.match(lines[j][2]):
            return True
    return False


def _drop_runs(lines, blank, furniture) -> list[bool]:
    """Drop furniture lines and the blank lines between and after them.

    A run is a maximal stretch of furniture and blank lines holding at least one furniture
    line.  Blank lines before the run's first furniture line are kept (they may end a
    paragraph or precede a heading) unless they are page breaks (form feeds) or the
    sentence plainly runs on across the break.
    """
    drop = [False] * len(lines)
    i = 0
    while i < len(lines):
        if not (furniture[i] or blank[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and (furniture[j] or blank[j]):
            j += 1
        run = range(i, j)
        first = next((k for k in run if furniture[k]), None)
        if first is not None:
            joins = _mid_sentence(lines, i - 1, j)
            for k in run:
                if k >= first or joins or "\f" in lines[k][2]:
                    drop[k] = True
        i = j
    return drop


def _mid_sentence(lines, before: int, after: int) -> bool:
    """True when the text around a page break reads on: no end punctuation, then lower case."""
    if before < 0 or after >= len(lines):
        return False
    prev, nxt = lines[before][2].rstrip(), lines[after][2].lstrip()
    return bool(prev) and prev[-1] not in ".:;!?)]" and nxt[:1].islower()


def _pages_from_counters(text: str, lines, furniture) -> list[tuple[int, int]] | None:
    """Page spans from ``N/M`` counters: pypdf puts each page's header block at its top."""
    starts: dict[int, int] = {}
    total, last = None, 0
    for i, (_, _, line) in enumerate(lines):
        m = COUNTER.match(line)
        if not m:
            continue
        n, t = int(m.group("a") or m.group("b")), int(m.group("am") or m.group("bm"))
        total = total or t
        if t != total or not (last < n <= t) or n < 2:
            continue
        first, k = i, i - 1  # the page starts at the block's first furniture line
        while k >= 0 and (furniture[k] or not lines[k][2].strip()):
            if furniture[k]:
                first = k
            k -= 1
        starts[n], last = lines[first][0], n
    if not starts:
        return None
    n_pages = max(starts)
    page_start = {1: 0}
    nxt = len(text)
    for n in range(n_pages, 1, -1):
        nxt = starts.get(n, nxt)
        page_start[n] = nxt
    return [(page_start[n], page_start[n + 1] if n < n_pages else len(text)) for n in range(1, n_pages + 1)]


def clean_document(doc: LoadedDocument) -> LoadedDocument:
    """Set ``body``/``segments`` (and ``pages`` for text exports) on a UN document, in place."""
    cleaned = strip_furniture(doc.text, symbol=doc.meta.get("filename_symbol"))
    if cleaned is None:
        return doc
    doc.body = cleaned.body
    doc.segments = cleaned.segments
    if doc.pages is None and cleaned.pages:
        doc.pages = cleaned.pages
    doc.meta["furniture_lines_removed"] = cleaned.removed
    if cleaned.symbol:
        doc.meta["header_symbol"] = cleaned.symbol
    title = un_title(doc.text)
    if title:
        doc.title = title
    return doc


_HEADER_BITS = re.compile(
    r"United Nations|Security Council|General Assembly|Distr\.:\s*\w+|Original:\s*\w+|"
    r"English|French|Spanish|Arabic|Chinese|Russian|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|"
    r"[A-Z]{1,5}(?:/[A-Za-z0-9.\-]+)+(?:\s*\(\d{4}\))?\*?|\d{2}-\d{5}\*?\s*\([A-Z]\)(?:\s+\d{6})*|\*\d{7,8}\*")


def un_title(text: str) -> str | None:
    """The title block of a UN document: the first block after the masthead.

    Applies only when the text opens with the masthead line ("United Nations  S/2025/403");
    masthead blocks (council, distribution, date, original language, job number, barcode)
    and bracketed notes are skipped; a block opening with a paragraph number ends the search.
    """
    head = text[:6000]
    first = next((l for l in head.split("\n") if l.strip()), "")
    if not FIRST_PAGE_HEADER.match(first):
        return None
    block: list[str] = []
    for line in head.split("\n") + [""]:
        if line.strip() and not (JOB_LINE.match(line) or BARCODE.match(line)):
            block.append(line.strip())
            continue
        if not block or (line.strip() and block):
            continue
        while block and not _HEADER_BITS.sub("", block[0]).strip():
            block.pop(0)  # masthead lines
        if not block or block[0].startswith("["):
            block = []
            continue
        stop = next((k for k, l in enumerate(block) if re.match(r"(?:\d+\.\s|The Security Council,)", l)), None)
        block = block[:stop]
        return " ".join(" ".join(block).split())[:300] or None
    return None
