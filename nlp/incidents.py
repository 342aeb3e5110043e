"""Incidents: sentences reporting attacks, ambushes, abductions, shelling, clashes (rules)."""

from __future__ import annotations

import re

from nlp.facts import Incident, Mention
from nlp.symbols import MONTHS, find_dates

_TYPES = [  # first match wins
    ("ied", r"\bIEDs?\b|improvised explosive|roadside bomb|explosive device"),
    ("ambush", r"\bambush\w*"),
    ("abduction", r"\babduct\w*|\bkidnap\w*|\bhostages?\b"),
    ("shelling", r"\bshell(?:ed|ing)\b|\bmortars?\b|\bartillery\b|\brockets?\b|\bdrone strikes?\b|\bairstrikes?\b"),
    ("sexual_violence", r"\brap(?:e|ed|es)\b|sexual violence"),
    ("clash", r"\bclash(?:es|ed)?\b|\bfighting between\b|\bhostilities between\b"),
    ("attack", r"\battack(?:s|ed|ing)?\b|\braid(?:s|ed)?\b|\bkill(?:ed|ing|ings)\b|\bassault\w*|\bmassacre\w*"),
]
_COMPILED = [(t, re.compile(p, re.I if t != "ied" else 0)) for t, p in _TYPES]
_NUM = r"(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?)"
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12}
_KILLED = [re.compile(rf"\bkill(?:ed|ing)\s+(?:at\s+least\s+|some\s+|about\s+)?{_NUM}\b", re.I),
           re.compile(rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,3}}(?:were|was|had been)?\s*(?:killed|dead|died)\b", re.I),
           re.compile(rf"\b{_NUM}\s+(?:deaths|fatalities|casualties)\b", re.I)]
_INJURED = [re.compile(rf"\b(?:injur|wound)(?:ed|ing)\s+(?:at\s+least\s+|some\s+)?{_NUM}\b", re.I),
            re.compile(rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,3}}(?:were|was)?\s*(?:injured|wounded)\b", re.I)]
_DAY_MONTH = re.compile(r"\b(?:On|on|Between|between|From|from)\s+(\d{1,2})\s+([A-Z][a-z]+)\b")
_VAGUE = re.compile(r"\b(?:condemns?|condemning|deplores?|calls upon|urges|demands|recalls|encourages)\b", re.I)


def _count(text: str, patterns: list[re.Pattern]) -> int | None:
    for p in patterns:
        m = p.search(text)
        if m:
            raw = m.group(1).lower().replace(",", "")
            if raw.isdigit():
                return int(raw)
            if raw in _WORDS:
                return _WORDS[raw]
    return None


def _date(text: str, year: str | None) -> str | None:
    dates = find_dates(text)
    if dates:
        return dates[0][0]
    m = _DAY_MONTH.search(text)
    if m and year and m.group(2).lower() in MONTHS:
        try:
            from datetime import date

            return date(int(year), MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
        except ValueError:
            return None
    return None


def incidents(text: str, sentences: list[tuple[int, int]], mentions: list[Mention],
              year: str | None = None) -> list[Incident]:
    """One incident per sentence with an incident trigger and something concrete (date, count, actor)."""
    out: list[Incident] = []
    mi, ms = 0, sorted(mentions, key=lambda m: m.start)
    for s, e in sentences:
        sent = text[s:e]
        typ = next((t for t, p in _COMPILED if p.search(sent)), None)
        while mi < len(ms) and ms[mi].end <= s:
            mi += 1
        if typ is None or _VAGUE.search(sent[:60]):
            continue
        inside = [m for m in ms[mi:mi + 200] if m.start >= s and m.end <= e]
        places = [m for m in inside if m.type in ("Location", "State")]
        actors = list(dict.fromkeys(m.entity_id for m in inside if m.type == "ArmedGroup"))
        killed, injured = _count(sent, _KILLED), _count(sent, _INJURED)
        when = _date(sent, year)
        if not (when or killed or injured or actors):
            continue
        place = next((m.entity_id for m in places if m.type == "Location"), None) or (
            places[0].entity_id if places else None)
        out.append(Incident(typ, " ".join(sent.split()), s, e, when, place, actors, killed, injured))
    return out
