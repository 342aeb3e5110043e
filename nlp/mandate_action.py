"""What a resolution does to a mission's mandate: establish, extend or modify it, and until when.

Read from the operative clauses by phrase rules.  A clause may chain several acts ("Requests the
Secretary-General to ... and to that end, authorizes the strengthening of the Force"), so the
rules look at the acts a clause makes, not only at its lead verb.
"""

from __future__ import annotations

import re

from nlp.addressee import MISSION_NOUN, to_mission
from nlp.facts import Clause, Mention
from nlp.symbols import _DATE, _match_iso
from nlp.tasks import is_errand, segments, without_proviso

# Chapter VII: "Acting (therefore) under Chapter VII", "Decides, under Chapter VII", "Acting under
# Articles 39 and 40", and the provisional measures of Article 40 that older texts order ("orders,
# pursuant to Article 40, ...").  A threat ("with a view to action under Chapter VII") is not enough.
CHAPTER_VII = re.compile(r"\bActing\s+(?:\w+\s+){0,2}?(?:under|wider|in\s+accordance\s+with)\s+(?:Chapters?\s+VII\b|"
                         r"Articles?\s+(?:39|40|41|42)\b)|\bDecides,?\s+(?:under|in\s+accordance\s+with)\s+(?:Chapter"
                         r"\s+VII\b|Article\s+4[0-2]\b)|\b(?:pursuant\s+to|under)\s+Article\s+40\b", re.I)
_ESTABLISH = re.compile(
    r"\bestablish(?:es|ment of)?\s+(?:the\s+)?(?-i:[A-Z]{4,})\b"
    r"|\b(?:establish(?:es|ment)?|(?<!, )established(?!\s+(?:under|by|pursuant|in accordance))|set up|"
    r"creation(?:,[^;.]{0,80}?,)? of)\b(?P<mid>[^;.]{0,160}?)\b(?:forces?|"
    r"missions?|operations?|offices?|presence|observer groups?|United Nations [A-Z]\w+)\b"
    r"|\b(?:(?-i:[A-Z]{4,})|the\s+(?:Force|Mission|Operation|Group)|United\s+Nations\s+(?:[\w-]+\s+){1,6})"
    r"\s*shall\s+be\s+(?:established|set\s+up)\b", re.I)
# What is set up is no mission: a body of the parties ("a Joint Commission"), a fund, or a part set up
# "as part of" an operation that exists ("four operational zones ... as part of the Operation").
_NOT_ESTABLISHED = re.compile(r"environment|conditions|contact|dialogue|component|mechanism|fund\b|committee|panel|"
                              r"\bban\b|embargo|prohibition|\bzones?\b|measures|"
                              r"group of experts|trust|commission|as part of", re.I)
# Something set up "as part of" an operation that exists changes that operation.
_PART_OF = re.compile(r"\bas part of\b", re.I)
# "establish a presence of the United Nations Protection Force in X": a new area for a mission that exists.
_PRESENCE_OF = re.compile(r"\s+(?:of|within)\s+(?:the\s+)?(?:United Nations\b|(?-i:[A-Z]{4,})\b|Force\b|Mission\b)", re.I)
# A mission's first mandate runs for an "initial period" ("for an initial period of six months").
_INITIAL = re.compile(r"\binitial\s+(?:[\w-]+\s+){0,2}?period\b", re.I)
# Sanctions machinery, which the operative words for a mission ("the Group", "measures") may also name.
NOT_MISSION = re.compile(r"Panel of Experts|Group of Experts|Monitoring Team|Committee|sanctions|(?:restrictive|enforcement) measures"
                         r"|measures\s+(?:[\w ]{0,20}?)(?:imposed|set out|specified|referred to|renewed|against)", re.I)
MISSION_WORD = re.compile(r"\b(?:the (?:Force|Mission|Operation|(?-i:Authority))|its mandate|(?-i:(?![IVXLCDM]+\b)[A-Z]{4,})|(?:Peace-?keeping|"
                          r"Emergency|Interim|Protection|Disengagement|Observer) Force|Observ(?:er|ation) (?:Group|Mission)|"
                          r"Truce Supervision Organi[sz]ation|"
                          r"United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group|(?-i:Authority)))\b", re.I)
