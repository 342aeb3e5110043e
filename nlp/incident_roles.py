"""Who attacked what, with what, and whom: incident roles from news text (MUC-4 style).

Rules over the stock spaCy model's tags, parse and entities (full pipeline: the rules
need the parser, and the truecaser the lemmatizer's tables). A document whose lead
reports no incident gets no roles: in such texts role-like phrases (army units,
politicians, "the guerrillas") are background. Fillers come only from lead sentences
with an incident trigger; each is a short noun phrase, and one string per entity is
returned (an acronym and its expansion, or "bomb" and "bombs", count once in scoring).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from nlp import incident_lexicon as lex

SLOTS = ("perp_individual_id", "perp_organization_id", "phys_tgt_id", "hum_tgt_name",
         "incident_instrument_id")
ORIGINAL = "incident_roles_original"

# The stock mapping, fixed before any test data was seen: each slot gets every entity
# of the label that comes closest to it.
BASELINE_LABELS = {"ORG": "perp_organization_id", "NORP": "perp_individual_id",
                   "FAC": "phys_tgt_id", "PERSON": "hum_tgt_name",
                   "PRODUCT": "incident_instrument_id"}

LEAD_CHARS = 1500     # fillers come from incident sentences that start before this offset
MIN_SCORE = 1.0       # trigger weight in the lead for a document to count as an incident
TARGET_HOPS = 4       # how far up the parse a target may hang below its trigger
VICTIM_HOPS = 3       # the same between a person and a victim cue
MIN_NAME_TOKENS = 2   # lone surnames are mostly later mentions of someone already named

_STRONG = ("bomb", "dynamit", "murder", "assassinat", "kidnap", "abduct", "ambush", "explo",
           "massacr", "burn", "torch", "arson", "sabotag", "hostage", "detonat", "incendiar")
_SEIZED = ("seiz", "confiscat", "found", "captur", "cache", "arsenal", "search", "recover",
           "detect", "smuggl", "ship", "suppl", "sell", "sold", "bought", "purchas")
_ALIAS = {alias: names[0] for names in lex.KNOWN_GROUPS for alias in names}
_GROUPS = re.compile(r"\b(?:" + "|".join(re.escape(g) for g in sorted(_ALIAS, key=len, reverse=True))
                     + r")\b")
_BRACKETED = re.compile(r"((?:[A-Z][\w'-]* ){0,7}[A-Z][\w'-]*) \(([^()]{2,80})\)")
_truecasers: dict[int, lex.Truecaser] = {}


def analyse(nlp: Language, text: str, truecase: bool = True) -> Doc:
    """Run ``nlp`` on a truecased copy of ``text``; the original stays in ``user_data``
    so that fillers are returned as written."""
    if truecase and "lemmatizer" in nlp.pipe_names:
        tc = _truecasers.get(id(nlp)) or _truecasers.setdefault(id(nlp), lex.Truecaser(nlp))
        doc = nlp(tc(text))
    else:
        doc = nlp(text)
    doc.user_data[ORIGINAL] = text
    return doc


def baseline_roles(doc: Doc) -> dict[str, list[str]]:
    """The stock model alone: every entity of a mapped label, anywhere in the document."""
    out: dict[str, list[str]] = {s: [] for s in SLOTS}
    for ent in doc.ents:
        slot = BASELINE_LABELS.get(ent.label_)
        if slot and ent.text not in out[slot]:
            out[slot].append(ent.text)
    return out


def extract_roles(doc: Doc) -> dict[str, list[str]]:
    """Role fillers per slot for one document (from ``analyse``, or any parsed Doc)."""
    sents = incident_sentences(doc)
    if not is_incident(sents):
        return {s: [] for s in SLOTS}
    sents = [s for s in sents if s.start_char < LEAD_CHARS]
    return {"perp_individual_id": _perp_individuals(sents),
            "perp_organization_id": _perp_orgs(doc, sents),
            "phys_tgt_id": _targets(sents),
            "hum_tgt_name": _victims(sents),
            "incident_instrument_id": _instruments(sents)}


def incident_sentences(doc: Doc) -> list[Span]:
    """Sentences that report an incident (a trigger word), in order."""
    return [s for s in doc.sents if any(_is_trigger(t) for t in s)]


def is_incident(sents: list[Span]) -> bool:
    """Strong triggers (bombs, kidnappings) count 1, others (attacks, killings) 0.5: one
    killing in passing is how reports of fighting and politics mention violence."""
    score = 0.0
    for sent in sents:
        if sent.start_char < LEAD_CHARS:
            score += sum(1.0 if lex.starts(t.lower_, _STRONG) else 0.5 for t in sent if _is_trigger(t))
    return score >= MIN_SCORE


# -- helpers -----------------------------------------------------------------------------

def _word(tok: Token, offset: int) -> str:
    i = tok.i + offset
    return tok.doc[i].lower_ if 0 <= i < len(tok.doc) else ""


def _is_trigger(tok: Token) -> bool:
    low = tok.lower_
    if low == "fire" and _word(tok, -1) in {"set", "sets", "setting", "opened"} or (
            low in {"set", "sets", "setting"} and _word(tok, 1) == "fire"):
        return True
    return lex.starts(low, lex.TRIGGERS) and not (tok.pos_ == "PROPN" and tok.ent_type_)


def _text(doc: Doc, start: int, end: int) -> str:
    """Tokens [start, end) as written in the original (not the truecased) text."""
    original = doc.user_data.get(ORIGINAL, doc.text)
    return original[doc[start].idx: doc[end - 1].idx + len(doc[end - 1])]


def _ancestors(tok: Token, hops: int) -> list[Token]:
    """Heads up to ``hops`` links away; list links (conj, appos) are free."""
    out, n = [], 0
    while n < hops and tok.head is not tok:
        n += tok.dep_ not in ("conj", "appos")
        tok = tok.head
        out.append(tok)
    return out


def _linked(tok: Token, hops: int) -> bool:
    """A trigger is the token itself or among its heads."""
    for _ in range(hops + 1):
        if _is_trigger(tok):
            return True
        if tok.head is tok:
            return False
        tok = tok.head
    return False


def _phrase(tok: Token, allowed: set[str] | None = None, perp: bool = False) -> tuple[int, int]:
    """Left modifiers of ``tok`` up to a determiner, possessive or punctuation; for
    perpetrators a number joins ("two individuals") and names and nationalities do not
    ("Salvadoran guerrillas" is annotated "guerrillas", the group goes to its own slot)."""
    start = tok.i
    while start > tok.sent.start:
        prev = tok.doc[start - 1]
        if perp and (prev.like_num or prev.pos_ == "NUM"):
            start -= 1
            break
        if prev.text == "-" and start - 2 >= tok.sent.start and not prev.whitespace_:
            start -= 1  # "Pereira-Cartago pipeline"
            continue
        if prev.is_punct or prev.pos_ in {"DET", "NUM", "ADP", "CCONJ", "PRON", "VERB", "AUX", "PART"}:
            break
        if prev.tag_ == "POS" or prev.lower_ in {"two", "three", "several", "some", "many"}:
            break
        if allowed is not None and prev.lower_ not in allowed:
            break
        if allowed is None and prev.pos_ not in {"ADJ", "NOUN", "PROPN", "ADV"}:
            break
        if perp and (prev.lower_ in lex.DEMONYMS or not prev.is_sent_start and (
                prev.ent_type_ in ("NORP", "GPE", "ORG") or prev.pos_ == "PROPN")):
            break
        start -= 1
    return start, tok.i + 1


def _stem(word: str) -> str:
    low = word.lower().replace("-", "")
    return low[:-2] if low.endswith("es") and low[-3:-2] in "sx" else low.rstrip("s")


class _Fills:
    """Ordered fillers of one slot, one per key: the stand-in for coreference."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.keys: set[str] = set()

    def add(self, text: str, key: str | None = None) -> None:
        norm = " ".join(w for w in re.sub(r"[^A-Z0-9 ]", " ", text.upper()).split()
                        if w not in {"THE", "A", "AN"})
        key = key or norm
        if norm and key not in self.keys:
            self.keys.add(key)
            self.items.append(text)


