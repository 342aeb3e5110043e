"""What a loader hands to the pipeline: stored text, cleaned body and the map between them.

A loader keeps the document's full extracted text (``text``, what the store keeps and what
every span points into) and a cleaned ``body`` with page furniture (running headers,
footers, job numbers, barcodes) removed.  Chunking and extraction work on ``body``;
``to_stored`` maps a body offset back into ``text`` so provenance survives the cleaning.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field


@dataclass
class LoadedDocument:
    source: str                      # absolute path of the file
    text: str                        # stored text; all spans point into it
    format: str                      # txt, md, html, pdf, docx, jsonl, csv
    title: str | None = None
    record: str | None = None        # record id for a JSONL/CSV row, else None
    body: str | None = None          # cleaned text; None means same as ``text``
    # Sorted (body_start, stored_start, length) runs: body[b:b+n] == text[s:s+n].
    segments: list[tuple[int, int, int]] | None = None
    # (start, end) of each page in ``text``; page number = index + 1.  None: no pages.
    pages: list[tuple[int, int]] | None = None
    # For records: field name -> (start, end) of that field's text inside ``text``.
    field_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Loose metadata: date, url, organisation, kind/symbol hints from the file name ...
    meta: dict = field(default_factory=dict)

    @property
    def clean(self) -> str:
        return self.text if self.body is None else self.body

    def to_stored(self, offset: int) -> int:
        """Map an offset in ``clean`` to the matching offset in ``text``."""
        if self.segments is None:
            return offset
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return self.segments[0][1] if self.segments else offset
        b, s, n = self.segments[i]
        return s + min(offset - b, n)

    def page_of(self, stored_offset: int) -> int | None:
        """1-based page holding a stored offset, or None when the format has no pages."""
        if not self.pages:
            return None
        starts = [p[0] for p in self.pages]
        i = bisect.bisect_right(starts, stored_offset) - 1
        return max(i, 0) + 1


@dataclass
class Chunk:
    """A passage cut from ``LoadedDocument.clean``: offsets are into the clean body."""

    text: str
    start: int
    end: int
    paragraph: str | None = None     # "12", "3(a)(i)", "PP4"; None where unnumbered
    section: str | None = None       # nearest heading, e.g. "II. Political developments"