# A mission as the object of a change: "the Force", "UNPROFOR", "the United Nations Protection Force".
_A_MISSION = (r"(?:the\s+)?(?:United\s+Nations\s+(?:[\w-]+\s+){0,4}?|(?-i:[A-Z][\w-]+\s+){1,3})?(?:" + MISSION_NOUN
              + r"|(?-i:[A-Z]{4,}))\b")
_PERIODIC = re.compile(r"\buntil\b|\bnot later than\b|\bexpiring\b|\bperiod\b|\bmonths?\b|\byears?\b|\bup to\b|\bending\b|\bto \d{1,2} [A-Z][a-z]+ \d{4}",
                       re.I)
_ACTS = re.compile(r"\bdecides\s+(?:to|that)\b|\breaffirms\s+its\s+(?:approval|decision)\b", re.I)
# A new period: "extends the mandate" (or its terms of reference), "the mandate (or its tasks) ... will be extended", and the older "approves the
# continuation of the mandate" or "the continued presence of the Mission until ...".
_EXTEND = re.compile(r"\b(?:extend|renew)(?:s|ed)?\b[^;.]{0,80}?\b(?:mandate|terms of reference)\b"
                     r"|\b(?:mandate|terms of reference)\b[^;.]{0,150}?\b(?:extended|renewed)\b"
                     r"|\btasks\b[^;.]{0,240}?\b(?:shall|will|should)\s+be\s+(?:extended|renewed)\b"
                     r"|\bextend\w*\b[^;.]{0,90}?\b(?:stationing|stationed|deployment|deployed|presence)\b"
                     r"|\bfor\s+(?:a\s+|an\s+)?(?:further|additional)\s+period\b"
                     r"|\bcontinu(?:ation|ed|ance)\s+(?:of\s+)?(?:[\w'’-]+\s+){0,5}?(?:mandate|presence|stationing|service|"
                     r"existence)\b", re.I)
_MODIFY = re.compile(r"\b(?:authori[sz]e\w*|approval)\b[^;.]{0,60}?\bdeployment\b|\bfurther deployment\b|"
                     r"\bestablishment of\b[^;.]{0,80}?\bcomponent\b|\bdeploy\w*\b[^;.]{0,40}?\badditional\b|"
                     r"\b(?:strengthen|reinforce|enlarge|expan)\w*\s+(?:of\s+)?" + _A_MISSION + r"|"
                     r"\baddition of\b[^;.]{0,40}?\b(?:observers|personnel|troops|police|battalions?)\b|"
                     r"\b(?:modify|adjust|expand|reduce|increase|revise|reconfigure|enlarge|amend|strengthen|"
                     r"terminate|draw down|drawdown)\w*\b[^;.]{0,80}?\b(?:mandate|size|strength|troop ceiling|"
                     r"force levels?|authori[sz]ed|presence)|\brevised mandate\b|\bapproves\b[^;.]{0,80}?\b(?:deployment|"
                     r"reinforcement|additional|increase|redeployment)"
                     # winding down: "the withdrawal of the military component of UNTAC shall end on ..."
                     r"|\bwithdrawal\s+of\s+(?:the\s+)?(?:(?:military|civilian|police)\s+component|"
                     r"(?:\w+\s+){0,4}?(?:contingents?|troops|personnel|[Uu]nits?|elements|components)\s+of\s+" + _A_MISSION + r"|" + _A_MISSION + r")"
                     # new duties: "to assume responsibility for monitoring ...", "this new task", and a
                     # recommendation the Council adopts "that the Mission should chair ..."
                     r"|\bassume\s+(?:the\s+)?(?:\w+\s+)?(?:responsibilit(?:y|ies)|functions?|tasks?)\b|\bnew tasks?\b"
                     r"|\b(?:recommendation|proposal)s?\b[^;.]{0,80}?\bthat\s+" + _A_MISSION + r"\s+(?:should|shall|will)\b"
                     # a new area: "the entry of the Force into the province"
                     r"|\b(?:entry|redeployment|deployment)\s+of\s+" + _A_MISSION + r"\s+(?:in)?to\b"
                     # a change in the passive: "that the strength of the Force be increased"
                     r"|\b(?:strength|size|troop ceiling|mandate)\s+of\s+" + _A_MISSION + r"\s+(?:should\s+|shall\s+|will\s+)?be\s+"
                     r"(?:increased|reduced|enlarged|expanded|strengthened|adjusted|modified)\b"
                     # a new duty asked of the mission itself: "requests UNPROFOR to monitor compliance with the ban"
                     r"|\brequests\s+" + _A_MISSION + r"\s+(?:also\s+)?to\s+(?:monitor|verify|supervise|observe|ensure|"
                     r"escort|protect|investigate|undertake|assume|carry\s+out|inspect|control)\b", re.I)