# -- slots -------------------------------------------------------------------------------

def _instruments(sents: list[Span]) -> list[str]:
    fills = _Fills()
    weapon_words = lex.WEAPON_HEADS | lex.WEAPON_WEAK
    for sent in sents:
        if any(lex.starts(t.lower_, _SEIZED) for t in sent):
            continue  # arms caches and hauls are not the means of an attack
        for tok in sent:
            low = tok.lower_
            if tok.pos_ == "VERB" or tok.dep_ == "compound" and tok.head.lower_ in weapon_words:
                continue
            if not any(_is_trigger(t) for t in sent if t.i != tok.i):
                continue  # a bomb needs something done with it
            if low in lex.WEAPON_HEADS or low in lex.WEAPON_WEAK and _word(tok, -1) in lex.WEAPON_MODS:
                s, e = _phrase(tok, lex.WEAPON_MODS)
                fills.add(_text(tok.doc, s, e), _stem(low))
    return fills.items


def _carrier(tok: Token) -> bool:
    """A vehicle holding the bomb ("a car full of dynamite", "a bomb in a truck")."""
    near = _ancestors(tok, 2) + [t for t in tok.subtree if t.i != tok.i]
    return any(t.lower_ in lex.WEAPON_HEADS for t in near)


def _targets(sents: list[Span]) -> list[str]:
    fills = _Fills()
    for sent in sents:
        for tok in sent:
            if tok.lower_ not in lex.TARGET_HEADS or tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else tok
            if tok.dep_ == "compound" or nxt is not tok and nxt.pos_ in {"NOUN", "PROPN"}:
                continue  # a modifier: "bank branch", "car bomb"
            if not _linked(tok, TARGET_HOPS) or _carrier(tok):
                continue
            s, e = _phrase(tok)
            fills.add(_text(tok.doc, s, e), _stem(tok.lower_))
    return fills.items


