"""Mandate tasks (``facts.TASKS``) found in clause text by phrase rules."""

from __future__ import annotations

import re
from functools import lru_cache

from nlp import gazetteer
from nlp.facts import TASKS

_RULES: dict[str, str] = {
    "protection_of_civilians": r"protect(?:ion of|ing)? civilians|civilians under (?:imminent )?threat"
                               r"|attacks against (?:the )?(?:civilians|safe areas?)",
    "ddr": r"disarmament,? demobili[sz]ation,? (?:and )?(?:repatriation,? (?:resettlement,? )?)?(?:and )?reintegration"
           r"|\bD\.?D\.?R\b|\bDDRR\b|community violence reduction|demobili[sz]ation of"
           r"|\bdisarmament\b(?! of (?:nuclear|chemical))",
    "ssr": r"security sector reform|\bSSR\b|reform of the security sector|(?:training|reform|restructuring|moderni[sz]ation|"
           r"professionali[sz]ation|reorgani[sz]ation|re-?establishment|integration) of (?:the )?(?:\w+\s+){0,2}?(?:police|"
           r"armed forces|military|security forces|gendarmerie)|(?:train|guid)\w*[^.;]{0,40}\bpolice\b",
    "use_of_force_authorization": r"all necessary (?:means|measures|action)|(?:take|use) the necessary measures"
                                  r"|such measures as may be necessary"
                                  r"|including the use of (?:armed )?force|use of air power",
    "ceasefire_monitoring": r"(?:(?:respect|observ|maint)\w* (?:of )?the cease-?fire|recurrence of fighting)|"
                            r"(?:monitor|supervis|verif|observ|confirm)\w*\s+(?:\w+\s+){0,6}?(?:the\s+)?(?:cease-?fire|truce|"
                            r"cessation of hostilities|armistice|disengagement|withdrawal)"
                            r"|cease-?fire (?:monitoring|verification)|cessation of (?:hostilities|(?:the )?armed conflict)"
                            r"|violations? of the cease-?fire",
    "humanitarian_assistance_support": r"humanitarian (?:assistance|aid|relief|access|operations|actors)"
                                       r"|delivery of (?:humanitarian|relief)|provision of relief|relief (?:supplies|"
                                       r"operations|assistance)|(?:repatriation|return|resettlement)\w*\s+(?:\w+\s+){0,4}?"
                                       r"(?:refugees|displaced|IDPs)\b|(?:protect|escort)\w*\s+(?:\w+\s+){0,2}?convoys",
    "elections": r"\belectoral (?:assistance|support|process|preparations|calendar|commission|bod(?:y|ies)|security|"
                 r"operations|cycle|law)|(?:support|assist|organi[sz]|prepar|conduct|observ|verif|hold|secur|monitor)\w*"
                 r"\s+(?:\S+\s+){0,6}?(?:elections?|referendum|polls)\b|free (?:and fair )?elections|\belections? (?:shall|will) be held"
                 r"|\belections? under the (?:supervision|control)",
    "demining": r"\bmines?\b|mine action|explosive ordnance|explosive remnants|\bdemining\b|\bIEDs?\b"
                r"|improvised explosive devices?",
    "arms_embargo_monitoring": r"arms embargo|embargo on (?:the )?(?:\w+\s+){0,3}?(?:arms|weapons|military equipment)",
    "sexual_violence_and_children": r"sexual (?:and gender-based )?violence|children (?:and|in) armed conflict"
                                    r"|child protection|grave violations against children",
    "state_authority_extension": r"(?:extend|extension of|restor\w+|re-?establish\w*)\s+(?:\w+\s+){0,3}?"
                                 r"(?:State|state|government|governmental) authority|effective authority"
                                 r"|re-?establishment of (?:\w+\s+){0,3}?(?:institutions|civil administration)",
    "border_or_buffer_zone": r"buffer zone|area of separation|area of limitation|\bborders?\b|\bboundary\b|Blue Line"
                             r"|demilitari[sz]ed zone|zone of separation",
    "human_rights": r"human rights|violations of international humanitarian law|hate speech|incitement to violence",
    "rule_of_law": r"rule of law|\bjustice\b|judicial|correction(?:s|al)|accountability|\bprisons?\b|impunity",
    "political_process_support": r"political process|peace (?:process|agreement|talks)|mediation|good offices"
                                 r"|(?:national|political) reconciliation|political settlement|political dialogue"
                                 r"|(?:monitor|verif)\w*\s+(?:\w+\s+){0,3}?agreements?\b"
                                 r"|implement(?:ation of|ing) (?:all )?the (?:\S+\s+){0,4}?agreements?\b",
}
_COMPILED = {t: re.compile(p, re.I if t not in ("ddr", "ssr", "state_authority_extension") else 0)
             for t, p in _RULES.items()}
