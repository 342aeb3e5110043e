"""Mandate tasks (``facts.TASKS``) found in clause text by phrase rules."""

from __future__ import annotations

import re

from nlp.addressee import MANDATING_VERBS, STATES, by_passive_agent, mandates, to_mission
from nlp.facts import TASKS

__all__ = ["MANDATING_VERBS", "PROVISO", "SANCTIONS", "clause_tasks", "is_errand", "mandates", "segment_tasks", "segments",
           "tasks_in", "without_proviso"]

_RULES: dict[str, str] = {
    "protection_of_civilians": r"protect(?:ion of|ing)? civilians|civilians under (?:imminent )?threat"
                               r"|security of (?:all )?(?:the )?(?:inhabitants|(?:civilian )?population)\b"
                               r"|attacks against (?:the )?(?:civilians|safe areas?)",
    "ddr": r"disarmament,? demobili[sz]ation,? (?:and )?(?:repatriation,? (?:resettlement,? )?)?(?:and )?reintegration"
           r"|\bD\.?D\.?R\b|\bDDRR\b|community violence reduction|demobili[sz](?:ation|ing)\s+(?:\w+\s+){0,2}?of\b"
           r"|\bdisarmament\b(?! of (?:nuclear|chemical))",
    "ssr": r"security sector reform|\bSSR\b|reform of the security sector"
           r"|\bpolice (?:capabilit|capacit|training|development)\w*"
           r"|(?:training|reform|restructuring|moderni[sz]ation|"
           r"professionali[sz]ation|reorgani[sz]ation|re-?establishment|integration) of (?:the )?(?:\w+\s+){0,2}?(?:police|"
           r"armed forces|military|security forces|gendarmerie)|(?:train|guid)\w*[^.;]{0,40}\bpolice\b"
           # "the police, judicial and penal programme"
           r"|\bpolice(?:,?\s+(?:and\s+)?\w+){0,3}?\s+(?:programmes?|systems?)\b"
           # building a national force up: "the formation of the new Defence Force", "the effectiveness of the police"
           r"|(?i:(?:formation|creation|effectiveness|capacity|capacities|capabilities) of (?:the )?(?!United Nations)"
           r"(?:\w+\s+){0,3}?(?:police|armed forces|defen[cs]e forces?|security forces|gendarmerie|army)\b)",
    "use_of_force_authorization": r"all (?:necessary (?:means|measures|action)|(?:the )?measures necessary)"
                                  r"|(?:take|use) the necessary measures"
                                  r"|such measures (?:[\w ]{0,60}?)as may be necessary"
                                  r"|use of air power"
                                  # "the use of force", "the use of the requisite measure of force", not its renunciation
                                  r"|(?<!threat or )(?<!from )(?<!from the )(?<!non-)\buse of (?:the )?(?:requisite )?"
                                  r"(?:measure of )?(?:armed )?force\b",
    "ceasefire_monitoring": r"(?:(?:respect|observ|maint)\w* (?:of )?the cease-?fire|recurrence of fighting)|"
                            r"(?:monitor|supervis|verif|observ|confirm)\w*\s+(?:\w+\s+){0,6}?(?:the\s+)?(?:cease-?fire|truce|"
                            r"cessation of hostilities|armistice|disengagement|withdrawal)"
                            r"|cease-?fire (?:monitoring|verification)|cessation of (?:hostilities|(?:the )?armed conflict)"
                            r"|violations? of the cease-?fire|arrangements? for (?:a )?cease-?fires?"
                            r"|detect\w*\s+(?:and\s+deter\w*\s+)?(?:\w+\s+){0,2}?incidents\b",
    "humanitarian_assistance_support": r"humanitarian (?:assistance|aid|relief|access|operations|actors|efforts|activities)"
                                       r"|humanitarian(?:\s+and\s+\w+)?\s+(?:fields?|flights|tasks|functions)\b"
                                       r"|delivery of (?:humanitarian|relief)|provision of relief|relief (?:supplies|"
                                       r"operations|assistance)|(?:repatriation|return|resettlement)\w*\s+(?:\w+\s+){0,4}?"
                                       r"(?:refugees|displaced|IDPs)\b|(?:protect|escort)\w*\s+(?:\w+\s+){0,2}?convoys"
                                       r"|(?:monitor|assess|observ)\w*\s+(?:of\s+)?the\s+humanitarian\s+situation"
                                       r"|(?:transfer|evacuation)\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}?(?:wounded|sick|ill)\b",
    "elections": r"\belectoral (?:assistance|support|process|preparations|calendar|commission|bod(?:y|ies)|security|"
                 r"operations|cycle|law)|(?:support|assist|organi[sz]|prepar|conduct|observ|verif|hold|secur|monitor)\w*"
                 r"\s+(?:\S+\s+){0,6}?(?:elections?|referendum|polls)\b|free (?:and fair )?elections|\belections? (?:shall|will) be held"
                 r"|\belections? under the (?:supervision|control)|\belections?\s+(?:being|to be)\s+held\b",
    "demining": r"\bmines?\b|mine action|explosive ordnance|explosive remnants|\bdemining\b|\bIEDs?\b"
                r"|improvised explosive devices?",
    "arms_embargo_monitoring": r"arms embargo|embargo on (?:the )?(?:\w+\s+){0,3}?(?:arms|weapons|military equipment)"
                               r"|\bprevent\w*\s+(?:the\s+)?(?:entry|supply|delivery|import|flow|shipment)\w*\b[^;.]{0,70}?"
                               r"\bof arms\b"
                               # the provisions of earlier resolutions "relating to the supply of ... arms"
                               r"|\b(?:relating|related)\s+to\s+the\s+(?:supply|delivery|sale)\s+of\s+(?:[\w,]+\s+){0,5}?arms\b"
                               # stopping ships or aircraft to search them: "to inspect and verify their cargoes"
                               r"|\binspect\w*\s+(?:and\s+verify\s+)?(?:their\s+|the\s+|its\s+)?cargo(?:es|s)?\b",
    "sexual_violence_and_children": r"sexual (?:and gender-based )?violence|children (?:and|in) armed conflict"
                                    r"|protection (?:and \w+ )?of children|child soldiers|children associated with"
                                    r"|child protection|grave violations against children",
    "state_authority_extension": r"(?:extend|extension of|restor\w+|re-?establish\w*)\s+(?:\w+\s+){0,3}?"
                                 r"(?:State|state|government|governmental) authority|effective authority(?! of (?:the )?(?:United Nations|[A-Z]{4,}))"
                                 r"|(?:re-?establishment\s+of|rehabilitating|rebuilding)\s+(?:\w+\s+){0,3}?"
                                 r"(?:institutions|civil administration)",
    "border_or_buffer_zone": r"buffer zone|area of separation|area of limitation|\bborders?\b|\bboundary\b|Blue Line"
                             r"|\bfrontiers?\b|(?:armistice|demarcation) lines?"
                             r"|demilitari[sz](?:ed zone|ation)|zone of separation",
    "human_rights": r"human rights|violations of international humanitarian law|hate speech|incitement to violence",
    "rule_of_law": r"rule of law|\bjustice\b|judicial|correction(?:s|al)|accountability|\bprisons?\b|impunity"
                   r"|\bprosecution\b",
    "political_process_support": r"political process|peace (?:process|agreement|talks)|mediation|good offices"
                                 r"|(?:just|lasting|durable)(?:\s+and\s+(?:just|lasting|durable))?\s+peace\b"
                                 r"|(?:national|political) reconciliation|political settlement|political dialogue"
                                 r"|(?:monitor|verif)\w*\s+(?:\w+\s+){0,3}?agreements?\b"
                                 r"|implement(?:ation of|ing) (?:all )?the (?:\S+\s+){0,4}?agreements?\b"
                                 r"|implementation (?:by the parties )?of (?:the provisions of )?the (?:\S+\s+){0,4}?"
                                 r"(?:agreements?|accords?(?!\s+(?:or|to)\s)|memorandum)\b"
                                 r"|supervis\w*\s+(?:\w+\s+){0,10}?agreements?\b"
                                 r"|(?:assist|support)\w*\s+(?:the\s+)?(?:\w+\s+){0,2}?constituent assembly\b",
}
_COMPILED = {t: re.compile(p, re.I if t not in ("ddr", "ssr", "state_authority_extension") else 0)
             for t, p in _RULES.items()}