def _perp_individuals(sents: list[Span]) -> list[str]:
    fills = _Fills()
    for sent in sents:
        for tok in sent:
            low = tok.lower_
            if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ == "compound":
                continue
            strong = low in lex.PERP_HEADS
            weak = low in lex.PERP_WEAK and (  # "unidentified men", "by two individuals"
                any(c.lower_ in lex.PERP_QUALIFIERS for c in tok.lefts)
                or tok.dep_ == "pobj" and tok.head.lower_ == "by")
            if not (strong or weak):
                continue
            if tok.dep_ == "nsubjpass" and lex.starts(tok.head.lower_, ("kill", "wound", "captur")):
                continue  # "three guerrillas were killed": casualties of fighting
            s, e = _phrase(tok, perp=True)
            fills.add(_text(tok.doc, s, e), _stem(low))
    return fills.items


def _aliases(original: str) -> dict[str, str]:
    """Name (and its tails) -> acronym for each "NAME (ACRONYM)" or "ACRONYM (NAME)"."""
    out = {}
    for m in _BRACKETED.finditer(original):
        left, inner = m.group(1), m.group(2)
        short, long = (inner, left) if len(inner) < len(left) else (left.split()[-1], inner)
        if short.isupper() and len(short) <= 6:
            words = long.split()
            for k in range(1, len(words) + 1):
                out[" ".join(words[-k:])] = short
    return out


def _perp_orgs(doc: Doc, sents: list[Span]) -> list[str]:
    original = doc.user_data.get(ORIGINAL, doc.text).upper()
    aliases = _aliases(original)

    def key(name: str) -> str:
        name = re.sub(r"\s*\(.*", "", name.upper()).strip()
        known = _GROUPS.search(name)
        short = _ALIAS[known.group(0)] if known else aliases.get(name, name)
        return _ALIAS.get(short, short)

    found: list[tuple[str, str]] = []
    for sent in sents:
        for m in _GROUPS.finditer(original[sent.start_char:sent.end_char]):
            found.append((m.group(0), key(m.group(0))))
        for ent in sent.ents:  # "attacked by the X Front", "the X Army claimed"
            head = ent.root
            if ent.label_ == "ORG" and any(w.lower_ in lex.ORG_HEADS for w in ent) and (
                    head.head.lower_ in {"by", "of"} or head.dep_ in {"nsubj", "compound"}):
                name = _text(doc, ent.start, ent.end)
                found.append((name, key(name)))
    names = {name.upper() for name, _ in found}
    fills = _Fills()
    for name, k in found:  # the acronym, where the text uses it, stands for the group
        fills.add(k if k in names else name, k)
    return fills.items


def _victim_link(root: Token, cues: list[Token]) -> bool:
    """A victim cue governs the name ("murder of X", "killed X") or hangs off it
    ("X, who was killed"); a name that is the subject of an active verb is an actor."""
    if root.dep_ == "nsubj" and not lex.starts(root.head.lower_, lex.VICTIM_CUES):
        return False
    up = _ancestors(root, VICTIM_HOPS)
    return any(c in up or root in _ancestors(c, VICTIM_HOPS) for c in cues)


def _victims(sents: list[Span]) -> list[str]:
    names: list[str] = []
    for sent in sents:
        cues = [t for t in sent if lex.starts(t.lower_, lex.VICTIM_CUES)]
        for ent in sent.ents if cues else ():
            if ent.label_ != "PERSON":
                continue
            doc, start, end = ent.doc, ent.start, ent.end
            while start > sent.start and doc[start - 1].is_title and doc[start - 1].is_alpha and (
                    doc[start - 1].lower_ not in lex.TITLES and not doc[start - 1].is_sent_start):
                start -= 1  # first names the NER left out
            while start < end and (doc[start].lower_.rstrip(".") in lex.TITLES or doc[start].is_lower):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_lower
                                   or doc[end - 1].tag_ == "POS"):
                end -= 1
            if end - start < MIN_NAME_TOKENS or _word(doc[end - 1], 1) in lex.SPEECH:
                continue
            if _victim_link(ent.root, cues) and not _GROUPS.search(ent.text.upper()):
                names.append(_text(doc, start, end))
    fills = _Fills()
    for name in names:  # a name inside a longer one is the same person
        words = name.upper().split()
        if not any(len(o.split()) > len(words) and set(words) <= set(o.upper().split()) for o in names):
            fills.add(name)
    return fills.items