_COMPILED["state_authority_extension"] = re.compile(_RULES["state_authority_extension"], re.I)
assert set(_COMPILED) <= set(TASKS)

# Lead verbs that give or shape a mandate; "condemns"/"welcomes" do not.
MANDATING_VERBS = {"decides", "authorizes", "authorises", "mandates", "requests", "directs", "establishes",
                   "extends", "instructs", "entrusts", "approves", "endorses"}
# Verbs that mandate only as "<verb> that <subject> shall/should ..." (1960s "Recommends that the
# function of the Force should be ...", "Determines that the unit shall provide ...").
_SHALL_VERBS = {"recommends", "determines", "agrees"}
_SHALL = re.compile(r"^\s*that\s+[^;:]{0,100}?\b(?:shall|should)\b", re.I)
# Verbs of lower strength that still give a task when addressed to a mission or the Organization.
_ADDRESSING_VERBS = {"calls upon", "calls on", "urges", "encourages", "invites"}
_OBJECT_HEAD = r"^\s*(?:also\s+|further\s+|that\s+)?(?:the\s+)?"
_REQUEST_OBJECT = re.compile(_OBJECT_HEAD + r"(?:Secretary[- ]General|Mission|Force|Operation|Office|"
                             r"Special Representative|United Nations|Member States|States)", re.I)


@lru_cache(maxsize=1)
def _known_missions() -> re.Pattern:
    """A mission named by acronym (case kept: "GFRS" or "UNODC" are not missions) or full name."""
    acronyms = sorted({e.name for e in gazetteer.missions()} | {f for e in gazetteer.missions() for f in e.former},
                      key=len, reverse=True)
    names = sorted({e.full_name for e in gazetteer.missions() if e.full_name}, key=len, reverse=True)
    return re.compile(_OBJECT_HEAD + r"(?:(?-i:" + "|".join(map(re.escape, acronyms)) + r")\b|(?:"
                      + "|".join(map(re.escape, names)) + r")\b|Mission\b|Force\b|Operation\b|United Nations\b|"
                      r"Secretary[- ]General\b)", re.I)


def _to_mission(body: str) -> bool:
    return bool(_known_missions().match(body))
_STATES = re.compile(r"^\s*(?:all\s+)?(?:Member\s+)?States\b", re.I)
_CHAPTER_VII = re.compile(r"Chapters?\s+VII\b")

# A clause may chain several acts: "Encourages ..., and requests UNMISS to assist ...".
_SEGMENT = re.compile(
    r"(?:[,;]|\band\b)\s+(?:(?:also|further|\w+ly)\s+)?(?P<verb>decides|authori[sz]es|requests|mandates|directs|"
    r"instructs|calls\s+(?:up)?on|urges|encourages|invites|stresses|underlines|emphasi[sz]es|notes|welcomes|"
    r"expresses|reaffirms|reiterates|affirms|condemns|commends|recogni[sz]es|recalls|endorses|approves)\b", re.I)

# Frames and provisos name what a task is measured against, not the task itself:
# "in line with the Peace Agreement", "subject to the proviso that ... progress towards the Agreement".
_PROVISO = re.compile(r"\b(?:subject to the proviso|only upon a review|on the basis of a report|on whether or not|"
                      r"as to whether)\b.*", re.I | re.S)
_FRAME = re.compile(r"\b(?:in line with|in accordance with|consistent with|pursuant to|as proposed by|as provided "
                    r"for in|in the light of|informed by)\b[^,;:]*", re.I)
# Approving a report or plan adopts tasks by reference only.
_BY_REFERENCE = re.compile(r"^\s*(?:its\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:report|plan|recommendations?|"
                           r"proposals?|approach)\b", re.I)
# The Secretary-General's own errands (reporting, consulting, his good offices) are not the mission's.
_SG_ERRAND = re.compile(r"\bSecretary[- ]General\b(?:,[^,]{0,160},)?\s+(?:to\s+)?(?:continue\s+(?:to\s+)?)?"
                        r"(?:report|inform|submit|keep|consult|consider|pursue|review|present|study|examine|prepare|"
                        r"plan|make recommendations|use his good offices)\b|\bgood offices\b|\bhis (?:Special Envoy|"
                        r"consultations)\b|zero[- ]tolerance|sexual exploitation and abuse", re.I)
