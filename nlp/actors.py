"""Actor mentions: gazetteer matches first, then name rules and the statistical NER for everything else.

Every source proposes spans; where they overlap the more reliable one wins (collective-actor
phrases, then known actors, then titled people, then organisation and place names by shape,
then known States, then the model, then bare names after a locative preposition), so mentions
never overlap.  Last, one document calls one name one thing: a name the model typed as a person
in one sentence and a place in another takes the type its context shows ("near Kidal",
"Gen. Kovač").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc

from nlp import gazetteer, orgnames, persons, places
from nlp.facts import Mention
from nlp.groups import groups
from nlp.pipeline import GAZ_KEY

# NER label -> our entity type; GPE/LOC not in the gazetteer are places (towns, regions).
NER_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
_JUNK = re.compile(r"^[\W\d_]+$|\d|\d/|/\d|\b(?:of|and|the|for|in|on|to)$|^(?:Member States|States|Council|Commission|"
                   r"Government|Mission|Force|Committee|Programme|Ibid|Ibid\.|Roadmap|Secretariat|Party|Parties|"
                   r"Chapter \w+|Article \w+|State|Defen[cs]e|Justice|Islam|Question|Answer|Moderator|Twitter|"
                   r"Facebook|Instagram|Flickr|YouTube|Eid|Ramadan|Christmas|Easter|Thanksgiving|"
                   # weapons and equipment written as acronyms ("a VBIED", "an IED", "a UAV")
                   r"S?V?B?IEDs?|PBIEDs?|RCIEDs?|UAVs?|UASs?|RPGs?|MANPADS|APCs?|IFVs?|MRAPs?|AK-47s?)$", re.I)
# Agreements and bodies of law are not actors ("the Law of Armed Conflict", "a Cessation of Hostilities").
_INSTRUMENT = re.compile(r"\b(?:Law|Laws|Agreements?|Accords?|Communiqu[eé]|Protocol|Treaty|Charter|Declaration|"
                         r"Hostilities|Code|Act)$|^(?:Law|Laws|Rules)\s+of\b", re.I)
_LEAD = re.compile(r"^(?:the|a|an|near)\s+", re.I)
_SHIP = re.compile(r"(?<![\w.])(?:USS|HMS|FS|HMAS|HMCS|INS|USNS|RFA|ITS|ESPS|HNLMS|FGS|TCG)\s+(?P<name>[A-Z][\w’'-]*"
                   r"(?:\s+(?:de\s+)?[A-Z][\w’'-]*)*)")
# A name after these words is a place even when the model calls it a person ("near Kidal").
_PLACE_BEFORE = re.compile(r"\b(?:in|near|into|from|outside|around|across|towards?)\s+$", re.I)
_UN_PREFIX = re.compile(r"(?:\b(?:UN|U\.N\.|United\s+Nations)\s+)$")
_UN = "unbody:united-nations"
_TITLE_PART = re.compile(r"\b(?:Under|Assistant|Deputy)[-\s]$")
_THE_BEFORE = re.compile(r"(?<![\w-])[Tt]he\s+$")
# A name used as the modifier of an agreement or a meeting is not an actor ("the Algiers agreements").
_INSTRUMENT_AFTER = re.compile(r"^\s+(?:agreements?|accords?|protocols?|process|talks|format|communiqu[eé]|"
                               r"declaration|ceasefire|summit|conference|initiative|roadmap|framework)\b")

# Which source wins an overlap (higher first).
_GROUP, _KNOWN, _TITLED, _SHAPE, _STATE, _MODEL, _LOCATIVE = 6, 5, 4, 3, 2, 1, 0


@dataclass
class _Cand:
    mention: Mention
    rank: int
    source: str = "model"          # "model", "rule", "known"
    titled: bool = False           # a person written with a title
    cue: int = 0                   # how strongly its context makes it a place (see ``places.place_cue``)
    part: bool = False             # may be part of a longer name ("U.S." in "U.S. Africa Command")
    role: bool = False             # an office standing for its holder ("the Foreign Secretary")


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _LEAD.sub("", text).strip(" ,;:.'\"“”’()-")
    return re.sub(r"[’']s$", "", text)


def _generic(typ: str, name: str, text: str, start: int, end: int) -> Mention:
    return Mention(f"{typ.lower()}:{gazetteer.slug(name)}", typ, name, text, start, end)


def _known(entry, text: str, start: int, end: int) -> Mention:
    return Mention(entry.id, entry.type, entry.name, text, start, end, list(entry.aliases))


class _KnownSpans:
    """The gazetteer's spans, sorted both ways, so the two overlap questions asked of every
    candidate are answered by bisection (a long report has thousands of each; scanning all known
    spans per candidate was a tenth of extraction time)."""

    def __init__(self, spans):
        ends = {}
        for s, e in spans:
            ends[s] = e      # one span per start, as the matcher's filtered spans are
        self.by_start = sorted(ends.items())
        self.starts = [s for s, _ in self.by_start]
        self.by_end = sorted((e, s) for s, e in self.by_start)
        self.ends = [e for e, _ in self.by_end]

    def reach(self, a: int, b: int) -> int:
        """Where a name at [a, b) ends when it runs into known names that begin inside it and end after it."""
        lo, hi = bisect_right(self.starts, a), bisect_left(self.starts, b)
        return max([b] + [e for _, e in self.by_start[lo:hi] if e > b])

    def straddled(self, a: int, b: int) -> bool:
        """Whether a known name begins before ``a`` and ends inside (a, b)."""
        lo, hi = bisect_right(self.ends, a), bisect_left(self.ends, b)
        return any(s < a for _, s in self.by_end[lo:hi])


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """Mentions in ``doc``; offsets shifted by ``offset`` (the piece's place in the full text)."""
    text = doc.text
    cands: list[_Cand] = []
    strong: list[tuple[int, int]] = []      # spans a person's title does not reach into
    for g in groups(text):
        name = _clean(g.text)
        cands.append(_Cand(_generic("Organisation", name, g.text, g.start, g.end), _GROUP, "known", part=True))
        strong.append((g.start, g.end))
    for span in doc.spans.get(GAZ_KEY, []):
        entry = gazetteer.get(span.kb_id_)
        start = span.start_char
        if _TITLE_PART.search(text, max(0, start - 12), start):
            continue   # "Under-Secretary-General", "Deputy Secretary-General": another office
        if entry.type == "UNBody":
            un = _UN_PREFIX.search(text, max(0, start - 16), start)  # "the UN Security Council"
            start = un.start() if un else start
        rank = _STATE if entry.type == "State" else _KNOWN
        cands.append(_Cand(_known(entry, text[start:span.end_char], start, span.end_char), rank, "known",
                           part=entry.type == "State" or entry.id == _UN))
        if rank == _KNOWN and entry.id != _UN:
            strong.append((start, span.end_char))
    # a name by shape that runs into a known name ends where the known name ends ("the Armed Forces of
    # the Democratic Republic of the Congo", "eastern Democratic Republic of the Congo")
    known = _KnownSpans((s.start_char, s.end_char) for s in doc.spans.get(GAZ_KEY, []))
    reach = known.reach

    for a, b in orgnames.find(text):
        b = reach(a, b)
        name = _clean(text[a:b])
        if _INSTRUMENT.search(name):
            continue   # "the National Bureau of Statistics Act"
        entry = gazetteer.lookup(name)
        m = _known(entry, text[a:b], a, b) if entry else _generic("Organisation", name, text[a:b], a, b)
        cands.append(_Cand(m, _KNOWN if entry else _SHAPE, "rule"))
    for a, b, n, kind in persons.find(text):
        if kind == "named":
            the = _THE_BEFORE.search(text, max(0, a - 5), a)
            a = the.start() if the else a
            m = _generic("Person", _clean(text[n:b]), text[a:b], a, b)
            cands.append(_Cand(m, _TITLED, "rule", titled=True))
        else:
            m = _generic("Person", _clean(text[a:b]), text[a:b], a, b)
            cands.append(_Cand(m, _SHAPE, "rule", role=True))
    for a, b, n in places.compass(text):
        b = reach(n - 1, b)
        entry = gazetteer.lookup(text[n:b])
        m = (_known(entry, text[a:b], a, b) if entry else
             _generic("Location", _clean(text[n:b]), text[a:b], a, b))
        cands.append(_Cand(m, _SHAPE, "rule" if entry is None else "known", cue=2))
    for a, b in places.find(text):
        cands.append(_Cand(_generic("Location", _clean(text[a:b]), text[a:b], a, b), _SHAPE, "rule", cue=2))
    known_people = {persons.strip_titles(_clean(e.text))[0] for e in doc.ents
                    if e.label_ == "PERSON" and " " in persons.strip_titles(_clean(e.text))[0]}
    for ent in doc.ents:
        if known.straddled(ent.start_char, ent.end_char):
            continue   # the model's name begins inside a known one ("North [Kivu Governor")
        c = _from_model(text, ent, strong, known_people)
        if c is not None:
            cands.append(c)
    # the model's other labels (dates, numbers, events) block a place there; its NORP does not when
    # the word is no known nationality ("in Kidal" tagged as a people)
    ents = [(e.start_char, e.end_char) for e in doc.ents
            if e.label_ != "NORP" or gazetteer.lookup(e.text) is not None]
    for a, b in places.locatives(text):
        if not any(s < b and a < e for s, e in ents):
            cands.append(_Cand(_generic("Location", _clean(text[a:b]), text[a:b], a, b), _LOCATIVE, "rule", cue=2))
    chosen = _resolve(text, cands)
    _one_sense(text, chosen, ents)
    _acronyms(text, chosen, ents)
    _holders(text, chosen)
    out = []
    for c in chosen:
        m = c.mention
        m.start += offset
        m.end += offset
        out.append(m)
    out.sort(key=lambda m: m.start)
    return out


def _from_model(text: str, ent, strong: list[tuple[int, int]], known_people: set[str]) -> _Cand | None:
    """A candidate from one NER entity, or None for junk."""
    typ = NER_TYPES.get(ent.label_)
    if typ is None:
        return None
    start, end = ent.start_char, ent.end_char
    raw = text[start:end]
    if typ != "Person":
        # "the Sahel Ana Kovač": the model ran a title's place into the name after it
        hit = _person_inside(text, start, end, known_people)
        if hit is not None:
            start, typ = hit, "Person"
        elif _INSTRUMENT_AFTER.match(text[end:end + 16]):
            return None
    start += len(text[start:end]) - len(_LEAD.sub("", text[start:end]))  # "the Sahel" -> "Sahel"
    own = re.match(r"[’']s\s+", text[start:end])
    start += own.end() if own else 0   # "’s cabinet": the model began at a possessive
    if text[max(start, end - 2):end] in ("’s", "'s"):
        end -= 2    # "Niger’s leadership": the possessive is not part of the name
    while end > start and text[end - 1] in " ,;:([{-–—\"“‘":
        end -= 1    # "the Armed Forces of the Democratic Republic of the Congo (FARDC)": not the bracket
    name = _clean(text[start:end])
    if len(name) < 2 or _JUNK.search(name) or _INSTRUMENT.search(name) or len(name) > 80:
        return None
    entry = gazetteer.lookup(name)
    if entry is not None:
        return _Cand(_known(entry, text[start:end], start, end), _STATE if entry.type == "State" else _KNOWN, "known")
    if " " not in name and (not name[0].isupper() or name.endswith(("ing", "ed"))):
        return None  # "Commending", "Dismayed": preambular participles, not names
    if _SHIP.match(name) or _SHIP.match(text, max(0, start - 5)):
        return None  # ships are equipment, not actors
    cue = places.place_cue(text, start, end)
    if typ == "Person" and orgnames.INSTITUTIONAL.search(persons.strip_titles(name)[0]):
        typ = "Organisation"   # "Good Offices", "Foreign Affairs": the model's person is an institution
    if typ == "Person":
        own = re.search(r"[’']s\s", text[start:end])
        if own:
            end = start + own.start()   # "Bako’s Government": the name ends at the possessive
        bare, cut = persons.strip_titles(text[start:end])
        if not _clean(bare):
            return None  # "Navy Capt.": a title the model took for a name
        name_start = start + cut
        t = persons.title_start(text, name_start)
        for a, b in strong:  # a title stops at a known actor ("MONUSCO Force Commander X")
            if a < name_start and t < b:
                t = max(t, b)
        while t < name_start and text[t].isspace():
            t += 1
        titled = t < name_start or cut > 0
        if titled:
            the = _THE_BEFORE.search(text, max(0, t - 5), t)   # "the Foreign Minister Issa Bako"
            t = the.start() if the else t
        end = _nickname_end(text, end)
        if not titled and (cue or _PLACE_BEFORE.search(text, max(0, start - 12), start)):
            return _Cand(_generic("Location", name, text[start:end], start, end), _MODEL, cue=max(cue, 1))
        return _Cand(_generic("Person", _clean(bare), text[t:end], t, end), _TITLED if titled else _MODEL,
                     titled=titled)
    if not cue and _NAME_WORDS.match(name) and persons.appositive_title(text, end):
        return _Cand(_generic("Person", name, text[start:end], start, end), _MODEL)  # "X, the EU Envoy for the Sahel"
    if typ == "Organisation" and cue == 2 and not _ORG_WORD.search(name):
        typ = "Location"   # "the town of Menaka", "near Kidal": the model's organisation is a place
    if typ == "Location" and re.fullmatch(r"[A-Z]{3,6}", name):
        typ = "Organisation"   # "MNJTF", "JTF": an unknown acronym names a body more often than a place
    if typ == "Location":
        adm = places.ADMIN_AFTER.match(text[end:end + 20])   # "Ituri province"
        if adm:
            end += adm.end()
    return _Cand(_generic(typ, name, text[start:end], start, end), _MODEL, cue=cue if typ == "Location" else 0)


_ORG_WORD = re.compile(orgnames.HEADS)
_NAME_WORDS = re.compile(r"^(?:[A-Z][\w’'.-]*|(?:al|el|bin|ibn|de|van|von|da)-?[\w’'-]*)"
                         r"(?:\s+(?:[A-Z][\w’'.-]*|(?:al|el|bin|ibn|de|van|von|da)(?:-[\w’'-]+)?))+$")


def _person_inside(text: str, start: int, end: int, known_people: set[str]) -> int | None:
    """Where a person's name begins inside a span the model took for something else: a known
    person's name at its end, or a name right after a title that began before the span
    ("Envoy for [the Sahel Ana Kovač]")."""
    raw = text[start:end]
    for p in known_people:
        if raw.endswith(" " + p):
            return end - len(p)
    for i, ch in enumerate(raw):
        rest = raw[i + 1:]
        if (ch == " " and _NAME_WORDS.match(rest) and len(rest.split()) <= 3 and not _ORG_WORD.search(rest)
                and not orgnames.INSTITUTIONAL.search(rest) and not places.GEOGRAPHIC.search(rest)
                and not any(w in _COMMON for w in rest.split()) and persons.title_start(text, start + i + 1) < start):
            return start + i + 1
    return None


_NICK = re.compile(r"^\s+[\"“][^\"”]{1,20}[\"”]\s+[A-Z][\w’'-]*\w")


def _nickname_end(text: str, end: int) -> int:
    """A name that goes on after a nickname in quotes ("Paul "Tex" Reyes") ends after it."""
    m = _NICK.match(text[end:end + 40])
    return end + m.end() if m else end


_MORE_NAME = re.compile(r"(?:[\s,]+|(?:[A-Z][\w’'-]*\w|and|of|on|for|the)\b)*")


class _Disjoint:
    """Spans that never overlap one another, sorted, so whether a new span overlaps any is one
    bisection (the chosen mentions of a long report: a linear scan per candidate was quadratic)."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        i = bisect_left(self.starts, b) - 1   # the last span starting before b is the only one that can
        return i >= 0 and self.ends[i] > a

    def add(self, a: int, b: int) -> None:
        i = bisect_left(self.starts, a)
        self.starts.insert(i, a)
        self.ends.insert(i, b)


def _resolve(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates: the higher rank, then the longer span, wins."""
    chosen: list[_Cand] = []
    used = _Disjoint()
    wide = [(c.mention.start, c.mention.end) for c in cands
            if c.rank in (_TITLED, _SHAPE) or (c.rank == _KNOWN and not c.part)]   # known: a mission's full name
    # a State, "UN" or a collective phrase inside a longer name or a title is part of it
    inside = [c for c in cands if c.part and any(a <= c.mention.start and c.mention.end <= b and
                                                 b - a > c.mention.end - c.mention.start for a, b in wide)]
    cands = [c for c in cands if not any(c is x for x in inside)]
    # the model's longer name wins over a name by shape inside it when what it adds is more of the name
    # ("Monitoring Group" + "Kivu", "Audit and" + "Oversight Committee")
    longer = [(c.mention.start, c.mention.end) for c in cands
              if c.rank == _MODEL and c.mention.type == "Organisation"]
    cands = [c for c in cands if not (c.rank == _SHAPE and c.mention.type == "Organisation" and any(
        a <= c.mention.start and c.mention.end <= b and b - a > c.mention.end - c.mention.start
        and _MORE_NAME.fullmatch(text, a, c.mention.start) and _MORE_NAME.fullmatch(text, c.mention.end, b)
        for a, b in longer))]
    for c in sorted(cands, key=lambda c: (-c.rank, -(c.mention.end - c.mention.start), c.mention.start)):
        a, b = c.mention.start, c.mention.end
        if b <= a or used.overlaps(a, b):
            continue
        chosen.append(c)
        used.add(a, b)
    # a State named in a person's title is still a mention of that State ("the Permanent Representative
    # of Ghana", "Malian Prime Minister X"): it is kept inside the person's span
    people = [(c.mention.start, c.mention.end) for c in chosen if c.mention.type == "Person"]
    for c in inside:
        if c.mention.type == "State" and any(a <= c.mention.start and c.mention.end <= b for a, b in people):
            chosen.append(c)
    return chosen


def _one_sense(text: str, chosen: list[_Cand], blocked: list[tuple[int, int]]) -> None:
    """A name the model typed differently across the document takes the type its context shows: a
    titled person's name or surname, or a ruler's ("the Bako regime"), is a person's; a name seen in a
    place's context ("near X", "the town of X", "X, Mali") is a place.  Such names are also found where
    the model missed them (a later "Kovač"; "in Kidal", then "access to Kidal")."""
    people: set[str] = set()
    placenames: set[str] = set()
    ships = {m.group("name") for m in _SHIP.finditer(text)}
    for m in _LEADER.finditer(text):   # "the Bako regime", "Bako’s brutal regime": a ruler's name
        name = m.group("a") or m.group("b")
        if name not in _COMMON and gazetteer.lookup(name) is None:
            people.add(name)
    weak: Counter = Counter()   # a name seen after "in", "across": a place if so more often than a person
    for c in chosen:
        m = c.mention
        if m.type == "Person" and c.titled:   # a name written with a title is surely a person's
            people.add(m.name)
            last = m.name.split()[-1]
            people.add(last)
            people.add(re.sub(r"^(?:al|el|Al|El)-", "", last))   # "Omar al-Bakri" -> "Bakri"
        elif m.type == "Location" and c.cue == 2:
            placenames.add(m.name)
        elif m.type == "Location" and c.cue:
            weak[m.name] += 1
        elif m.type == "Person" and c.source == "model":
            weak[m.name] -= 1
    placenames |= {name for name, n in weak.items() if n >= 0 and any(
        c.mention.name == name and c.cue for c in chosen)}
    for c in chosen:
        m = c.mention
        if c.source != "model" or c.titled:
            continue
        if m.name in ships:
            m.type = "Drop"
        elif m.type != "Person" and not c.cue and (m.name in people or (
                " " in m.name and m.name.split()[-1] in people and _NAME_WORDS.match(m.name))):
            m.type = "Person"   # "Kovač" after "Gen. Ana Kovač"; "Lena Marsh" after "Special Envoy Marsh"
        elif m.type != "Location" and m.name in placenames and m.name not in people:
            m.type = "Location"
        m.entity_id = f"{m.type.lower()}:{gazetteer.slug(m.name)}"
    chosen[:] = [c for c in chosen if c.mention.type != "Drop"]
    used = [(c.mention.start, c.mention.end) for c in chosen] + blocked
    for names, typ in ((people, "Person"), (placenames, "Location")):
        for name in sorted(names, key=lambda n: (-len(n), n)):   # longest first; a set's order changes per run
            if len(name) < 3 or name in _COMMON or (typ == "Location" and name in people):
                continue
            for m in re.finditer(rf"(?<![\w’'-]){re.escape(name)}(?![\w-])", text):
                a, b = m.span()
                if any(s < b and a < e for s, e in used) or _CAP_BEFORE.search(text, max(0, a - 30), a) \
                        or _CAP_AFTER.match(text, b):
                    continue   # part of a longer name
                chosen.append(_Cand(_generic(typ, name, name, a, b), _MODEL, "rule"))
                used.append((a, b))


def _office(text: str) -> str:
    return " ".join(_LEAD.sub("", text).lower().split())


def _holders(text: str, chosen: list[_Cand]) -> None:
    """One person, one identity in a document: an office standing alone names the person the document
    gave that office ("Foreign Minister Issa Bako ... the Foreign Minister said", "the Malian Foreign
    Minister, Issa Bako"), and a surname alone the one full name that ends with it ("Bako")."""
    people = sorted((c for c in chosen if c.mention.type == "Person"), key=lambda c: c.mention.start)
    held: dict[str, Mention] = {}
    full: dict[str, set[str]] = {}
    by_start = {c.mention.start: c.mention for c in people}
    for c in people:
        m = c.mention
        if c.titled and m.text.endswith(m.name):
            held.setdefault(_office(m.text[:len(m.text) - len(m.name)]), m)
        if not c.role and " " in m.name:
            full.setdefault(m.name.split()[-1], set()).add(m.name)
    for c in people:
        m = c.mention
        if c.role:
            after = re.match(r",\s+", text[m.end:m.end + 4])
            who = by_start.get(m.end + after.end()) if after else None
            who = who if who is not None and " " in who.name else held.get(_office(m.text))
            if who is not None:
                held.setdefault(_office(m.text), who)
                m.entity_id, m.name = who.entity_id, who.name
            else:  # "the President" with nobody named: a mention, but not an actor to store
                m.generic = True
        elif " " not in m.name and len(full.get(m.name, ())) == 1:
            m.name = next(iter(full[m.name]))
            m.entity_id = f"person:{gazetteer.slug(m.name)}"


_ACRONYM = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z&-]{1,11})\s*\)")
_ORG_TYPES = ("Organisation", "ArmedGroup", "UNBody", "Mission")