_COMPILED["state_authority_extension"] = re.compile(_RULES["state_authority_extension"], re.I)
assert set(_COMPILED) <= set(TASKS)

# A clause may chain several acts: "Encourages ..., and requests UNMISS to assist ...".
_SEGMENT = re.compile(
    r"(?:[,;]|\band\b)\s+(?:(?:also|further|\w+ly)\s+)?(?P<verb>decides|authori[sz]es|requests|mandates|directs|"
    r"instructs|calls\s+(?:up)?on|urges|encourages|invites|stresses|underlines|emphasi[sz]es|notes|welcomes|"
    r"expresses|reaffirms|reiterates|affirms|condemns|commends|recogni[sz]es|recalls|endorses|approves)\b", re.I)

# Frames and provisos name what a task is measured against, not the task itself:
# "in line with the Peace Agreement", "subject to the proviso that ... progress towards the Agreement",
# "unless the Secretary-General reports progress in the peace process".
PROVISO = re.compile(r"\b(?:subject to the proviso|only upon a review|on the basis of a report|on whether or not|"
                      r"as to whether|unless|(?:if|should)(?:,[^,]{0,160},)?\s+the\s+(?:Secretary[- ]General|situation|(?:Security\s+)?"
                      r"Council|parties)\b)\b.*", re.I | re.S)
