"""Resolution facts: clauses with lead verbs, mandate action, Chapter VII, mandate end, tasks."""

from __future__ import annotations

import re
from collections import Counter

from nlp import gazetteer
from nlp.facts import Clause, Mention, ResolutionFacts, ResolutionRef, TaskRef
from nlp.structure import Para, parse_paragraphs
from nlp.symbols import _DATE, _match_iso
from nlp.tasks import SANCTIONS, clause_tasks, mandates

_ADVERBS = {"further", "also", "again", "once", "hereby", "moreover", "therefore", "furthermore", "and"}
_PHRASAL = {("calls", "upon"), ("calls", "on"), ("calls", "for"), ("takes", "note"), ("bearing", "in"),
            ("taking", "note"), ("taking", "into"), ("looks", "forward")}
_MAIN_VERB = re.compile(
    r",\s+(?:\w+ly\s+|also\s+|further\s+)?(decides|authori[sz]es|requests|demands|calls\s+(?:upon|on|for)|urges|"
    r"encourages|invites|welcomes|condemns|reaffirms|endorses|approves|notes|expresses|stresses|emphasi[sz]es|"
    r"underlines|recalls|directs|mandates|affirms|declares|determines|reiterates)\b", re.I)
_LABEL = re.compile(r"^\s*(?:\d{1,3}\.|\([a-z]{1,4}\)|[ivx]+\.)\s*")
_CHAPTER_VII = re.compile(r"\bActing\s+\w+\s+Chapter\s+VII\b|\b(?:Acting|Decides),?\s+under\s+Chapter\s+VII\b"
                          r"|\bActing\s+under\s+Articles?\s+(?:39|40|41|42)\b", re.I)
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
                              r"group of experts|trust|commission|as part of", re.I)
# "establish a presence of the United Nations Protection Force in X": a new area for a mission that exists.
_PRESENCE_OF = re.compile(r"\s+(?:of|within)\s+(?:the\s+)?(?:United Nations\b|(?-i:[A-Z]{4,})\b|Force\b|Mission\b)", re.I)
# A mission's first mandate runs for an "initial period" ("for an initial period of six months").
_INITIAL = re.compile(r"\binitial\s+(?:[\w-]+\s+){0,2}?period\b", re.I)
_NOT_MISSION = re.compile(r"Panel of Experts|Group of Experts|Monitoring Team|Committee|measures|sanctions", re.I)
_MISSION_WORD = re.compile(r"\b(?:the (?:Force|Mission|Operation)|its mandate|(?-i:[A-Z]{4,})|(?:Peace-?keeping|"
                           r"Emergency|Interim|Protection|Disengagement|Observer) Force|Observer (?:Group|Mission)|"
                           r"United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group))\b", re.I)
_PERIODIC = re.compile(r"\buntil\b|\bperiod\b|\bmonths?\b|\byears?\b|\bup to\b|\bending\b|\bto \d{1,2} [A-Z][a-z]+ \d{4}",
                       re.I)
_ACTS = re.compile(r"\bdecides\s+(?:to|that)\b|\breaffirms\s+its\s+(?:approval|decision)\b", re.I)
_EXTEND = re.compile(r"\b(?:extend|renew)(?:s|ed)?\b[^;.]{0,80}?\bmandate\b|\bmandate\b[^;.]{0,90}?\b(?:extended|renewed)\b"
                     r"|\bextend\w*\b[^;.]{0,40}?\b(?:stationing|deployment|presence)\b", re.I)
_MODIFY = re.compile(r"\b(?:authori[sz]e\w*|approval)\b[^;.]{0,60}?\bdeployment\b|\bfurther deployment\b|"
                     r"\bestablishment of\b[^;.]{0,80}?\bcomponent\b|\bdeploy\w*\b[^;.]{0,40}?\badditional\b|"
                     r"\b(?:strengthen|reinforce|enlarge|expan)\w*\s+(?:of\s+)?(?:the\s+)?(?:Force|Mission|Operation|"
                     r"(?-i:[A-Z]{4,}))\b|\baddition of\b[^;.]{0,40}?\b(?:observers|personnel|troops|police|battalions?)\b|"
                     r"\b(?:modify|adjust|expand|reduce|increase|revise|reconfigure|enlarge|amend|strengthen|"
                     r"terminate|draw down|drawdown)\w*\b[^;.]{0,80}?\b(?:mandate|size|strength|troop ceiling|"
                     r"force levels?|authori[sz]ed)|\brevised mandate\b|\bapproves\b[^;.]{0,80}?\b(?:deployment|"
                     r"continuation|reinforcement|additional|increase|redeployment)", re.I)
