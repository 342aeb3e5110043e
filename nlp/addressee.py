"""Who an operative act is addressed to: whether a clause tells a mission (or a force, or the
Secretary-General acting through one) to do something, so that the duties it names are tasks.

An act gives tasks when its verb mandates ("decides", "authorizes", "requests X to") and its
object is the mission or the Organization; weaker verbs ("calls upon", "encourages") only when
addressed to them.  Older texts also put the mission in other places: as the agent of a passive
("to be monitored by United Nations military observers"), or in a reaffirmed authority ("reaffirms
that the Secretary-General is authorized to ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp import gazetteer

# Lead verbs that give or shape a mandate; "condemns"/"welcomes" do not.
MANDATING_VERBS = {"decides", "authorizes", "authorises", "mandates", "requests", "directs", "establishes",
                   "extends", "instructs", "entrusts", "approves", "endorses"}
# Verbs that mandate only as "<verb> that <subject> shall/should ..." (1960s "Recommends that the
# function of the Force should be ...", "Determines that the unit shall provide ...").
_SHALL_VERBS = {"recommends", "determines", "agrees"}
_SHALL = re.compile(r"^\s*that\s+[^;:]{0,100}?\b(?:shall|should)\b", re.I)
# Verbs of lower strength that still give a task when addressed to a mission or the Organization.
_ADDRESSING_VERBS = {"calls upon", "calls on", "urges", "encourages", "invites"}
# Restating an authority already given: "reaffirms its decision in paragraph 10 ...", "reaffirms that
# the Secretary-General is authorized to ...".  A decision of the Council's own ("to guarantee the
# boundary") names no one to act.  Confirming "its agreement to the measures envisaged" adopts them.
_RESTATING_VERBS = {"reaffirms", "reiterates", "confirms"}
_RESTATED = re.compile(r"^\s*its\s+agreement\s+to\b|^\s*the\s+authority\s+of\s+(?:Member\s+)?States\b|^\s*(?:its\s+)?(?:decisions?|authori[sz]ations?)\b(?=[^;]*\b(?:authori[sz]\w*|Member\s+States|"
                       r"(?-i:[A-Z]{4,})|Force|Mission|Operation)\b)|^\s*that\s+[^;:]{0,80}?\b(?:is|are|remains?|"
                       r"continues? to be)\s+authori[sz]ed\b", re.I)

_OBJECT_HEAD = r"^\s*(?:also\s+|further\s+|that\s+)?(?:the\s+)?"
# The Organization's programmes, agencies and funds are not its missions.
_NOT_A_MISSION = r"(?!\s+(?:programmes|agencies|specialized|system|funds|High Commissioner|Children|Development|" \
                 r"Member|Secretariat|humanitarian agencies))"
# What older texts call a mission: "the Force", "the Authority", "the observation group",
# "the Truce Supervision Organization"; "a group of experts" is a panel, not a mission.
MISSION_NOUN = r"(?:Mission|Force|Operation|(?-i:Authority|(?:Observer\s+|Observation\s+|Military\s+)?Group(?!\s+of\b)|" \
               r"Supervision\s+Organi[sz]ation))"
_REQUEST_OBJECT = re.compile(_OBJECT_HEAD + r"(?:Secretary[- ]General|" + MISSION_NOUN + r"|Office|Chief\s+of\s+Staff|"
                             r"(?:Force\s+)?Commander|"
                             r"Special Representative|United Nations" + _NOT_A_MISSION + r"|Member States|States)\b", re.I)
STATES = re.compile(r"^\s*(?:that\s+)?(?:all\s+)?(?:the\s+)?(?:Member\s+)?States\b", re.I)
_CHAPTER_VII = re.compile(r"Chapters?\s+VII\b")
# A mission as the agent of a passive: "... to be monitored by United Nations military observers".
_PASSIVE_AGENT = re.compile(r"\b(?:to be|shall be|should be|will be|is to be|are to be)\s+(?:\w+ly\s+)?(?P<act>monitor|"
                            r"supervis|verifi|observ|carried out|conduct|escort|protect)(?:ed)?\s+by\s+(?:the\s+)?"
                            r"(?:United Nations\b" + _NOT_A_MISSION + r"|" + MISSION_NOUN + r"\b|(?-i:[A-Z]{4,}\b))", re.I)


@lru_cache(maxsize=1)
def _known_missions() -> re.Pattern:
    """A mission named by acronym (case kept: "GFRS" or "UNODC" are not missions), by full name, or
    by the words older texts use for one; or the Special Representative who heads it."""
    acronyms = sorted({e.name for e in gazetteer.missions()} | {f for e in gazetteer.missions() for f in e.former},
                      key=len, reverse=True)
    names = sorted({e.full_name for e in gazetteer.missions() if e.full_name}, key=len, reverse=True)
    return re.compile(_OBJECT_HEAD + r"(?:(?-i:" + "|".join(map(re.escape, acronyms)) + r")\b|(?:"
                      + "|".join(map(re.escape, names)) + r")\b|" + MISSION_NOUN + r"\b|United Nations\b"
                      + _NOT_A_MISSION + r"|Secretary[- ]General\b|Special\s+Representative\b)", re.I)


def to_mission(body: str) -> bool:
    """Whether ``body`` (the text after a verb) opens with a mission, the Organization or the
    Secretary-General as the one addressed."""
    return bool(_known_missions().match(body))


def by_passive_agent(body: str) -> str | None:
    """When ``body`` makes a mission the agent of what it asks for, whatever the lead verb, that act
    in the active voice: "the withdrawal ... to be monitored by United Nations observers" -> "monitor
    the withdrawal ..."; else None."""
    m = _PASSIVE_AGENT.search(body)
    if not m:
        return None
    act = {"verifi": "verify", "carried out": "carry out"}.get(m.group("act"), m.group("act"))
    # each coordinated subject takes the verb: "X, and Y to be monitored" -> "monitor X monitor Y"
    return " ".join(f"{act} {part}" for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", body[:m.start()]) if part)


def mandates(verb: str | None, body: str, chapter_vii: bool = False) -> bool:
    """Whether a clause with lead ``verb`` (``body``: the text after the verb) gives tasks.
    ``chapter_vii``: the clause itself opened with "Acting under Chapter VII"."""
    if verb in _SHALL_VERBS:
        return bool(_SHALL.match(body))
    if verb in _RESTATING_VERBS:
        return bool(_RESTATED.match(body))
    if verb in _ADDRESSING_VERBS:
        return to_mission(body) or (bool(STATES.match(body)) and (chapter_vii or bool(_CHAPTER_VII.search(body))))
    if verb not in MANDATING_VERBS:
        return False
    if verb == "requests":
        return bool(_REQUEST_OBJECT.match(body)) or to_mission(body)
    return True
