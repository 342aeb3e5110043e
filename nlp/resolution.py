"""Resolution facts: clauses with lead verbs, mandate action, Chapter VII, mandate end, tasks."""

from __future__ import annotations

import re
from collections import Counter

from nlp import gazetteer
from nlp.facts import Clause, Mention, ResolutionFacts, ResolutionRef, TaskRef
from nlp.structure import Para, parse_paragraphs
from nlp.mandate_action import CHAPTER_VII, PROSPECT, WIDENED, MISSION_WORD, NOT_MISSION, action, mandate_period, mandate_until
from nlp.mandate_action import undo_ocr_dates as _undo_ocr_days   # noqa: F401  (kept for callers and tests)
from nlp.addressee import to_mission
from nlp.tasks import SANCTIONS, clause_tasks, mandates, segments

_action = action   # the older private name, used by rule tests

_ADVERBS = {"further", "also", "again", "once", "hereby", "moreover", "therefore", "furthermore", "and"}
_PHRASAL = {("calls", "upon"), ("calls", "on"), ("calls", "for"), ("takes", "note"), ("bearing", "in"),
            ("taking", "note"), ("taking", "into"), ("looks", "forward")}
_MAIN_VERB = re.compile(
    r",\s+(?:\w+ly\s+|also\s+|further\s+)?(decides|authori[sz]es|requests|demands|calls\s+(?:upon|on|for)|urges|"
    r"encourages|invites|welcomes|condemns|reaffirms|endorses|approves|notes|expresses|stresses|emphasi[sz]es|"
    r"underlines|recalls|directs|mandates|affirms|declares|determines|reiterates)\b", re.I)
_LABEL = re.compile(r"^\s*(?:\d{1,3}\.|\([a-z]{1,4}\)|[ivx]+\.)\s*")


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
    under_vii = bool(CHAPTER_VII.search(text))   # "Acting under Chapter VII" may close the preamble
    for p in paras:
        if not p.label or p.part not in ("preamble", "operative"):
            continue
        body = text[p.start:p.end]
        parent = p.label.rsplit("(", 1)[0] if "(" in p.label else None
        clause = Clause(p.label, p.part, None, " ".join(body.split()), p.start, p.end)
        if parent is not None and parent in verbs:
            clause.verb, rest = verbs[parent]
            m = _LABEL.match(clause.text)
            own = clause.text[m.end() if m else 0:]
            if p.part == "operative":   # an item under a lead that addressed no mission may still name one
                clause.tasks = clause_tasks(clause.verb, own, given=mandates(clause.verb, rest))
        else:
            verb, after = lead_verb(body)
            chapter_vii = under_vii
            if p.part == "operative" and verb and verb.split()[0].endswith("ing"):
                m = _MAIN_VERB.search(body, after)   # "Acting under Chapter VII ..., authorizes ..."
                if m:
                    chapter_vii = under_vii or bool(CHAPTER_VII.search(body, 0, m.start()))
                    verb, after = " ".join(m.group(1).lower().split()), m.end()
            rest = " ".join(body[after:].split())   # whitespace folded: phrases wrap across lines
            clause.verb = verb
            if p.part == "operative":
                clause.tasks = clause_tasks(verb, rest, chapter_vii=chapter_vii)
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



# Wording that sends people: someone sent or dispatched there, military assistance or observers, an observer or observation group, a
# force; or asks for the supervision of a cease-fire or truce, which takes observers to do.
_DEPLOYS = re.compile(r"military (?:assistance|observers?)|under the supervision and control of the United Nations|"
                      r"observ(?:er|ation) (?:group|mission)|peace-?keeping|transition assistance|truce supervision|"
                      r"\bestablish\w*\b[^;.]{0,60}\b(?:force|group|mission|operation)\b|\bsupervision of the "
                      r"(?:cease-?fire|truce|armistice)"
                      # people sent to the country: "to send a representative to X", "the dispatch to X of officers"
                      r"|\b(?:send|dispatch)\w*\b[^;.]{0,80}?\b(?:representatives?|observers|officers|personnel)\b",
                      re.I)


# Verbs that judge or recall and send no one: "condemns the attacks against the peace-keeping forces of X".
_NO_ACT = {"condemns", "deplores", "reiterates", "reaffirms", "commends", "notes", "takes note", "expresses", "welcomes",
           "regrets", "demands", "pays", "thanks"}


# A mission referred to by description rather than by name or acronym.
_DESCRIBED = re.compile(r"\b(?:the (?:Force|Mission|Operation|(?-i:Authority))\b|(?:the )?(?:military )?observ(?:er|ation) "
                        r"(?:group|mission)\b|United Nations (?:[\w-]+\s+){0,3}(?:Force|Mission|Operation|Group|(?-i:Authority))\b)",
                        re.I)


