"""Places the statistical model misses or mistypes, from how reports write them.

- a capitalised name after a locative preposition ("near Tessalit", "in al-Khums", "around Beni");
- a named feature: "Mount Elgon", "Camp Castor", "Kariba Dam", "Kidal Military Airfield";
- cues that make a name a place wherever the model put it: "the town of X", "X, Mali",
  "in the vicinity of X" (used to correct the model's type, see ``place_cue``).

Rules over the text, no tagger; every rule refuses months, days, institutions and the like.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp import gazetteer, orgnames

# A name word: capitalised, with the Arabic article written in lower case kept ("al-Khums", "Dar es-Salaam").
_WORD = r"(?:(?:al|el|ad|ar|as|ash|at|az|an|ed|en|er|es|et)-)?[A-Z](?:[\w-]|[’'](?!s\b))*\w"   # not "Mali’s"
_LINK = r"(?:\s+(?:al|el|ad|ar|as|az|an|bin|ibn|de|du|des|la|le)(?=\s+[A-Z]))?"
_NAME = rf"{_WORD}(?:{_LINK}\s+{_WORD}){{0,3}}"

_LOCATIVE = re.compile(rf"(?<![\w-])(?:[Nn]ear|[Ii]n|[Aa]t|[Aa]round|[Oo]utside|[Ii]nside|[Ii]nto|[Tt]owards?|"
                       rf"[Aa]cross|[Tt]hrough|[Ww]ithin|[Oo]utskirts\s+of|[Vv]icinity\s+of)\s+(?P<name>{_NAME})")

# Words that begin or end a name that is not a place.
NOT_PLACE = frozenset("""
January February March April May June July August September October November December Jan Feb Mar Apr Jun Jul
Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday Spring Summer Autumn Winter
Ramadan Eid Christmas Easter Thanksgiving Operation Operations Exercise Resolution Resolutions Article Articles
Chapter Paragraph Annex Section Part Phase Council Committee Commission Assembly Parliament Congress Senate
Government Ministry Department Office Court Tribunal Mission Force Forces Army Navy Police Secretariat Agency
Arabic English French Spanish Russian Chinese Kurdish Islam Christianity Twitter Facebook Instagram Flickr
YouTube I We He She They It This That These Those The A An Our Their His Her Its Some Many Most All Each
Every No Both Other Such Mr Mrs Ms Dr Group Coalition Alliance Union Front Movement Party Fund Programme
Program Plan Strategy Framework Agreement Accord Declaration Communique Conference Summit Meeting Dialogue
Session Report Statement Law Act Code Order Decree Budget Inquiry Board Unit Units Battalion Brigade
Division Regiment Command Team Task Staff Headquarters Centre Center Institute University School Hospital
Museum Bank Company Corporation Foundation Trust Society Service Services Day Week Year Month Time Today
Yesterday Tomorrow Question Answer Doctrine Protocol Charter Treaty Convention Initiative Process Peace
Member States Parties Governments Nations
""".split())

_FEATURE_HEADS = (r"Dam|Airfield|Air\s+Base|Airbase|Airport|Air\s+Field|River|Valley|Mountains?|Hills?|Lake|"
                  r"Bridge|Gate|Square|Crossing|Corridor|Plain|Plateau|Desert|Peninsula|Strait|Pass|Oasis|Refinery")
# Words of a place's name that no personal name has.
GEOGRAPHIC = re.compile(rf"\b(?:{_FEATURE_HEADS}|Region|Regions|Lakes|Coast|Basin|Gulf|Sea|Ocean|Islands?|Province|"
                        rf"District|County|Territory|City|Town|Area|Zone|Sector|Highlands?|Delta|Horn|East|West|North|"
                        rf"South)\b")
_FEATURE_PREFIX = r"Mount|Mt\.|Camp|Lake|Fort|Cape|Wadi|Jebel|Jabal|Gulf\s+of|Bay\s+of|Sea\s+of|Port"
_FEATURE = re.compile(rf"(?<![\w-])(?:(?:{_FEATURE_PREFIX})\s+{_WORD}(?:{_LINK}\s+{_WORD})?"
                      rf"|{_NAME}(?:\s+(?:Military|International|Oil|Hydroelectric))?\s+(?:{_FEATURE_HEADS}))(?![\w-])")

# "northern Mali", "eastern Chad": a region of a place.  A capital compass word is part of the name
# ("North Kivu", "Western Equatoria", "Central Darfur"), left to the gazetteer and the model.
_COMPASS = re.compile(rf"(?<![\w-])(?P<dir>(?:north|south)?-?(?:east|west)?ern|central)\s+(?P<name>{_NAME})")

# Before a name: it is a place ("the town of", "in the vicinity of", "north of").
_OF = (r"(?:city|town|village|villages|province|district|region|governorate|capital|port|suburbs?|neighbou?rhood|"
       r"county|outskirts|vicinity|localit(?:y|ies)|municipality|commune|prefecture|"
       r"north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of")
_STRONG_BEFORE = re.compile(rf"\b(?:near|{_OF}|liberation\s+of|liberate|liberated|isolate|isolation\s+of|recapture|"
                          r"retake|retaking\s+of|besieged|siege\s+of)\s+(?:the\s+)?$", re.I)
_WEAK_BEFORE = re.compile(r"\b(?:in|into|inside|outside|around|across|towards?|through)\s+(?:the\s+)?$", re.I)
# After a name: an administrative unit or ", <State>" ("Ituri province", "Menaka, Mali").
ADMIN_AFTER = re.compile(r"^\s+(?:[Pp]rovince|[Dd]istrict|[Gg]overnorate|[Rr]egion|[Cc]ounty|[Pp]refecture|"
                         r"[Tt]erritory|[Nn]eighbou?rhood|[Ss]ub-district|[Cc]ommune|[Cc]ercle|[Mm]unicipality)\b")


@lru_cache(maxsize=1)
def _state_after() -> re.Pattern:
    names = {s for e in gazetteer.entries("State") for s in e.surfaces if not gazetteer.is_demonym(s)}
    alt = "|".join(sorted((re.escape(n) for n in names if n[:1].isupper()), key=len, reverse=True))
    return re.compile(rf"^,\s+(?:the\s+)?(?:{alt})(?![\w-])")


_ALONE = frozenset("Port Area State States Region Province District City Town Camp Sector Zone Headquarters".split())


def _ok(name: str) -> bool:
    if name in _ALONE or re.search(r"-(?:controlled|held|led|aligned|affiliated|based|occupied|run)$", name):
        return False    # "in Area", "in rebel-held areas": a common noun or an adjective, not a place
    words = name.replace("-", " ").split()
    if words[0] in NOT_PLACE or words[-1] in NOT_PLACE or words[-1].rstrip("’'s") in NOT_PLACE:
        return False
    if re.fullmatch(r"(?:North|South|East|West|Central)(?:ern)?|(?:North|South)-?(?:east|west)(?:ern)?", name):
        return False    # a direction alone ("in Western") is the start of a name cut short
    if name.replace(" ", "").isupper():
        return False    # "in UNMISS", "at HQ": acronyms are organisations more often than places
    return gazetteer.lookup(name) is None


def place_cue(text: str, start: int, end: int) -> int:
    """How strongly the words around ``text[start:end]`` make it a place: 2 for "near X", "the town of
    X", "X province", "X, Mali"; 1 for "in X", "across X"; else 0."""
    if (_STRONG_BEFORE.search(text, max(0, start - 30), start) or ADMIN_AFTER.match(text[end:end + 20])
            or _state_after().match(text[end:end + 40])):
        return 2
    return 1 if _WEAK_BEFORE.search(text, max(0, start - 12), start) else 0