# Also frames (each ends where the duty it frames begins: "in accordance with resolution 810 to ensure
# ..."): when something happens ("immediately after the signing of the agreements"), what it is
# looked at for ("with particular reference to ...").
_FRAME = re.compile(r"\b(?:in line with|in accordance with|consistent with|pursuant to|as proposed by|as provided "
                    r"for in|in the light of|informed by|(?:after|following|upon|before|pending)\s+the\s+(?:signing|"
                    r"signature|conclusion|entry into force)\s+of|with (?:particular|special) (?:reference|regard|"
                    r"attention) to)\b(?:(?!\s+to\s+(?:ensure|assist|support|help|monitor|facilitate|provide|"
                    r"carry|continue|maintain|create)\b)[^,;:])*", re.I)
# Where a force is sent is no duty of its own: "a deployment of the Force to the southern border".
_DESTINATION = re.compile(r"\b(?:deploy\w*|redeploy\w*|entry|move\w*)\s+(?:of\s+(?:the\s+)?\w+\s+)?(?:in)?to\s+(?:the\s+)?"
                          r"(?:\w+\s+){0,2}?(?:border|boundary)\b", re.I)


# A proviso set inside the act, with the act's infinitive after it: "authorizes States, unless X complies
# by 15 January, to use all necessary means".
_RESUMES = re.compile(r",\s+to\s+(?=[a-z])")


def without_proviso(text: str) -> str:
    """``text`` without its proviso; an "unless ..." set off by commas ends where the act resumes."""
    m = PROVISO.search(text)
    if not m:
        return text
    if m.group(0)[:6].lower() == "unless" and text[max(0, m.start() - 2):m.start()].strip() == ",":
        resume = _RESUMES.search(text, m.start())
        if resume:
            return f"{text[:m.start()]} {without_proviso(text[resume.start():].lstrip(', '))}"
    return text[:m.start()] + " "


def _duty(body: str) -> str:
    """An act's text without its frames, provisos and destinations: what is left is the duty."""
    return _FRAME.sub(" ", without_proviso(_DESTINATION.sub(" ", body)))


# Approving a report, plan or view adopts tasks by reference only, unless the clause spells out
# what the mission is to do ("approves the recommendation that the Mission should chair ...").
_BY_REFERENCE = re.compile(r"^\s*(?:its\s+)?(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:report|plan|recommendations?|"
                           r"proposals?|approach|views?|position|conclusions?|observations|intention|decision|"
                           r"principles)\b", re.I)
