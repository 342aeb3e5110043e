"""Collective actors the statistical model misses: "Iraqi security forces", "the Government of
Mali", "the Asad regime", "Coalition forces".

In mission reporting the actor of a sentence is as often a national force or a government as a
named group; these phrases become Organisation mentions (the State they belong to is kept as
``country``).  Rules over the text, using the gazetteer's State names and demonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp import gazetteer

_HEADS = (r"(?i:(?:security|armed|defen[cs]e(?:\s+and\s+security)?|military|police|government|opposition|rebel|"
          r"coalition|partner|allied|national|federal|regular|special|tactical|ground|naval)?\s*"
          r"(?:forces|troops|soldiers|army|navy|air\s+force|police|military|government|authorities|regime|"
          r"opposition|militias?|fighters|units?|gendarmerie|partners))")
_ADJ = r"(?i:(?:(?:security|armed|defen[cs]e|military|special|tactical|ground|pro-government|government|opposition|" \
       r"national|federal|regular)\s+){0,2})"


@dataclass
class Group:
    text: str
    start: int
    end: int
    country: str | None     # entity id of the State the group belongs to


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    names = set()
    for e in gazetteer.entries("State"):
        names.update(s for s in e.surfaces if " " not in s or len(s.split()) <= 3)
    names |= {"Coalition"}   # "ISIL fighters" stays a mention of ISIL itself (the gazetteer's armed group)
    alt = "|".join(sorted((re.escape(n) for n in names if n[:1].isupper()), key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?P<the>[Tt]he)\s+)?(?:"
        rf"(?P<mod>{alt})\s+{_ADJ}(?P<head>{_HEADS})\b"
        rf"|(?:(?:Federal|Transitional|Interim|National|Central)\s+)?"
        rf"(?P<gov>[Gg]overnment|[Aa]uthorities|[Aa]rmed [Ff]orces)\s+of\s+(?:the\s+)?(?P<of>{alt})\b"
        rf"|(?P<lead>[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\s+(?P<reg>regime|government)\b"
        rf"|(?P<coal>(?:Global\s+)?Coalition(?:\s+{_ADJ}(?:forces|troops|aircraft|partners|members|military forces))?)\b)")


def groups(text: str) -> list[Group]:
    """Collective-actor phrases in ``text``, with the leading "the" when written."""
    out = []
    for m in _pattern().finditer(text):
        owner = m.group("mod") or m.group("of")
        if m.group("lead") and not (gazetteer.lookup(m.group("lead")) or _is_name(m.group("lead"))):
            continue
        entry = gazetteer.lookup(owner) if owner else None
        country = entry.id if entry is not None and entry.type == "State" else None
        if m.group("lead") and m.group("reg") == "government" and country is None:
            continue  # "Transitional government" is not an actor name
        out.append(Group(m.group(0), m.start(), m.end(), country))
    return out


def _is_name(word: str) -> bool:
    return word not in {"The", "This", "That", "Its", "Their", "Our", "New", "Former", "Transitional", "Interim",
                        "National", "Federal", "Local", "Central", "Provincial", "Syrian"} and not word.endswith("ed")
