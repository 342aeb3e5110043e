"""Resolution facts: clauses with lead verbs, mandate action, Chapter VII, mandate end, tasks."""

from __future__ import annotations

import re
from collections import Counter

from nlp import gazetteer
from nlp.facts import Clause, Mention, ResolutionFacts, ResolutionRef, TaskRef
from nlp.structure import Para, parse_paragraphs
from nlp.symbols import _DATE, _match_iso
from nlp.tasks import mandates, tasks_in

_ADVERBS = {"further", "also", "again", "once", "hereby", "moreover", "therefore", "furthermore", "and"}
_PHRASAL = {("calls", "upon"), ("calls", "on"), ("calls", "for"), ("takes", "note"), ("bearing", "in"),
            ("taking", "note"), ("taking", "into")}
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
    r"|\b[A-Z]{4,}\s+shall\s+be\s+established\b", re.I)
_NOT_ESTABLISHED = re.compile(r"environment|conditions|contact|dialogue|component|mechanism|fund\b|committee|panel|"
                              r"group of experts|trust", re.I)
_NOT_MISSION = re.compile(r"Panel of Experts|Group of Experts|Monitoring Team|Committee|measures|sanctions", re.I)
_MISSION_WORD = re.compile(r"\b(?:the (?:Force|Mission|Operation)|its mandate|[A-Z]{4,}[\w ]{0,3}|(?:Peace-?keeping|"
                           r"Emergency|Interim|Protection|Disengagement|Observer) Force|Observer (?:Group|Mission)|"
                           r"United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group))\b", re.I)
_PERIODIC = re.compile(r"\buntil\b|\bperiod\b|\bmonths?\b|\byears?\b|\bup to\b|\bending\b|\bto \d{1,2} [A-Z][a-z]+ \d{4}",
                       re.I)
# Clauses that set up or steer a sanctions regime give no mission a task.
_SANCTIONS = re.compile(r"Panel of Experts|Group of Experts|\bthe Committee\b|designation criteria|designated by the "
                        r"Committee|for designation|asset freeze|travel ban|"
                        r"measures (?:imposed|set out|specified|referred)", re.I)
_TO_SECRETARY_GENERAL = re.compile(r"^\s*(?:\d{1,3}\.\s*)?(?:\w+ly\s+|also\s+|further\s+)*(?:requests|invites|"
                                   r"calls upon|encourages)\s+the\s+Secretary-General\b", re.I)
_ACTS = re.compile(r"\bdecides\s+(?:to|that)\b", re.I)
_EXTEND = re.compile(r"\b(?:extend|renew)(?:s|ed)?\b[^;.]{0,80}?\bmandate\b|\bmandate\b[^;.]{0,60}?\b(?:extended|renewed)\b"
                     r"|\bextend\w*\b[^;.]{0,40}?\b(?:stationing|deployment|presence)\b", re.I)
_MODIFY = re.compile(r"\bauthori[sz]e\w*\b[^;.]{0,60}?\bdeployment\b|\bdeploy\w*\b[^;.]{0,40}?\badditional\b|\b(?:modify|adjust|expand|reduce|increase|revise|reconfigure|enlarge|amend|strengthen|"
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
        if parent is not None and parent in verbs:
            verb, rest = verbs[parent]
        else:
            verb, after = lead_verb(body)
            if p.part == "operative" and verb and verb.split()[0].endswith("ing"):
                m = _MAIN_VERB.search(body, after)   # "Acting under Chapter VII ..., authorizes ..."
                if m:
                    verb, after = " ".join(m.group(1).lower().split()), m.end()
            rest = body[after:]
        verbs[p.label] = (verb, rest)
        clause = Clause(p.label, p.part, verb, " ".join(body.split()), p.start, p.end)
        if p.part == "operative" and mandates(verb, rest) and not _SANCTIONS.search(clause.text):
            clause.tasks = tasks_in(clause.text, 500)   # whitespace folded: phrases wrap across lines
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
            found.setdefault("establish", c)
        if not on_mission:
            continue
        if _EXTEND.search(c.text):
            found.setdefault("extend" if _PERIODIC.search(c.text) else "modify", c)
        if _MODIFY.search(c.text):
            found.setdefault("modify", c)
    for action in ("establish", "extend", "modify"):
        if action in found:
            return action, found[action]
    return "other", None


def _mandate_until(c: Clause | None, ops: list[Clause]) -> str | None:
    for clause in ([c] if c else []) + ops:
        for m in _UNTIL.finditer(clause.text):
            d = _DATE.match(clause.text, m.end())
            if d and _match_iso(d):
                return _match_iso(d)
        if c is not None:
            break
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


_DEPLOYS = re.compile(r"military (?:assistance|observers?)|observer (?:group|mission)|peace-?keeping|transition "
                      r"assistance|truce supervision|\bestablish\w*\b[^;.]{0,60}\b(?:force|group|mission|operation)\b",
                      re.I)


def _unnamed_mission(year: int, mentions: list[Mention]) -> list[str]:
    """Early resolutions often set up an operation without naming it ("military assistance to
    the Congo"): the one mission that began that year in the country the text is about."""
    states = [name for name, _ in Counter(m.name for m in mentions if m.type == "State").most_common(3)]
    hits = [e.name for e in gazetteer.missions() if e.start == year and e.country
            and any(e.country == s or s in e.country or e.country in s for s in states)]
    return hits if len(hits) == 1 else []


def resolution_facts(text: str, symbol: str, adopted: str | None, refs: list[ResolutionRef],
                     mentions: list[Mention], paras: list[Para] | None = None) -> ResolutionFacts:
    cls = clauses(text, paras)
    ops = [c for c in cls if c.part == "operative"]
    in_ops = [m for m in mentions if m.type == "Mission" and any(c.start <= m.start < c.end for c in ops)]
    missions = list(dict.fromkeys(m.name for m in in_ops))
    if not missions and any(_MISSION_WORD.search(c.text) and not _NOT_MISSION.search(c.text) for c in ops):
        named = Counter(m.name for m in mentions if m.type == "Mission")
        if len(named) == 1:  # "the Force" in the operative part, and one mission named in the text
            missions = list(named)
    if not missions and adopted and any(_DEPLOYS.search(c.text) for c in ops):
        missions = _unnamed_mission(int(adopted[:4]), mentions)
    action, clause = _action(ops, in_ops)
    seen, cites = {symbol}, []
    for r in refs:
        if r.symbol not in seen:
            seen.add(r.symbol)
            cites.append(r)
    for c in ops:
        # a task is something a mission is given to do, not the Secretary-General's own errand
        own = any(c.start <= m.start < c.end for m in in_ops) or _MISSION_WORD.search(c.text)
        if not missions or (_TO_SECRETARY_GENERAL.match(c.text) and not own):
            c.tasks = []
    tasks = [TaskRef(t, c.paragraph, c.verb, c.text, c.start, c.end) for c in ops for t in c.tasks]
    until = _mandate_until(clause, ops) if action in ("extend", "establish", "modify") else None
    return ResolutionFacts(symbol=symbol, adopted=adopted, missions=missions, action=action,
                           chapter_vii=bool(_CHAPTER_VII.search(text)), mandate_until=until,
                           mandate_period=_mandate_period(clause), cites=cites, clauses=cls, tasks=tasks)