def _described(c: Clause) -> bool:
    """Whether clause ``c`` describes a mission that exists (not one still proposed) and acts on it."""
    return any(not _PROPOSED.search(c.text[max(0, m.start() - 120):m.start()]) and not _bystander(c, m.group(0))
               for m in _DESCRIBED.finditer(c.text))


_NAME_FILLER = {"united", "nations", "mission", "force", "operation", "group", "office", "in", "the", "of", "and", "for"}


def _by_description(hits: list, text: str) -> list:
    """Of several missions in the countries at hand, the one whose name's own words the text uses
    ("the mission of good offices" for the Good Offices Mission, not the observer group next door)."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    own = [e for e in hits if (name := {w for w in re.findall(r"[a-z]+", (e.full_name or "").lower())
                                        if w not in _NAME_FILLER and not (e.country and w in e.country.lower())})
           and name <= words]
    return own if len(own) == 1 else hits


def _unnamed_mission(year: int, mentions: list[Mention], serving: bool = False, text: str = "") -> list[str]:
    """Early resolutions often set up an operation without naming it ("military assistance to
    the Congo"): the one mission that began that year in the country the text is about.  With
    ``serving``, the one mission serving there that year ("the military observer group shall
    continue to supervise the cease-fire")."""
    states = [name for name, _ in Counter(m.name for m in mentions if m.type == "State").most_common(3)]
    hits = [e for e in gazetteer.missions() if e.start and e.country
            and (e.start <= year <= (e.end or year) if serving else e.start == year)
            and any(e.country == s or s in e.country or e.country in s for s in states)]
    hits = _by_description(hits, text) if len(hits) > 1 and text else hits
    return [hits[0].name] if len(hits) == 1 else []


def _serving(name: str, year: int) -> str:
    """A mission named after it ended is its numbered successor serving that year (a scanned
    "Verification Mission I" in 1993 is UNAVEM II)."""
    old, new = gazetteer.mission(name), gazetteer.mission(f"{name} II")
    if old and new and new.name != old.name and old.end and old.end < year and new.start and new.start <= year <= (
            new.end or year):
        return new.name
    return name


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
# The Council noting a fact or backing someone's efforts acts on no mission either.
_BYSTANDER_VERBS = {"looks forward", "commends", "thanks", "pays", "notes", "supports", "condemns", "deplores",
                    "concludes", "emphasizes", "emphasises"}
# A mission still to be set up ("the proposed establishment of a United Nations Observer Mission in
# Liberia (UNOMIL)") is not acted on.
_PROPOSED = re.compile(r"\bproposed\s+(?:establishment\s+of\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,8}?\(?$", re.I)


def _acting(ops: list[Clause]) -> list[Clause]:
    """Operative clauses that can act on a mission: a mission named in a sanctions clause (data
    shared with it, an exemption for its supplies), in thanks, or in looking forward to a report on
    its establishment is a bystander unless the clause gives it a task."""
    by = {c.paragraph: c for c in ops}
    out = []
    for c in ops:
        top = by.get(c.paragraph.split("(", 1)[0], c)
        if c.tasks or not (SANCTIONS.search(c.text) or SANCTIONS.search(top.text) or _in_prospect(top) or (
                top.verb in _BYSTANDER_VERBS and not _chains_request(top))):
            out.append(c)
    return out


def _acts_of(c: Clause) -> list[tuple[str | None, str]]:
    """(verb, text) of each act chained in a clause, the lead verb's first."""
    verb, after = lead_verb(c.text)
    return segments(verb, c.text[after:] if verb else c.text)


def _in_prospect(c: Clause) -> bool:
    """Whether a clause's only act is held in prospect ("confirms its readiness to consider ...")."""
    acts = _acts_of(c)
    return len(acts) == 1 and bool(PROSPECT.match(acts[0][1]))


def _chains_request(c: Clause) -> bool:
    """Whether a clause that opens by noting or thanking goes on to ask for something ("notes the
    deployment of the Force ..., and requests the Secretary-General to ensure that it ...")."""
    return any(v in ("requests", "decides", "authorizes", "authorises") for v, _ in _acts_of(c)[1:])


def _missions(ops: list[Clause], mentions: list[Mention], adopted: str | None,
              text: str = "") -> tuple[list[str], list[Mention], bool]:
    """(missions acted on, their mentions in acting clauses, whether an unnamed one began this year).
    Named in an acting clause; else "the Force" with one mission named anywhere in the text; else
    an operation deployed without a name in the year it began; else one described ("the Mission",
    "a United Nations observer group"), or one whose force the Secretary-General is told to use, in
    a country where one mission served that year."""
    acting = _acting(ops)
    unnamed = not any(m.type == "Mission" for m in mentions)   # a proposed mission is still named
    proposed = {m.name for m in mentions if m.type == "Mission" and text
                and _PROPOSED.search(" ".join(text[max(0, m.start - 120):m.start].split()))}
    mentions = [m for m in mentions if m.name not in proposed]
    in_ops = [m for m in mentions if m.type == "Mission" and any(c.start <= m.start < c.end and not (
        text and _bystander(c, " ".join(text[m.start:m.end].split()))) for c in acting)]
    missions = list(dict.fromkeys(m.name for m in in_ops))
    year = int(adopted[:4]) if adopted else None
    said = [] if missions else [w for c in acting if not NOT_MISSION.search(c.text)
                                for w in (m.group(0) for m in MISSION_WORD.finditer(c.text)) if not _bystander(c, w)]
    # a Special Representative given a duty acts for the mission he heads
    said += [] if missions else ["Special Representative" for c in acting if c.tasks and "Special Representative" in c.text]
    if said:
        named = Counter(m.name for m in mentions if m.type == "Mission")
        if len(named) > 1:   # "the Force": the one named mission that is a force
            nouns = {w.split()[-1].lower() for w in said if w.lower().startswith("the ")}
            named = Counter({n: k for n, k in named.items() if (e := gazetteer.mission(n)) and e.full_name
                             and nouns & set(e.full_name.lower().split())}) if nouns else named
        if len(named) == 1:  # "the Force" in the operative part, and one mission named in the text
            missions = list(named)
    if not missions and year and unnamed and any(_DEPLOYS.search(c.text) and c.verb not in _NO_ACT for c in acting):
        missions = _unnamed_mission(year, mentions, text=text)
        if missions:
            return missions, in_ops, True
    if not missions and year and any((_described(c) and not NOT_MISSION.search(c.text))
                                     or ("use_of_force_authorization" in c.tasks and not _TO_STATES.match(_object(c)))
                                     for c in acting):
        # described, or force put in the hands of the Secretary-General or the Organization with no
        # mission named: they use it through the force serving there (Member States authorised to
        # act are a force of their own)
        missions = _unnamed_mission(year, mentions, serving=True, text=text)
    return missions, in_ops, False


# Asking others to work with a mission, or to respect it, acts on the others ("calls upon the parties
# to cooperate fully with the Force", "... to ensure full respect for the safety of UNTSO").
_ASKING_OTHERS = {"calls upon", "calls on", "urges", "demands", "invites", "encourages", "reiterates"}


def _bystander(c: Clause, name: str) -> bool:
    """Whether every act of ``c`` that names the mission (``name``, as written) asks someone else."""
    acts = [(v, t) for v, t in _acts_of(c) if name in t]
    return bool(acts) and all(v in _ASKING_OTHERS and not to_mission(t) and not WIDENED.search(t) for v, t in acts)


_TO_STATES = re.compile(r"^\W*(?:the\s+authority\s+of\s+)?(?:all\s+)?(?:the\s+)?(?:Member\s+)?States\b", re.I)


def _object(c: Clause) -> str:
    """A clause's text after its label and lead verb (the main one after "Acting under Chapter VII, ..."):
    whom it addresses first."""
    m = _LABEL.match(c.text)
    verb, after = lead_verb(c.text)
    if verb and verb.split()[0].endswith("ing") and (main := _MAIN_VERB.search(c.text, after)):
        after = main.end()
    return c.text[after:] if verb else c.text[m.end() if m else 0:]


def resolution_facts(text: str, symbol: str, adopted: str | None, refs: list[ResolutionRef],
                     mentions: list[Mention], paras: list[Para] | None = None) -> ResolutionFacts:
    cls = clauses(text, paras)
    ops = [c for c in cls if c.part == "operative"]
    missions, in_ops, began = _missions(ops, mentions, adopted, text)
    action, clause = _action(ops, in_ops, inferred=bool(missions) and not in_ops)
    if began and not in_ops and action == "other":
        action = "establish"   # an operation set up without being named began that year
    if not missions:
        action = "other"   # an act on no mission (a Council presence of two civilians, a thematic text)
    if adopted:
        missions = [_serving(name, int(adopted[:4])) for name in missions]
    if adopted and action in ("establish", "modify"):
        missions, renamed = _successors(missions, int(adopted[:4]))
        action = "establish" if renamed else action
    seen, cites = {symbol}, []
    for r in refs:
        if r.symbol not in seen:
            seen.add(r.symbol)
            cites.append(r)
    if not missions:   # tasks are given to a mission, or to States the Council authorises as a force
        for c in ops:
            if "use_of_force_authorization" not in c.tasks or not _TO_STATES.match(_object(c)):
                c.tasks = []
    tasks = [TaskRef(t, c.paragraph, c.verb, c.text, c.start, c.end) for c in ops for t in c.tasks]
    until = mandate_until(clause, ops) if action in ("extend", "establish", "modify") else None
    return ResolutionFacts(symbol=symbol, adopted=adopted, missions=missions, action=action,
                           chapter_vii=bool(CHAPTER_VII.search(text)), mandate_until=until,
                           mandate_period=mandate_period(clause), cites=cites, clauses=cls, tasks=tasks)