_DETERMINER = re.compile(r"^(?:(?:The|A|An|This|That|Its|Our|Their)\s+)+")


def find(text: str) -> list[tuple[int, int]]:
    """(start, end) of named features: "Mount Elgon", "Kariba Dam"."""
    out = []
    for m in _FEATURE.finditer(text):
        cut = _DETERMINER.match(m.group(0))
        a = m.start() + (cut.end() if cut else 0)
        last = m.group(0).split()[-1]
        if " " in text[a:m.end()] and last not in NOT_PLACE and not orgnames.INSTITUTIONAL.search(last):
            out.append((a, m.end()))   # not "Port Authority", "Lake Chad Basin Commission"
    return out


def compass(text: str) -> list[tuple[int, int, int]]:
    """(start, end, name start) of "northern Mali", "eastern Chad": a region of a named place."""
    out = []
    for m in _COMPASS.finditer(text):
        if _ok(m.group("name")) or gazetteer.lookup(m.group("name")) is not None:
            out.append((m.start(), m.end("name"), m.start("name")))
    return out


_TITLE_CASE = re.compile(r"(?<![.!?:;“\"]\s)(?<!^)\b[A-Z][a-z]+\s$")


def locatives(text: str) -> list[tuple[int, int]]:
    """(start, end) of capitalised names after a locative preposition that pass the filters."""
    out = []
    for m in _LOCATIVE.finditer(text):
        name = m.group("name")
        if _TITLE_CASE.search(text, max(0, m.start() - 30), m.start()):
            continue   # "Children in Armed Conflict": a heading in title case, not a place
        if _ok(name):
            out.append((m.start("name"), m.end("name")))
    return out
