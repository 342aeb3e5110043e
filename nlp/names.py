"""Name resolution: which known actor a written name refers to, tolerant of how names vary.

Lists and reports spell one actor many ways: upper or mixed case, with or without diacritics,
hyphens and apostrophes ("AL-SHABAAB", "Al Shabaab", "al-Shabaab"), a person's names in
either order ("BADEGE, Eric"), an acronym in brackets.  ``NameIndex`` keys every known name
several ways, from strict to loose, and answers only when a key points at exactly one actor:
an ambiguous name stays unresolved rather than merging two actors.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

__all__ = ["normalise", "keys", "variants", "NameIndex", "Resolution", "LEVELS"]

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "‐": "-"})
_PARTICLES = {"al", "el", "ul", "as", "ad", "ar", "an", "at", "az", "ash", "the"}


def normalise(name: str) -> str:
    """Case, accents, quotes and punctuation folded: "Al-Shabaab’s" and "AL SHABAAB'S" agree."""
    s = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"\(original script[^)]*\)", " ", s)
    s = re.sub(r"[^\w\s]", " ", re.sub(r"'s\b", "", s).replace("'", ""))
    return " ".join(s.split())


LEVELS = ("spelling", "particles", "spacing", "word order")


def keys(name: str) -> dict[str, str]:
    """The name's key at each level, strict to loose: spelling (case, accents, punctuation), without "al-"/"the" particles,
    without spaces, words in sorted order."""
    base = normalise(name)
    if not base:
        return {}
    toks = [t for t in base.split() if t not in _PARTICLES] or base.split()
    return {"spelling": base, "particles": " ".join(toks), "spacing": "".join(toks), "word order": " ".join(sorted(toks))}


def variants(name: str) -> list[str]:
    """The name, and for "Long Name (LN)" also "Long Name" and "LN"."""
    out = [name]
    inner = re.search(r"\(([^)]+)\)", name)
    if inner and "original script" not in inner.group(1).lower():
        out += [re.sub(r"\s*\([^)]*\)", " ", name).strip(), inner.group(1).strip()]
    return [v for v in out if normalise(v)]


@dataclass
class Resolution:
    id: str
    rule: str            # the level whose key agreed: "spelling", "particles", "spacing", "word order"


class NameIndex:
    """Known names -> actor ids; ``resolve`` refuses a key shared by two actors (no false merges)."""

    def __init__(self) -> None:
        self._index: dict[str, dict[str, set[str]]] = {level: defaultdict(set) for level in LEVELS}

    def add(self, actor_id: str, name: str) -> None:
        for v in variants(name):
            for level, key in keys(v).items():
                self._index[level][key].add(actor_id)

    def resolve(self, name: str) -> Resolution | None:
        wanted = [keys(v) for v in variants(name)]   # each variant's keys, computed once
        for level in LEVELS:
            for k in wanted:
                key = k.get(level)
                ids = self._index[level].get(key) if key else None
                if ids:
                    return Resolution(next(iter(ids)), level) if len(ids) == 1 else None
        return None