_SPELLED_OUT = re.compile(r"\bthat\s+(?=(?:the\s+)?\S+(?:\s+\S+){0,6}?\s+(?:should|shall|will)\b)", re.I)
# The Secretary-General's own errands (reporting, consulting, inquiring, his good offices, his efforts for a
# settlement) are not the mission's; of a head of mission's, only reporting is his own: his consultations and
# recommendations on the ground are the mission's work.
_SG_ERRAND = re.compile(r"\b(?:Chief\s+of\s+Staff|(?:Force\s+)?Commander)\b(?:\s+(?:mentioned|referred\s+to)\s+above)?(?:,[^,]{0,160},)?\s+(?:to\s+)?(?:continue\s+(?:to\s+)?)?"
                        r"(?:report|inform|submit|keep)\b|"
                        r"\bSecretary[- ]General\b(?:\s+(?:mentioned|referred\s+to)\s+above)?"
                        r"(?:,[^,]{0,160},)?\s+(?:to\s+)?(?:continue\s+(?:to\s+)?)?"
                        r"(?:report|inform|submit|keep|consult|consider|pursue|review|present|study|examine|prepare|"
                        r"plan|make recommendations|use his good offices|promote|investigate|inquire|ask|approach|include|propose|recommend|"
                        r"undertake\s+(?:\w+\s+){0,2}?consultations|"
                        r"ascertain|transmit|discuss|(?:seek\s+to\s+)?(?:organi[sz]e|convene|arrange)\s+(?:a\s+)?(?:meeting|"
                        r"conference|talks)|(?:extend|offer|lend)\s+his\s+(?:cooperation|assistance|support))\b|\bcontinue\s+(?:the\s+|a\s+|"
                        r"their\s+|his\s+)?dialogue\b|\bgood offices\b|\bhis (?:Special Envoy|consultations)\b|zero[- ]tolerance|"
                        r"sexual exploitation and abuse|\b(?:continue|pursue|intensify)\s+(?:his|their)\s+efforts\s+"
                        r"(?:to|towards)\s+(?:achieve|promote|seek|find|bring|facilitate|a\s+)", re.I)
# Several errands or duties asked of the Secretary-General in one act: "to consider X and, in
# response, to take all appropriate steps to Y".
_INFINITIVES = re.compile(r"\band(?:,[^,;]{0,120},)?\s+to\s+(?=[a-z])")
# The Secretary-General (or a head of mission) alone; "the Secretary-General and Member States ... to use all necessary
# means" authorises a force.
_SG_ALONE = re.compile(r"^\s*(?:also\s+|further\s+)?the\s+(?:Secretary[- ]General|Chief\s+of\s+Staff|(?:Force\s+)?Commander)\b(?![^;]{0,40}?\band\s+"
                       r"(?:the\s+)?Member\s+States)", re.I)
# Paired with a humanitarian agency, he acts for the United Nations system, not through the mission.
_WITH_AGENCY = re.compile(r"^\s*(?:also\s+|further\s+)?the\s+Secretary[- ]General\s+and\s+(?:the\s+)?(?:United\s+Nations\s+)?"
                          r"(?:High\s+Commissioner|UNHCR|UNICEF|WFP|World\s+Food|Children's\s+Fund|specialized\s+agencies|"
                          r"(?:humanitarian\s+)?agencies)", re.I)
# He commands a force when told in so many words to use force, when authorised to act, or when the
# measures are to stop, seize or keep out ("all necessary measures to prevent the entry of arms").
_EXPLICIT_FORCE = re.compile(r"(?<!threat or )\buse of (?:the )?(?:requisite )?(?:measure of )?(?:armed )?force\b|"
                             r"\bair power\b", re.I)
_COERCIVE = re.compile(r"\b(?:prevent|stop|halt|apprehend|detain|arrest|deter|enforce|expel|neutrali[sz]e|disarm)\w*",
                       re.I)
# A later act that points back to an earlier one in the same clause carries its subject: "... the
# importance of a neutral environment, encourages X to create such an environment", "... free elections,
# and requests X to provide assistance in this regard", "approves the recommendations ... and requests X to
# implement them".
_ANAPHORA = re.compile(r"\bsuch\s+(?:an?\s+)?\w+|\b(?:implement|carry out)\s+(?:them|it)\b|\b(?:in|to) (?:this|that) (?:regard|end|effect)\b|\bfor (?:this|that) purpose\b",
                       re.I)
# A mission asked to help a sanctions panel or committee helps monitor the arms embargo.
_PANEL_HELP = re.compile(r"\b(?:assist|support|cooperat\w*\s+\w+\s+with)\w*\s+(?:\w+\s+){0,3}?(?:the\s+)?"
                         r"(?:Committee|Panel|Group of Experts)\b", re.I)
# Clauses that set up or steer a sanctions regime give no mission a task.
SANCTIONS = re.compile(r"Panel of Experts|Group of Experts|\bthe Committee\b|designation criteria|designated by the "
                        r"Committee|for designation|asset freeze|travel ban|"
                        r"measures (?:[\w ]{0,20}?)(?:imposed|set out|specified|referred|renewed)|(?:shall\s+)?not\s+(?:to\s+)?apply\s+to"
                      # a ban with a list of exemptions: "shall deny permission to any aircraft ... unless:"
                      r"|\bdeny\s+permission\b|\b(?:unless|except)\s*:", re.I)


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


