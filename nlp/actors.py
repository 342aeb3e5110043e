"""Actor mentions: gazetteer matches first, then the statistical NER for everything else."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nlp import gazetteer
from nlp.facts import Mention
from nlp.groups import groups
from nlp.pipeline import GAZ_KEY

# NER label -> our entity type; GPE/LOC not in the gazetteer are places (towns, regions).
NER_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
_JUNK = re.compile(r"^[\W\d_]+$|\d|\d/|/\d|\b(?:of|and|the|for|in|on|to)$|^(?:Member States|States|Council|Commission|"
                   r"Government|Mission|Force|Ibid|Ibid\.|Roadmap|Secretariat|Party|Parties|Chapter \w+|Article \w+)$", re.I)
_LEAD = re.compile(r"^(?:the|a|an|near)\s+", re.I)
# A bare surname is referred to with its title ("President Obama", "Minister Ellwood").
_TITLE = re.compile(r"(?<![\w.])(?:(?:President|Prime\s+Minister|Minister|Secretary|Foreign\s+Secretary|Ambassador|"
                    r"General|Gen\.|Colonel|Col\.|Captain|Capt\.|Major|Maj\.|Sergeant|Sgt\.|Admiral|Adm\.|Dr\.?|"
                    r"Mr\.?|Mrs\.?|Ms\.?|Senator|Governor|King|Prince|Sheikh)\s+)+$")
_SHIP = re.compile(r"^(?:USS|HMS|FS|HMAS|HMCS|INS)\s")
# A name after these words is a place even when the model calls it a person ("near Raqqah").
_PLACE_BEFORE = re.compile(r"\b(?:in|near|into|from|outside|around|across|towards?)\s+$", re.I)


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _LEAD.sub("", text).strip(" ,;:.'\"“”’()-")
    return re.sub(r"[’']s$", "", text)


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """Mentions in ``doc``; offsets shifted by ``offset`` (the piece's place in the full text)."""
    out: list[Mention] = []
    taken = [False] * len(doc)
    phrases = [(g, doc.char_span(g.start, g.end, alignment_mode="expand")) for g in groups(doc.text)]
    for g, span in phrases:
        name = _clean(g.text)
        out.append(Mention(f"organisation:{gazetteer.slug(name)}", "Organisation", name, g.text,
                           g.start + offset, g.end + offset))
        for i in range(span.start, span.end):
            taken[i] = True
    for span in doc.spans.get(GAZ_KEY, []):
        if any(taken[i] for i in range(span.start, span.end)):
            continue
        entry = gazetteer.get(span.kb_id_)
        out.append(Mention(entry.id, entry.type, entry.name, span.text, span.start_char + offset,
                           span.end_char + offset, list(entry.aliases)))
        for i in range(span.start, span.end):
            taken[i] = True
    for ent in doc.ents:
        typ = NER_TYPES.get(ent.label_)
        if typ is None or any(taken[i] for i in range(ent.start, ent.end)):
            continue
        name = _clean(ent.text)
        if len(name) < 2 or _JUNK.search(name) or len(name) > 80:
            continue
        entry = gazetteer.lookup(name)
        if entry is not None:
            out.append(Mention(entry.id, entry.type, entry.name, ent.text, ent.start_char + offset,
                               ent.end_char + offset, list(entry.aliases)))
            continue
        if " " not in name and (not name[0].isupper() or name.endswith(("ing", "ed"))):
            continue  # "Commending", "Dismayed": preambular participles, not names
        start = ent.start_char + len(ent.text) - len(_LEAD.sub("", ent.text))  # "the Middle East" -> "Middle East"
        if typ == "Person" and _SHIP.match(name):
            continue
        if typ == "Person" and _PLACE_BEFORE.search(doc.text, max(0, start - 12), start):
            typ = "Location"
        elif typ == "Person" and " " not in name:
            t = _TITLE.search(doc.text, max(0, start - 40), start)
            start = t.start() if t else start
        out.append(Mention(f"{typ.lower()}:{gazetteer.slug(name)}", typ, name, doc.text[start:ent.end_char],
                           start + offset, ent.end_char + offset))
    out.sort(key=lambda m: m.start)
    return out