_UNTIL = re.compile(r"\b(?:until|to|(?:ending|terminating)(?:\s+on)?|up\s+to|through)\s+", re.I)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24, "a": 1, "an": 1}
_PERIOD = re.compile(r"\bfor\s+(?:a\s+|an\s+)?(?:further\s+|additional\s+|new\s+)?(?:period\s+of\s+)?"
                     r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|a|an)"
                     r"(?:\s*\(\d+\))?\s+(months?|years?)\b", re.I)


def lead_verb(text: str) -> tuple[str | None, int]:
    """(verb, offset after it) of a clause: "Strongly condemns" -> "condemns", "Calls upon" -> "calls upon"."""
    m = _LABEL.match(text)
    pos = m.end() if m else 0
    words = list(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text[pos:pos + 120]))
    i = 0
    while i < len(words) and (words[i].group(0).lower() in _ADVERBS or
                              (words[i].group(0).lower().endswith("ly") and i + 1 < len(words))):
        i += 1
    if i >= len(words):
        return None, pos
    w = words[i].group(0).lower()
    end = pos + words[i].end()
    if i + 1 < len(words) and (w, words[i + 1].group(0).lower()) in _PHRASAL:
        w = f"{w} {words[i + 1].group(0).lower()}"
        end = pos + words[i + 1].end()
    return w, end


def clauses(text: str, paras: list[Para] | None = None) -> list[Clause]:
    """Every preambular and operative paragraph/sub-paragraph with its lead verb and tasks."""
    paras = parse_paragraphs(text, resolution=True) if paras is None else paras
    out: list[Clause] = []
    verbs: dict[str, tuple[str | None, str]] = {}
    for p in paras:
        if not p.label or p.part not in ("preamble", "operative"):
            continue
        body = text[p.start:p.end]
        parent = p.label.rsplit("(", 1)[0] if "(" in p.label else None
        clause = Clause(p.label, p.part, None, " ".join(body.split()), p.start, p.end)
        if parent is not None and parent in verbs:
            clause.verb, rest = verbs[parent]
            if p.part == "operative" and mandates(clause.verb, rest):
                m = _LABEL.match(clause.text)
                clause.tasks = clause_tasks(clause.verb, clause.text[m.end() if m else 0:], given=True)
        else:
            verb, after = lead_verb(body)
            if p.part == "operative" and verb and verb.split()[0].endswith("ing"):
                m = _MAIN_VERB.search(body, after)   # "Acting under Chapter VII ..., authorizes ..."
                if m:
                    verb, after = " ".join(m.group(1).lower().split()), m.end()
            rest = " ".join(body[after:].split())   # whitespace folded: phrases wrap across lines
            clause.verb = verb
            if p.part == "operative":
                clause.tasks = clause_tasks(verb, rest)
        verbs[p.label] = (clause.verb, rest)
        out.append(clause)
    _tasks_by_structure(out)
    return out


def _tasks_by_structure(cls: list[Clause]) -> None:
    """A lead-in with sub-paragraphs introduces them: its tasks belong to the items, except an
    authorisation of force, which the lead-in itself gives.  A titled group ("(a) Protection of
    civilians:") lends its task to the items under it that name none of their own."""
    labels = {c.paragraph for c in cls}
    for c in cls:
        if c.part != "operative" or not any(x.startswith(c.paragraph + "(") for x in labels):
            continue
        titled = c.text.rstrip().endswith(":") and len(c.text.split()) <= 16 and "(" in c.paragraph
        if titled:
            for child in cls:
                if child.paragraph.startswith(c.paragraph + "(") and not child.tasks and child.verb == c.verb \
                        and mandates(child.verb, ""):
                    child.tasks = list(c.tasks)
        c.tasks = [t for t in c.tasks if t == "use_of_force_authorization" and not titled]


