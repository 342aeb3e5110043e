"""Known actors: UN missions (with former names), UN bodies, organisations, States, armed groups.

Data lives in ``nlp/data/gazetteer.json`` (rebuilt by ``nlp/data/build.py`` from the
hand-written lists beside it).  Ids are ``f"{type.lower()}:{slug}"``: ``mission:unmiss``,
``state:south-sudan``, ``armedgroup:adf``, ``unbody:security-council``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["Entry", "lookup", "is_demonym", "missions", "mission", "successor", "entries", "get", "slug", "patterns"]

_DATA = Path(__file__).resolve().parent / "data" / "gazetteer.json"
# When two entries claim one surface form, the earlier type keeps it.
_PRIORITY = ("Mission", "UNBody", "Organisation", "ArmedGroup", "State")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    name: str                      # display name: a mission's acronym, else the full name
    aliases: tuple[str, ...] = ()  # every other surface form (full names, former acronyms, demonyms)
    full_name: str | None = None   # a mission's full name
    former: tuple[str, ...] = ()   # former acronyms of a renamed mission (MONUC for MONUSCO)
    country: str | None = None
    start: int | None = None
    end: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def acronym(self) -> str | None:
        return self.name if self.type == "Mission" else None

    @property
    def surfaces(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "Côte d'Ivoire" -> "cote-d-ivoire"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _key(surface: str) -> str:
    s = unicodedata.normalize("NFKC", surface).replace("’", "'").replace("‘", "'").replace("–", "-")
    s = " ".join(s.split())
    return re.sub(r"^the\s+", "", s, flags=re.I)


def _entry(raw: dict) -> Entry:
    typ = raw["type"]
    if typ == "Mission":
        name, full = raw["acronym"], raw["name"]
        aliases = [full, *raw.get("aliases", []), *raw.get("former", [])]
    else:
        name, full = raw["name"], None
        aliases = list(raw.get("aliases", []))
    aliases = tuple(dict.fromkeys(a for a in aliases if a and a != name))
    extra = {k: v for k, v in raw.items() if k not in {"type", "acronym", "name", "aliases", "former", "country",
                                                        "start", "end"}}
    return Entry(id=f"{typ.lower()}:{slug(name)}", type=typ, name=name, aliases=aliases, full_name=full,
                 former=tuple(raw.get("former", [])), country=raw.get("country"), start=raw.get("start"),
                 end=raw.get("end"), extra=extra)


@lru_cache(maxsize=1)
def _load() -> tuple[tuple[Entry, ...], dict, dict, dict]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))["entries"]
    items = sorted((_entry(r) for r in raw), key=lambda e: _PRIORITY.index(e.type))
    by_id: dict[str, Entry] = {}
    exact: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    for e in items:
        if e.id in by_id:
            continue
        by_id[e.id] = e
        for s in e.surfaces:
            exact.setdefault(_key(s), e)
            folded.setdefault(_key(s).lower(), e)
    return tuple(by_id.values()), by_id, exact, folded


def entries(type: str | None = None) -> list[Entry]:
    """All entries, or those of one type ("Mission", "State", ...)."""
    return [e for e in _load()[0] if type is None or e.type == type]


def get(entity_id: str) -> Entry | None:
    """The entry with this canonical id."""
    return _load()[1].get(entity_id)


def lookup(surface: str) -> Entry | None:
    """The entry a surface form names: exact first, then case-insensitive for long names."""
    if not surface or not surface.strip():
        return None
    _, by_id, exact, folded = _load()
    k = _key(surface)
    if k in by_id.keys():
        return by_id[k]
    return exact.get(k) or folded.get(k.lower())


@lru_cache(maxsize=1)
def _names():
    from nlp.names import NameIndex

    index = NameIndex()
    for e in entries():
        for surface in e.surfaces:
            index.add(e.id, surface)
    return index


def resolve(surface: str) -> tuple[Entry, str] | None:
    """(entry, rule) for a name the gazetteer knows only in another spelling ("Al Shabaab" for
    "Al-Shabaab", "Badege, Eric"); exact and case-folded names are ``lookup``'s business."""
    r = _names().resolve(surface) if surface and surface.strip() else None
    return (get(r.id), r.rule) if r is not None else None


def missions() -> list[Entry]:
    """Every UN mission known, sorted by acronym."""
    return sorted(entries("Mission"), key=lambda e: e.name)


def mission(acronym_or_name: str) -> Entry | None:
    """A mission by acronym, former acronym ("MONUC" -> MONUSCO) or full name; else None."""
    e = lookup(acronym_or_name)
    if e is None and acronym_or_name:
        e = get("mission:" + slug(acronym_or_name))
    return e if e is not None and e.type == "Mission" else None


_NUMERAL = re.compile(r"^(?P<base>.+?)(?: (?P<n>II|III|IV|V|VI))?$")
_NEXT = {None: "II", "II": "III", "III": "IV", "IV": "V", "V": "VI"}


def successor(acronym_or_name: str) -> Entry | None:
    """The mission that took over from this one, so its mandate can end when the successor's
    begins: the ``successor`` the data names, else the next numbered mission ("UNOSOM" ->
    "UNOSOM II", "UNAVEM II" -> "UNAVEM III") when it began the year this one ended.  A rename
    (MONUC -> MONUSCO) is one mission, not a succession."""
    old = mission(acronym_or_name)
    if old is None:
        return None
    named = old.extra.get("successor")
    if named:
        return mission(named)
    m = _NUMERAL.match(old.name)
    if m is None or m.group("n") not in _NEXT:
        return None
    new = mission(f"{m.group('base')} {_NEXT[m.group('n')]}")
    if new is None or new.name == old.name or not (old.end and new.start == old.end):
        return None
    return new


def is_demonym(surface: str) -> bool:
    """Whether ``surface`` names a State's people ("Syrian", "South Sudanese"), not the State."""
    e = lookup(surface)
    return e is not None and _key(surface) in {_key(d) for d in e.extra.get("demonyms", ())}


def case_sensitive(surface: str) -> bool:
    """Acronyms and single words match by exact spelling; longer names ignore case."""
    return len(surface.split()) == 1 or surface.isupper()


def patterns() -> list[tuple[str, Entry]]:
    """(surface, entry) for every surface form the matcher should look for."""
    _, _, exact, _ = _load()
    out = []
    for e in entries():
        for s in e.surfaces:
            if exact.get(_key(s)) is e:
                out += [(v, e) for v in _spellings(s)]
    return out


def _spellings(surface: str) -> list[str]:
    """A name as written in different eras: curly or straight apostrophes, "Peace-keeping"."""
    out = [surface]
    if "’" in surface:
        out.append(surface.replace("’", "'"))
    elif "'" in surface:
        out.append(surface.replace("'", "’"))
    for v in list(out):
        if "eacekeeping" in v:
            out += [v.replace("Peacekeeping", "Peace-keeping").replace("peacekeeping", "peace-keeping")]
    return out