# Force granted in so many words ("the use of force", "air power") changes what a mission may do.
_FORCE_GRANTED = re.compile(r"(?<!threat or )(?<!from )(?<!from the )\buse of (?:the )?(?:requisite )?(?:measure of )?"
                            r"(?:armed )?force\b|\bair power\b", re.I)
# A mandate that a clause calls widened, when no clause says how ("its expanded mandate").
WIDENED = re.compile(r"\b(?:its|the)\s+(?:expanded|enlarged|widened|new|revised)\s+mandate\b|\bthis new task\b", re.I)
# An act held in prospect is no act: "declares its readiness to consider ...", "decides to consider ...".
PROSPECT = re.compile(r"^\W*(?:its\s+(?:readiness|willingness|intention|determination|preparedness)\b|to\s+(?:consider|"
                       r"review|examine|keep|remain)\b|that\s+it\s+(?:will|would|shall)\s+consider\b)", re.I)
_UNTIL = re.compile(r"\b(?:until|to|(?:ending|terminating|expiring)(?:\s+on)?|(?:shall|will)\s+end\s+on|up\s+to|"
                    r"through)(?:[!|](?=\s))?\s+", re.I)   # "until! 19 January": a scanning speck
# A termination dated "with effect from" a day ends the mandate that day (in an extension the same
# words give its start, so only after "terminate").
_ENDS_FROM = re.compile(r"\bterminat\w*\b[^;.]{0,150}?\bwith\s+effect\s+from\s+", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "a": 1, "an": 1}
_PERIOD = re.compile(r"\bfor\s+(?:a\s+|an\s+)?(?:further\s+|additional\s+|new\s+)?(?:period\s+of\s+)?"
                     r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|a|an)"
                     r"(?:\s*\(\d+\))?\s+(months?|years?)\b", re.I)

ACTING_VERBS = {"decides", "authorizes", "authorises", "establishes", "extends", "recommends", "approves", "endorses"}


def _after_verb(verb: str, text: str) -> str:
    """A clause's first act without its label and lead verb ("6. Further requests the ..." -> "the ...")."""
    m = re.search(r"\b" + re.escape(verb.split()[-1]) + r"\b", text[:160], re.I)
    return text[m.end():] if m else text


def _acts(c: Clause) -> str:
    """The text of the acts in a clause that can change a mandate: those of an acting verb, "declares
    that ...", and requests to the mission or the Secretary-General that are no errand of his
    (reporting, planning, proposing ...)."""
    out = []
    for i, (verb, text) in enumerate(segments(c.verb, c.text)):
        body = _after_verb(verb, text) if i == 0 and verb else text
        if PROSPECT.match(body):
            continue
        if verb in ACTING_VERBS or (verb == "declares" and re.match(r"\W*that\b", body, re.I)) or (
                verb == "confirms" and re.match(r"\W*its\s+agreement\s+to\b", body, re.I)) or (
                verb == "requests" and to_mission(body) and not is_errand(body)):
            # the verb stays ("extends ... the stationing"); a condition is no act ("unless ... have established")
            out.append(f"{verb} {without_proviso(body)}")
    if not out and _ACTS.search(c.text):
        out.append(c.text)
    return " ".join(out)