_ACTING_VERBS = {"decides", "authorizes", "authorises", "establishes", "extends", "recommends", "approves"}


def _action(ops: list[Clause], missions: list[Mention]) -> tuple[str, Clause | None]:
    """The main act on a mission, by precedence establish > extend > modify.  Renewing a sanctions
    panel is not a mission act, and an extension with no period or end date widens the mandate."""
    found: dict[str, Clause] = {}
    for c in ops:
        if c.verb not in _ACTING_VERBS and not _ACTS.search(c.text):
            continue
        named = any(c.start <= m.start < c.end for m in missions)
        on_mission = named or (bool(_MISSION_WORD.search(c.text)) and not _NOT_MISSION.search(c.text))
        m = _ESTABLISH.search(c.text)
        if m and not _NOT_ESTABLISHED.search(c.text[m.start():m.end() + 30]):
            part = m.group(0).lower().endswith(("presence", "office")) and _PRESENCE_OF.match(c.text, m.end())
            found.setdefault("modify" if part else "establish", c)
        if not on_mission:
            continue
        if _INITIAL.search(c.text) and not _EXTEND.search(c.text):
            found.setdefault("establish", c)
        if _EXTEND.search(c.text):
            found.setdefault("extend" if _PERIODIC.search(c.text) else "modify", c)
        if _MODIFY.search(c.text):
            found.setdefault("modify", c)
    for action in ("establish", "extend", "modify"):
        if action in found:
            return action, found[action]
    return "other", None


# A scanned day of the month whose digits came out as look-alike letters: "IS December 1981" is 15.
_OCR_DAY = re.compile(r"\b(?=[0-9IlOS]*[IlOS])(?=[0-9IlOS]*[0-9Il])[0-9IlOS]{2}(?=\s+(?:January|February|March|April|May|"
                      r"June|July|August|September|October|November|December)\s+\d{4}\b)")
_DIGIT = str.maketrans("IlOS", "1105")


def _undo_ocr_days(text: str) -> str:
    """Same length as ``text``, so offsets hold; only a two-character day right before a month and
    a year is read, and it must hold a digit or an I/l (a letter-only "SO" or "OS" is left alone)."""
    return _OCR_DAY.sub(lambda m: m.group(0).translate(_DIGIT), text)


_SETS_TERM = re.compile(r"\b(?:mandate|established|stationing)\b[^;]*\b(?:until|through)\b", re.I)


def _mandate_until(c: Clause | None, ops: list[Clause]) -> str | None:
    """The end date stated in the acting clause; else in a clause that sets the mandate's term
    apart from the act ("2. Decides to establish X; 3. decides that X is established until ...")."""
    candidates = [c] + [o for o in ops if o is not c and _SETS_TERM.search(o.text)] if c else ops
    for clause in candidates:
        text = _undo_ocr_days(clause.text)
        for m in _UNTIL.finditer(text):
            d = _DATE.match(text, m.end())
            if d and _match_iso(d):
                return _match_iso(d)
    return None


def _mandate_period(c: Clause | None) -> str | None:
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


_DEPLOYS = re.compile(r"military (?:assistance|observers?)|under the supervision and control of the United Nations|observer (?:group|mission)|peace-?keeping|transition "
                      r"assistance|truce supervision|\bestablish\w*\b[^;.]{0,60}\b(?:force|group|mission|operation)\b",
                      re.I)


# A mission referred to by description rather than by name or acronym.
_DESCRIBED = re.compile(r"\b(?:the (?:Force|Mission|Operation)\b|(?:the )?(?:military )?observer (?:group|mission)\b|"
                        r"United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group)\b)", re.I)


def _unnamed_mission(year: int, mentions: list[Mention], serving: bool = False) -> list[str]:
    """Early resolutions often set up an operation without naming it ("military assistance to
    the Congo"): the one mission that began that year in the country the text is about.  With
    ``serving``, the one mission serving there that year ("the military observer group shall
    continue to supervise the cease-fire")."""
    states = [name for name, _ in Counter(m.name for m in mentions if m.type == "State").most_common(3)]
    hits = [e.name for e in gazetteer.missions() if e.start and e.country
            and (e.start <= year <= (e.end or year) if serving else e.start == year)
            and any(e.country == s or s in e.country or e.country in s for s in states)]
    return hits if len(hits) == 1 else []