def is_errand(body: str) -> bool:
    """Whether an act (``body``: the text after its verb) is one of the Secretary-General's own
    errands: reporting, consulting, planning, his good offices."""
    return bool(_SG_ERRAND.search(body))


def segments(verb: str | None, body: str) -> list[tuple[str | None, str]]:
    """(verb, text) for each act chained in a clause; ``body`` is the text after the lead verb."""
    out, start = [], 0
    for m in _SEGMENT.finditer(body):
        out.append((verb, body[start:m.start()]))
        verb, start = " ".join(m.group("verb").lower().split()), m.end()
    out.append((verb, body[start:]))
    return out


def _secretary_general_tasks(verb: str | None, body: str, lead: int) -> list[str]:
    """Duties asked of the Secretary-General, read infinitive by infinitive: his own errands carry
    none, the rest are what he does through the mission.  Force only when named as force, or when he
    is authorised to act and given a duty besides."""
    found: set[str] = set()
    for i, part in enumerate(_INFINITIVES.split(body)):
        text = part if i == 0 else "the Secretary-General to " + part
        if not _SG_ERRAND.search(text):
            found.update(tasks_in(_duty(text), lead))
    if "use_of_force_authorization" in found and not _EXPLICIT_FORCE.search(body) and not (
            verb in ("authorizes", "authorises") or _COERCIVE.search(body)):
        found.discard("use_of_force_authorization")   # "take all necessary measures to open an office"
    return [t for t in TASKS if t in found]


# "Decides to conduct a comprehensive reassessment of X": the Council's own review, no one's duty.
_COUNCIL_REVIEW = re.compile(r"^\W*to\s+(?:consider|review|examine|reassess|remain|(?:conduct|undertake|hold)\s+(?:a\s+|an\s+)?"
                             r"(?:\w+\s+){0,2}?(?:review|reassessment|assessment|consideration|examination))\b", re.I)


def segment_tasks(verb: str | None, body: str, given: bool = False, lead: int = 500,
                  chapter_vii: bool = False) -> list[str]:
    """Tasks one act gives: the addressee must be told to act, and frames, provisos, approvals of
    reports, the Secretary-General's own errands and sanctions machinery carry none.  ``given``: a
    sub-paragraph whose parent's lead already addressed the mission."""
    if verb == "decides" and _COUNCIL_REVIEW.match(body):
        return []
    if not given and not mandates(verb, body, chapter_vii):
        body = by_passive_agent(body) or ""
        if not body:
            return []
        given = True
    if not given and verb in ("approves", "endorses") and _BY_REFERENCE.match(body) and not (
            (m := _SPELLED_OUT.search(body)) and to_mission(body[m.end():])):
        return []
    if _PANEL_HELP.search(body) and to_mission(body) and not given:
        # the Secretariat servicing a sanctions committee is no mission's task
        return [] if _SG_ALONE.match(body) else ["arms_embargo_monitoring"]
    if SANCTIONS.search(body):
        return []
    if _SG_ALONE.match(body) and not given:
        return [] if _WITH_AGENCY.match(body) else _secretary_general_tasks(verb, body, lead)
    found = tasks_in(_duty(body), lead)
    if not given and STATES.match(body) and "use_of_force_authorization" not in found:
        return []   # States are given tasks only as a force the Council authorises
    return found


def clause_tasks(verb: str | None, body: str, given: bool = False, chapter_vii: bool = False) -> list[str]:
    """Tasks of a whole clause: the union over its chained acts, in taxonomy order.  ``given``: the
    clause is a sub-paragraph of a lead that addressed the mission, so its first act needs no
    addressee of its own.  An act that points back ("such an environment", "to this end") and names
    no task of its own takes the subject of the act before it."""
    found: set[str] = set()
    before = ""
    for i, (v, text) in enumerate(segments(verb, body)):
        got = segment_tasks(v, text, given=given and i == 0, chapter_vii=chapter_vii and i == 0)
        m = _ANAPHORA.search(text) if i and not got else None
        if m:   # what is pointed back to names the subject, never an authorisation of force
            got = [t for t in segment_tasks(v, f"{text[:m.start()]} {before} {text[m.end():]}")
                   if t != "use_of_force_authorization"]
        found.update(got)
        before = text
    return [t for t in TASKS if t in found]