# Clauses that set up or steer a sanctions regime give no mission a task.
# The Secretary-General alone; "the Secretary-General and Member States ... to use all necessary
# means" authorises a force.
_SG_ALONE = re.compile(r"^\s*(?:also\s+|further\s+)?the\s+Secretary[- ]General\b(?![^;]{0,40}?\band\s+"
                       r"(?:the\s+)?Member\s+States)", re.I)
# A mission asked to help a sanctions panel or committee helps monitor the arms embargo.
_PANEL_HELP = re.compile(r"\b(?:assist|support|cooperat\w*\s+\w+\s+with)\w*\s+(?:\w+\s+){0,3}?(?:the\s+)?"
                         r"(?:Committee|Panel|Group of Experts)\b", re.I)
SANCTIONS = re.compile(r"Panel of Experts|Group of Experts|\bthe Committee\b|designation criteria|designated by the "
                        r"Committee|for designation|asset freeze|travel ban|"
                        r"measures (?:[\w ]{0,20}?)(?:imposed|set out|specified|referred|renewed)|shall not apply to", re.I)


LEAD_CHARS = 10_000
# A word hyphenated across a line break ("monitor- ing") once the lines are joined.
_WRAPPED = re.compile(r"(?<=[a-z])- (?=[a-z])")


def tasks_in(text: str, lead: int | None = None) -> list[str]:
    """Task ids whose phrases occur in ``text``, in taxonomy order.

    With ``lead``, a long clause keeps the tasks named in its opening ``lead`` characters (what
    the clause is for); tasks named only later are context ("... including for elections").
    When none is named early, the earliest named one is kept."""
    text = _WRAPPED.sub("", text)
    found = {t: m.start() for t in TASKS if t in _COMPILED for m in [_COMPILED[t].search(text)] if m}
    if lead is None or not found:
        return [t for t in TASKS if t in found]
    early = {t for t, pos in found.items() if pos < lead} or {min(found, key=found.get)}
    return [t for t in TASKS if t in early]


def mandates(verb: str | None, body: str) -> bool:
    """Whether a clause with lead ``verb`` (``body``: the text after the verb) gives tasks."""
    if verb in _SHALL_VERBS:
        return bool(_SHALL.match(body))
    if verb in _ADDRESSING_VERBS:
        return _to_mission(body) or (bool(_STATES.match(body)) and bool(_CHAPTER_VII.search(body)))
    if verb not in MANDATING_VERBS:
        return False
    if verb == "requests":
        return bool(_REQUEST_OBJECT.match(body)) or _to_mission(body)
    return True


def segments(verb: str | None, body: str) -> list[tuple[str | None, str]]:
    """(verb, text) for each act chained in a clause; ``body`` is the text after the lead verb."""
    out, start = [], 0
    for m in _SEGMENT.finditer(body):
        out.append((verb, body[start:m.start()]))
        verb, start = " ".join(m.group("verb").lower().split()), m.end()
    out.append((verb, body[start:]))
    return out


def segment_tasks(verb: str | None, body: str, given: bool = False, lead: int = 500) -> list[str]:
    """Tasks one act gives: the addressee must be told to act, and frames, provisos, approvals of
    reports, the Secretary-General's own errands and sanctions machinery carry none.  ``given``: a
    sub-paragraph whose parent's lead already addressed the mission."""
    if not given and not mandates(verb, body):
        return []
    if not given and verb in ("approves", "endorses") and _BY_REFERENCE.match(body):
        return []
    if _PANEL_HELP.search(body) and _to_mission(body) and not given:
        # the Secretariat servicing a sanctions committee is no mission's task
        return [] if _SG_ALONE.match(body) else ["arms_embargo_monitoring"]
    if SANCTIONS.search(body):
        return []
    found = tasks_in(_FRAME.sub(" ", _PROVISO.sub(" ", body)), lead)
    if _SG_ALONE.match(body):
        if _SG_ERRAND.search(body):
            return []
        found = [t for t in found if t != "use_of_force_authorization"]   # the Secretary-General is no force
    return found


def clause_tasks(verb: str | None, body: str, given: bool = False) -> list[str]:
    """Tasks of a whole clause: the union over its chained acts, in taxonomy order.  ``given``: the
    clause is a sub-paragraph of a lead that addressed the mission, so its first act needs no
    addressee of its own."""
    found = {t for i, (v, text) in enumerate(segments(verb, body))
             for t in segment_tasks(v, text, given=given and i == 0)}
    return [t for t in TASKS if t in found]