def _successors(missions: list[str], year: int) -> tuple[list[str], bool]:
    """A new mandate for a mission in the year the list replaces it by its numbered successor
    ("UNOSOM" -> "UNOSOM II") sets up that successor, whatever name the text still uses."""
    out, renamed = [], False
    for name in missions:
        old, new = gazetteer.mission(name), gazetteer.mission(f"{name} II")
        if old and new and new.name != old.name and new.start == year == old.end:
            name, renamed = new.name, True
        out.append(name)
    return list(dict.fromkeys(out)), renamed


# Clauses that look ahead to a report or thank those who served act on no mission.
_BYSTANDER_VERBS = {"looks forward", "commends", "thanks", "pays"}


def _acting(ops: list[Clause]) -> list[Clause]:
    """Operative clauses that can act on a mission: a mission named in a sanctions clause (data
    shared with it, an exemption for its supplies), in thanks, or in looking forward to a report on
    its establishment is a bystander unless the clause gives it a task."""
    by = {c.paragraph: c for c in ops}
    out = []
    for c in ops:
        top = by.get(c.paragraph.split("(", 1)[0], c)
        if c.tasks or not (SANCTIONS.search(c.text) or SANCTIONS.search(top.text) or top.verb in _BYSTANDER_VERBS):
            out.append(c)
    return out


def _missions(ops: list[Clause], mentions: list[Mention], adopted: str | None) -> tuple[list[str], list[Mention], bool]:
    """(missions acted on, their mentions in acting clauses, whether an unnamed one began this year).
    Named in an acting clause; else "the Force" with one mission named anywhere in the text; else
    an operation deployed without a name in the year it began; else one described ("the Mission",
    "a United Nations observer group") in a country where one mission served that year."""
    acting = _acting(ops)
    in_ops = [m for m in mentions if m.type == "Mission" and any(c.start <= m.start < c.end for c in acting)]
    missions = list(dict.fromkeys(m.name for m in in_ops))
    year = int(adopted[:4]) if adopted else None
    if not missions and any(_MISSION_WORD.search(c.text) and not _NOT_MISSION.search(c.text) for c in acting):
        named = Counter(m.name for m in mentions if m.type == "Mission")
        if len(named) == 1:  # "the Force" in the operative part, and one mission named in the text
            missions = list(named)
    unnamed = not any(m.type == "Mission" for m in mentions)
    if not missions and year and unnamed and any(_DEPLOYS.search(c.text) for c in acting):
        missions = _unnamed_mission(year, mentions)
        if missions:
            return missions, in_ops, True
    if not missions and year and any(_DESCRIBED.search(c.text) and not _NOT_MISSION.search(c.text) for c in acting):
        missions = _unnamed_mission(year, mentions, serving=True)
    return missions, in_ops, False


def resolution_facts(text: str, symbol: str, adopted: str | None, refs: list[ResolutionRef],
                     mentions: list[Mention], paras: list[Para] | None = None) -> ResolutionFacts:
    cls = clauses(text, paras)
    ops = [c for c in cls if c.part == "operative"]
    missions, in_ops, began = _missions(ops, mentions, adopted)
    action, clause = _action(ops, in_ops)
    if began and not in_ops and action == "other":
        action = "establish"   # an operation set up without being named began that year
    if adopted and action in ("establish", "modify"):
        missions, renamed = _successors(missions, int(adopted[:4]))
        action = "establish" if renamed else action
    seen, cites = {symbol}, []
    for r in refs:
        if r.symbol not in seen:
            seen.add(r.symbol)
            cites.append(r)
    if not missions:   # tasks are given to a mission (or a force acting for the Council)
        for c in ops:
            c.tasks = []
    tasks = [TaskRef(t, c.paragraph, c.verb, c.text, c.start, c.end) for c in ops for t in c.tasks]
    until = _mandate_until(clause, ops) if action in ("extend", "establish", "modify") else None
    return ResolutionFacts(symbol=symbol, adopted=adopted, missions=missions, action=action,
                           chapter_vii=bool(_CHAPTER_VII.search(text)), mandate_until=until,
                           mandate_period=_mandate_period(clause), cites=cites, clauses=cls, tasks=tasks)