def action(ops: list[Clause], missions: list[Mention], inferred: bool = False) -> tuple[str, Clause | None]:
    """The main act on a mission, by precedence establish > extend > modify.  Renewing a sanctions
    panel is not a mission act, and an extension with no period or end date widens the mandate.
    ``inferred``: the mission is named nowhere and was read from what the text asks of it, so a
    clause that gives tasks acts on it."""
    found: dict[str, Clause] = {}
    for c in ops:
        text = _acts(c)
        named = any(c.start <= m.start < c.end for m in missions)
        on_mission = named or (bool(MISSION_WORD.search(c.text)) and not NOT_MISSION.search(c.text)) or (
            inferred and bool(c.tasks))
        if on_mission and "use_of_force_authorization" in c.tasks and _FORCE_GRANTED.search(c.text):
            found.setdefault("modify", c)   # force granted in so many words, whatever the verb
        if not text:
            continue
        m = _ESTABLISH.search(text)
        if m and not _NOT_ESTABLISHED.search(text[m.start():m.end() + 30]):
            part = m.group(0).lower().endswith(("presence", "office")) and _PRESENCE_OF.match(text, m.end())
            found.setdefault("modify" if part else "establish", c)
        if not on_mission:
            continue
        if m and _PART_OF.search(text[m.start():m.end() + 30]):
            found.setdefault("modify", c)   # "to establish four zones ... as part of the Operation"
        if _INITIAL.search(text) and not _EXTEND.search(text):
            found.setdefault("establish", c)
        if _EXTEND.search(text):
            found.setdefault("extend" if _PERIODIC.search(text) else "modify", c)
        if _MODIFY.search(text):
            found.setdefault("modify", c)
    for act in ("establish", "extend", "modify"):
        if act in found:
            return act, found[act]
    if missions and any(WIDENED.search(c.text) for c in ops):
        return "modify", None
    return "other", None


# A scanned day of the month whose digits came out as look-alike letters: "IS December 1981" is 15.
_OCR_DAY = re.compile(r"\b(?=[0-9IlOS]*[IlOS])(?=[0-9IlOS]*[0-9Il])[0-9IlOS]{2}(?=\s+(?:January|February|March|April|May|"
                      r"June|July|August|September|October|November|December)\s+\d{4}\b)")
# ... and a year whose leading 1 came out as a letter: "30 November i993".
_OCR_YEAR = re.compile(r"\b((?:January|February|March|April|May|June|July|August|September|October|November|December)"
                       r"\s+)[iIl](?=9\d\d\b)")
_DIGIT = str.maketrans("IlOS", "1105")


def undo_ocr_dates(text: str) -> str:
    """Same length as ``text``, so offsets hold; only a two-character day right before a month and
    a year is read, and it must hold a digit or an I/l (a letter-only "SO" or "OS" is left alone);
    a year's first digit is read as 1 only right after a month."""
    text = _OCR_YEAR.sub(lambda m: m.group(1) + "1", text)
    return _OCR_DAY.sub(lambda m: m.group(0).translate(_DIGIT), text)


_WITHDRAWAL = re.compile(r"\bperiod\s+of\s+(?:the\s+)?withdrawal\b|\bwithdrawal\b[^;]{0,200}\b(?:shall|will)\s+end\b", re.I)
_LEAVES_BY = re.compile(r"\b(?:until|by|(?:shall|will)\s+end\s+on|completed\s+by)\s+", re.I)


def _last_departure(ops: list[Clause]) -> str | None:
    """A mission that leaves in stages ends when its last elements leave: the latest of the dates
    the withdrawal clauses give ("... until 30 November", "... withdrawn by 31 December")."""
    dates = []
    for o in ops:
        if re.search(r"\bwithdraw", o.text, re.I):
            text = undo_ocr_dates(o.text)
            dates += [iso for m in _LEAVES_BY.finditer(text) if (d := _DATE.match(text, m.end())) and (iso := _match_iso(d))]
    return max(dates, default=None)


_SETS_TERM = re.compile(r"\b(?:mandate|established|stationing)\b[^;]*\b(?:until|through)\b", re.I)


def mandate_until(c: Clause | None, ops: list[Clause]) -> str | None:
    """The end date stated in the acting clause; else in a clause that sets the mandate's term
    apart from the act ("2. Decides to establish X; 3. decides that X is established until ...")."""
    if c is not None and _WITHDRAWAL.search(c.text):
        return _last_departure(ops)
    candidates = [c] + [o for o in ops if o is not c and _SETS_TERM.search(o.text)] if c else ops
    for clause in candidates:
        text = undo_ocr_dates(clause.text)
        for m in [*_UNTIL.finditer(text), *_ENDS_FROM.finditer(text)]:
            d = _DATE.match(text, m.end())
            if d and _match_iso(d):
                return _match_iso(d)
    return None


def mandate_period(c: Clause | None) -> str | None:
    """The stated duration of the act as an ISO 8601 period ("six months" -> "P6M")."""
    if c is None:
        return None
    m = _PERIOD.search(c.text)
    if not m:
        return None
    n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).lower()]
    unit = "M" if m.group(2).lower().startswith("month") else "Y"
    if unit == "M" and n % 12 == 0:
        n, unit = n // 12, "Y"
    return f"P{n}{unit}"