def _acronyms(text: str, chosen: list[_Cand], blocked: list[tuple[int, int]]) -> None:
    """"the Joint Monitoring Commission (JMC)": the acronym in brackets after an organisation's name names
    it too, there and wherever else the document uses it."""
    found = {}
    for c in chosen:
        m = c.mention
        if m.type not in _ORG_TYPES:
            continue
        a = _ACRONYM.match(text, m.end)
        if a and sum(ch.isupper() for ch in a.group("acr")) >= 2 and a.group("acr")[0] == _clean(m.text)[:1]:
            found.setdefault(a.group("acr"), m)
    if not found:
        return
    by_span = {(c.mention.start, c.mention.end): c for c in chosen}
    used = [(c.mention.start, c.mention.end) for c in chosen] + blocked
    for acr, m in found.items():
        for hit in re.finditer(rf"(?<![\w-]){re.escape(acr)}(?![\w-])", text):
            a, b = hit.span()
            c = by_span.get((a, b))
            if c is not None and c.source == "model":
                c.mention.type, c.mention.entity_id, c.mention.name = m.type, m.entity_id, m.name
            elif c is None and not any(s < b and a < e for s, e in used):
                chosen.append(_Cand(Mention(m.entity_id, m.type, m.name, acr, a, b, list(m.aliases)), _MODEL, "rule"))
                used.append((a, b))


_LEADER = re.compile(r"\b(?P<a>[A-Z][a-z]+)(?:[’']s)?\s+(?:(?:brutal|murderous|former|own)\s+)?"
                     r"(?:regime|dictatorship)\b|\b(?:regime|dictatorship)\s+of\s+(?P<b>[A-Z][a-z]+)\b")
_CAP_BEFORE = re.compile(r"(?<![.!?:;“\"])\s(?:[A-Z][\w’'-]*|al|el)[\s-]$")
_CAP_AFTER = re.compile(r"\s+(?:[A-Z][a-z]|al-|el-)")
_COMMON = frozenset(persons.NOT_NAME | places.NOT_PLACE)
