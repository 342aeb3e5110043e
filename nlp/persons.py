"""People: a name with the titles written before it ("Lt. Gen. Ana Kovač", "Malian Prime Minister
Issa Bako", "Special Representative Lena Marsh", "Deputy Secretary of State Paul Reyes").

Reports name officials by office and rank; the title is part of how the person is referred to,
so a Person mention's span reaches back over it while its name stays the bare personal name.
Rules over the text (no tagger): a chain of title words in capitals, optionally after an
affiliation (a State or its demonym, a service: "U.S. Army", "Foreign Office"), each office
optionally with its complement ("of State", "for the Sahel").
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp import gazetteer, orgnames

SEP = r"[\s\u200b\u200e\u200f]+"   # reports paste invisible direction marks between words

_HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady", "HE", "H.E.",
               "His Excellency", "Her Excellency", "Rev", "Hon", "Sheikh", "Imam", "Mullah", "Mgr")
_OFFICES = ("President", "Vice-President", "Vice President", "President-elect", "Prime Minister", "Minister",
            "Secretary", "Secretary-General", "Under-Secretary-General", "Assistant Secretary-General",
            "Foreign Secretary", "Home Secretary", "Defence Secretary", "Defense Secretary", "Ambassador",
            "Envoy", "Representative", "Spokesperson", "Spokesman", "Spokeswoman", "Adviser", "Advisor",
            "Governor", "Senator", "Congressman", "Congresswoman", "MP", "King", "Queen", "Prince", "Princess",
            "Emir", "Chancellor", "Commissioner", "Director", "Director-General", "Chairman", "Chairperson",
            "Chairwoman", "Chair", "Commander", "Chargé d’Affaires", "Chargé d'Affaires", "Mayor", "Judge",
            "Justice", "Prosecutor", "Coordinator", "Head", "Chief", "Premier", "Speaker", "Pope", "Bishop",
            "Archbishop", "Cardinal", "Officer", "Attorney General", "Inspector General")
_RANKS = ("General", "Gen", "Lieutenant", "Lt", "Lieut", "Colonel", "Col", "Major", "Maj", "Brigadier", "Brig",
          "Captain", "Capt", "Commander", "Cmdr", "Cdr", "Commodore", "Admiral", "Adm", "Sergeant", "Sgt",
          "Specialist", "Spc", "Corporal", "Cpl", "Private", "Pvt", "Pfc", "Petty Officer", "Warrant Officer",
          "Airman", "Seaman", "Marshal", "Field Marshal", "Air Marshal", "Superintendent", "Inspector",
          "Lance Corporal", "Ensign", "Operator", "Sub-Lieutenant", "Gunnery Sergeant", "Private First Class")
_MODIFIERS = ("Deputy", "Acting", "Vice", "Assistant", "Under", "Special", "Senior", "Chief", "Foreign", "Defence",
              "Defense", "Interior", "Home", "Finance", "Press", "Executive", "Permanent", "Presidential",
              "Principal", "Lead", "Political", "Humanitarian", "Resident", "Regional", "Joint", "Force", "Police",
              "Sector", "Staff", "Master", "First", "Second", "Rear", "Vice-", "Command", "Army", "Navy", "Naval",
              "Air", "Marine", "Interim", "Transitional", "Provincial", "Federal", "National", "Military",
              "Supreme", "Grand", "Crown", "Former", "Retired", "Ret.", "High")
_SERVICES = ("Army", "Navy", "Air Force", "Marine Corps", "Marines", "Coast Guard", "Royal Navy", "Royal Air Force",
             "Foreign Office", "FCO", "Pentagon", "State Department", "Defense Department", "UN", "United Nations",
             "AU", "African Union", "EU", "European Union", "NATO", "ECOWAS", "Government", "US", "U.K.", "U.S.A.")
_CLASS = r"(?:1st|2nd|3rd|First|Second|Third)" + SEP + r"Class"


_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Prof Rev Hon Mgr Gen Lt Lieut Col Maj Brig Capt Cmdr Cdr Adm Sgt Spc Cpl "
                           "Pvt Pfc".split())


def _alt(words, dotted: bool = False) -> str:
    """Alternation over ``words`` in title case and upper case, longest first; abbreviations ("Gen",
    "Lt") take an optional full stop, whole words none ("General. Following" is two sentences)."""
    forms = set()
    for w in words:
        for v in (w, w.upper()):
            forms.add(v)
    parts = []
    for w in sorted(forms, key=len, reverse=True):
        p = SEP.join(re.escape(x) for x in w.split())
        if dotted and w.title() in _ABBREVIATIONS:
            p += r"\.?"
        parts.append(p)
    return "(?:" + "|".join(parts) + ")"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    states = set()   # "Malian President", "U.S. Secretary": a demonym or an abbreviation, not "Turkey Minister"
    for e in gazetteer.entries("State"):
        for s in e.surfaces:
            if len(s.split()) <= 2 and s[:1].isupper() and (gazetteer.is_demonym(s) or s.replace(".", "").isupper()):
                states.add(s)
    affil = "(?:" + "|".join(sorted((re.escape(s).replace(r"\ ", SEP) for s in states | set(_SERVICES)),
                                    key=len, reverse=True)) + ")"
    head = "(?:" + "|".join([_alt(_HONORIFICS, True), _alt(_OFFICES), _alt(_RANKS, True), _CLASS]) + ")"
    cap = r"(?:[A-Z][\w’'-]*\w|[A-Z](?:\.[A-Z])+\.)"   # a word, or "U.S.": no full stop that ends a sentence
    complement = rf"(?:{SEP}(?:of|for){SEP}(?:the{SEP})?{cap}(?:{SEP}{cap})?)"
    unit = rf"(?:{_alt(_MODIFIERS)}{SEP})*{head}{complement}?"
    chain = rf"(?:{affil}{SEP})*{unit}(?:{SEP}{unit})*"
    before = re.compile(rf"(?<![\w.’'-]){chain}{SEP}$")       # titles that end where a name starts
    leading = re.compile(rf"^(?:{chain}){SEP}")                  # titles the model put inside a name
    # a title and a name the model missed ("President Bako", "Special Envoy Marsh"); the office
    # takes no complement here, where "of State John" could not be told from "of State" + "John"
    bare_unit = rf"(?:{_alt(_MODIFIERS)}{SEP})*{head}"
    name_word = r"(?:[A-Z](?:[\w-]|[’'](?!s\b))*\w|[A-Z]\.)"   # "Obama" of "Obama’s"
    named = re.compile(rf"(?<![\w.’'-])(?P<title>(?:{affil}{SEP})*{bare_unit}(?:{SEP}{bare_unit})*){SEP}"
                       rf"(?P<name>{name_word}(?:{SEP}(?:(?:al|el|bin|ibn|de|van|von|da|du|le|la)[\s-])?"
                       rf"(?:{name_word}|[IVX]+\b)){{0,3}})(?![\w-])")
    # an office standing for its holder ("the Foreign Secretary said", "the Special Representative")
    office = "(?:" + _alt(_OFFICES) + ")"
    role = re.compile(rf"(?P<det>\b[Tt]he{SEP}|(?:^|(?<=[.!?:;\"“”]\s)))"
                      rf"(?P<title>(?:{affil}{SEP})*(?:(?:{_alt(_MODIFIERS)}|{affil}){SEP})*{office}{complement}?)"
                      rf"(?=\s*[,.;:)”\"’]|\s+[a-z]|\s*$)(?!\s+(?:of|for)\s+(?:the\s+)?[A-Z])")
    return before, leading, named, role


def title_start(text: str, start: int, window: int = 90) -> int:
    """Where the titles written right before ``text[start:]`` begin (``start`` when there are none)."""
    m = _patterns()[0].search(text, max(0, start - window), start)
    return m.start() if m else start


def strip_titles(name: str) -> tuple[str, int]:
    """``name`` without leading titles, and how many characters were cut ("Gen. Reyes" -> ("Reyes", 5))."""
    m = _patterns()[1].match(name + " ")
    if not m:
        return name, 0
    cut = min(m.end(), len(name))
    return name[cut:], cut


# A title of one word that as often opens a phrase that is no name ("General Elections", "Private
# Sector", "Chief Administrator"): a name after it is taken only where the model found one.
_AMBIGUOUS = frozenset("""General Justice Private Major Chief Head Officer Operator Specialist Chair Speaker Director
Director-General Secretary-General Inspector Marshal Commissioner Coordinator Representative Envoy Commander Captain
Premier Airman Seaman Superintendent Ensign Adviser Advisor Spokesperson""".split())

# Words that end a name written after a title: another title, or a common noun of a heading.
_NOT_NAME_WORD = frozenset({w.title() for t in _HONORIFICS + _OFFICES + _RANKS + _MODIFIERS for w in t.split()} | set(
    """Sector Strategy Act Observer Chargé Delegation Thank Plan Policy Programme Report Statement Summary Concept
    Agreement Framework Elections Hospital Issues Law Environment Recommendation Manager Carriers Regarding Pursuant
    Other Academy Chambers Administrator Inspectorate New York Geneva Excellency""".split()))

NOT_NAME = frozenset("""The A An This That These Those It Its In On At Of For By To With From And But As If When While
After Before During Since Today Yesterday Tomorrow January February March April May June July August September
October November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday I We He She They You""".split())


def find(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, name start, kind) of people by title: kind "named" for a title and a name
    ("Minister Bako"), "role" for an office standing alone ("the Foreign Secretary")."""
    before, leading, named, role = _patterns()
    out = []
    for m in named.finditer(text):
        name, title = m.group("name"), " ".join(m.group("title").replace(".", "").split())
        if title.title() in _AMBIGUOUS:
            continue   # "General Elections", "Justice Sector", "Secretary-General Pursuant": left to the model
        first = name.split()[0]
        if first in NOT_NAME or first.upper() == first and len(first) > 1 and not name.isupper():
            continue
        if name.isupper() and (not title.isupper() or min(len(w) for w in name.split()) < 3):
            continue   # headings in capitals ("MS IV")
        end = m.start("name")
        for w in re.finditer(r"\S+", name):   # the name ends before a title or a common noun
            if w.group(0).title().rstrip(".,") in _NOT_NAME_WORD or w.group(0) in NOT_NAME:
                break
            end = m.start("name") + w.end()
        name = text[m.start("name"):end]
        if not name or gazetteer.lookup(name) is not None or orgnames.INSTITUTIONAL.search(name):
            continue   # "General Security", "Minister Foreign Affairs": not a name
        out.append((m.start(), end, m.start("name"), "named"))
    for m in role.finditer(text):
        if not m.group("det") and " " not in m.group("title").strip():
            continue   # a lone "Minister" opening a sentence is too little to go on
        out.append((m.start(), m.end(), m.end(), "role"))
    return out


_APPOSITIVE_ROLE = re.compile(r"^,\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+){0,2}(?:commander|spokesman|spokeswoman|"
                              r"spokesperson|minister|director|chief|head|leader|president|ambassador|envoy|"
                              r"representative|officer|secretary|adviser|advisor|chairman|chairperson|governor|"
                              r"mayor|coordinator|deputy)\b")


def appositive_title(text: str, end: int) -> bool:
    """Whether the name ending at ``end`` is followed by its office: "X, the EU Special Representative
    for the Sahel", "X, commander of ...", "X, a spokesman for ..."."""
    tail = text[end:end + 120]
    if _APPOSITIVE_ROLE.match(tail):
        return True
    m = re.match(r"^,\s+(?:the\s+)?", tail)
    t = _patterns()[1].match(tail[m.end():]) if m else None
    return t is not None and not tail[m.end() + t.end():][:1].isupper()   # not "X, President Y said"
