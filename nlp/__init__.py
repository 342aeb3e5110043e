"""Extraction: text in, typed facts (``nlp.facts``) out; never writes.

``Extractor`` loads spaCy lazily; ``parse_paragraphs``, the symbol helpers and ``gazetteer``
are pure Python and cheap to import.
"""

from __future__ import annotations

from nlp import gazetteer
from nlp.structure import Para, parse_paragraphs
from nlp.symbols import (find_dates, find_resolution_refs, format_resolution, normalise_document_symbol,
                         normalise_symbol, parse_date, parse_resolution_input)

__all__ = ["Extractor", "Para", "parse_paragraphs", "gazetteer", "format_resolution", "parse_resolution_input",
           "normalise_document_symbol", "normalise_symbol", "find_resolution_refs", "parse_date", "find_dates"]


def __getattr__(name: str):
    if name == "Extractor":  # spaCy is imported only when extraction is asked for
        from nlp.extract import Extractor

        return Extractor
    raise AttributeError(name)
