"""Symbol normalisation shared by every layer: users type symbols loosely, we store one form."""

from __future__ import annotations

import re

from missiongraph.errors import InputError

_RES_INPUT = re.compile(
    r"""^\s*(?:S\s*/\s*RES\s*/\s*|(?:UNSC\s*)?res(?:olution)?\.?\s*)?   # optional prefix
        (?P<num>\d{1,5})\s*
        (?:\(\s*(?P<year>\d{4})\s*\))?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_DOC_SYMBOL = re.compile(r"^\s*S\s*/\s*(\d{4})\s*/\s*(\d+)((?:\s*/\s*(?:Add|Rev|Corr)\.\s*\d+)*)\s*$", re.I)


def format_resolution(number: int, year: int | None) -> str:
    """The stored form, ``S/RES/425 (1978)``; without a year, ``S/RES/425``."""
    return f"S/RES/{int(number)} ({year})" if year else f"S/RES/{int(number)}"


def parse_resolution_input(text: str) -> tuple[int, int | None]:
    """Accept ``425``, ``425 (1978)``, ``S/RES/425(1978)``, ``resolution 425``."""
    m = _RES_INPUT.match(text or "")
    if not m:
        raise InputError(f"not a resolution symbol: {text!r} (try 'S/RES/425 (1978)' or '425')", input=text)
    year = int(m.group("year")) if m.group("year") else None
    return int(m.group("num")), year


def normalise_document_symbol(text: str) -> str | None:
    """``s/2025/403`` -> ``S/2025/403``; ``S/2025/10/add.31`` -> ``S/2025/10/Add.31``."""
    m = _DOC_SYMBOL.match(text or "")
    if not m:
        return None
    tail = "".join(
        "/" + part.strip().capitalize()
        for part in re.findall(r"(?:Add|Rev|Corr)\.\s*\d+", m.group(3) or "", re.I)
    ).replace(" ", "")
    return f"S/{m.group(1)}/{int(m.group(2))}{tail}"


def normalise_symbol(text: str) -> str | None:
    """Best stored form of any symbol a user typed, or None if it is not one."""
    try:
        number, year = parse_resolution_input(text)
        return format_resolution(number, year)
    except InputError:
        return normalise_document_symbol(text)
