"""Rebuild the gazetteer JSON from the hand-written lists here and the sanctions list.

Run from the project root: ``python nlp/data/build.py [../shared]``.  Only names and aliases
(facts) are taken from the consolidated sanctions list, never its narratives.  The output,
``gazetteer.json``, is what ``nlp.gazetteer`` loads; the inputs stay beside it.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
_COMPANY = re.compile(
    r"COMPANY|TRADING|\bLTD|LIMITED|CORPORATION|\bCORP\b|BANK|AIRLINE|S\.A\.|\bLLC|FOUNDATION|TRUST|CHARIT|"
    r"RELIEF|ANSTALT|SHIPPING|INDUSTR|ENGINEERING|ELECTRONICS|MINING|BUREAU|\(NGO\)|SOCIETY|ASSOCIATION|"
    r"EXCHANGE|HAWALA|BRANCH|OFFICES|INVESTMENT|PORTFOLIO|HOUSE|ACADEMY|MINISTRY|DEPARTMENT|COMMITTEE|"
    r"ADMINISTRATION|SELSELAT|\bJV\b|\bPTE\b|\bCO\b|IMPEX|MAKHTAB|HUMANITARIAN|AL FURQAN|TAIBAH|UMMAH|RABITA", re.I)
_KEEP_LISTS = {"DRC", "CAR", "Haiti", "Somalia", "Yemen", "Al-Qaida", "Taliban", "Sudan", "South Sudan", "Mali",
               "Libya"}
_GENERIC = {"the base", "the youth", "youth wing", "third floor", "the veiled", "the sentinels", "soldiers of islam",
            "strategic forces", "strategic force", "jamiyat", "libyan society", "al-jihad", "new jihad",
            "jihad group", "devotees of islam", "the international brigade", "international battalion",
            "al-hadid", "al-hadith", "al-faran", "supporters of god", "partisans of god", "living together",
            "the unity of islamic youth", "al wafa", "jit", "jama'at al-jihad", "soldiers of the caliphate",
            "ansar al-sharia", "ansar al sharia", "al-tawhid", "the group for the preservation of the holy sites"}


def _latin(s: str) -> bool:
    return all(unicodedata.name(ch, "").startswith(("LATIN", "SPACE", "DIGIT", "HYPHEN", "APOSTROPHE", "RIGHT SINGLE",
                                                     "LEFT SINGLE", "FULL STOP", "SOLIDUS", "AMPERSAND", "COMMA",
                                                     "GRAVE", "EN DASH", "LEFT PAREN", "RIGHT PAREN", "QUOTATION",
                                                     "MODIFIER"))
               for ch in s)


def _nice(name: str) -> str:
    name = " ".join(name.replace('"', "").split())
    if name.isupper() and len(name) > 6 and " " in name:
        small = {"of", "the", "and", "in", "for", "al", "wa", "fi", "du", "de", "la", "le", "l’", "ul", "e"}
        words = [w.capitalize() if w.lower() not in small or i == 0 else w.lower()
                 for i, w in enumerate(name.split())]
        name = " ".join(words)
    return name


def _split_acronym(name: str) -> list[str]:
    """"FORCES ... RWANDA (FDLR)" -> ["Forces ... Rwanda", "FDLR"]; "HARAKAT UL-MUJAHIDIN / HUM" likewise."""
    out = []
    m = re.fullmatch(r"(.+?)\s*\(([A-Za-z][A-Za-z\-]{1,12})\)", name.strip())
    if m:
        return [m.group(1), m.group(2)]
    if " / " in name:
        return [p.strip() for p in name.split(" / ")]
    out.append(name)
    return out


def _alias_ok(a: str) -> bool:
    a = a.strip()
    return bool(a) and len(a) >= 3 and _latin(a) and a.lower() not in _GENERIC and "(original script" not in a


_DEMONYM = re.compile(r"(?:an|ans|ian|ians|ese|ish|i|is|ic|ch|ot|ots|ean|eans|er|ers|ine|ite|ites)$")
_DEMONYMS = {"Kazakh", "Kyrgyz", "Tajik", "Uzbek", "Thai", "Swiss", "Greek", "Malagasy", "Filipino", "Burkinabe",
             "Burkinabè", "Slovak", "Lao", "Kosovar", "Czech"}
_NOT_DEMONYMS = {"Brunei", "Czech Republic"}


def _is_demonym(alias: str, name: str) -> bool:
    """Whether a State alias names its people ("Syrian", "South Sudanese") rather than the State."""
    a = alias.strip()
    if a in _DEMONYMS:
        return True
    words = a.split()
    return (a != name and a not in _NOT_DEMONYMS and len(words) <= 2 and "." not in a and not a.isupper()
            and a[:1].isupper() and bool(_DEMONYM.search(words[-1])) and not a.endswith(("stan", "land")))


def _state(row: list[str]) -> dict:
    aliases = row[1].split(";") if len(row) > 1 else []
    return {"type": "State", "name": row[0], "aliases": aliases,
            "demonyms": [a for a in aliases if _is_demonym(a, row[0])]}


def _read_lines(name: str) -> list[list[str]]:
    rows = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([p.strip() for p in line.split("|")])
    return rows


def sanctions_groups(shared: Path) -> list[dict]:
    data = json.loads((shared / "gold" / "sanctions" / "UNSCR_SANCTION_LIST.json").read_text(encoding="utf-8"))
    out = []
    for e in data["CONSOLIDATED_LIST"]["ENTITIES"]["ENTITY"]:
        if e.get("UN_LIST_TYPE") not in _KEEP_LISTS or _COMPANY.search(e["FIRST_NAME"]):
            continue
        aliases = e.get("ENTITY_ALIAS") or []
        aliases = [aliases] if isinstance(aliases, dict) else aliases
        names = _split_acronym(e["FIRST_NAME"])
        for a in aliases:
            names += _split_acronym(a.get("ALIAS_NAME") or "")
        names = [_nice(n) for n in names if _alias_ok(n)]
        if names:
            out.append({"name": names[0], "aliases": list(dict.fromkeys(names[1:])), "ref": e.get("REFERENCE_NUMBER")})
    return out


def build(shared: Path | None) -> dict:
    entries: list[dict] = []
    for m in json.loads((HERE / "missions.json").read_text(encoding="utf-8")):
        entries.append({"type": "Mission", **m})
    entries += [_state(row) for row in _read_lines("states.txt")]
    for row in _read_lines("bodies.txt"):
        entries.append({"type": row[0], "name": row[1], "aliases": row[2].split(";") if len(row) > 2 else []})
    groups = [{"type": "ArmedGroup", "name": r[0], "aliases": r[1].split(";") if len(r) > 1 else []}
              for r in _read_lines("armed_groups.txt")]
    if shared is not None:
        index = {}
        for g in groups:
            for s in [g["name"], *g["aliases"]]:
                index[s.lower()] = g
        for s in sanctions_groups(shared):
            surfaces = [s["name"], *s["aliases"]]
            hit = next((index[x.lower()] for x in surfaces if x.lower() in index), None)
            if hit is None:
                hit = {"type": "ArmedGroup", "name": s["name"], "aliases": [], "sanctions": s["ref"]}
                groups.append(hit)
                index[s["name"].lower()] = hit
            else:
                hit.setdefault("sanctions", s["ref"])
            for x in surfaces:
                if x.lower() not in index:
                    hit["aliases"].append(x)
                    index[x.lower()] = hit
    entries += groups
    return {"version": 1, "entries": entries}


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[2] / "shared"
    result = build(shared if (shared / "gold").is_dir() else None)
    (HERE / "gazetteer.json").write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(result['entries'])} entries written to {HERE / 'gazetteer.json'}")
