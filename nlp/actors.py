"""Actor mentions: gazetteer matches first, then the statistical NER for everything else."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nlp import gazetteer
from nlp.facts import Mention
from nlp.pipeline import GAZ_KEY

# NER label -> our entity type; GPE/LOC not in the gazetteer are places (towns, regions).
NER_TYPES = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location", "FAC": "Location"}
_JUNK = re.compile(r"^[\W\d_]+$|\d|\d/|/\d|\b(?:of|and|the|for|in|on|to)$|^(?:Member States|States|Council|Commission|"
                   r"Government|Mission|Force|Ibid|Ibid\.|Roadmap|Secretariat|Party|Parties|Chapter \w+|Article \w+)$", re.I)
_LEAD = re.compile(r"^(?:the|a|an)\s+", re.I)


def _clean(text: str) -> str:
    text = " ".join(text.split())
    text = _LEAD.sub("", text).strip(" ,;:.'\"“”’()-")
    return re.sub(r"[’']s$", "", text)


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """Mentions in ``doc``; offsets shifted by ``offset`` (the piece's place in the full text)."""
    out: list[Mention] = []
    taken = [False] * len(doc)
    for span in doc.spans.get(GAZ_KEY, []):
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
        out.append(Mention(f"{typ.lower()}:{gazetteer.slug(name)}", typ, name, ent.text,
                           ent.start_char + offset, ent.end_char + offset))
    out.sort(key=lambda m: m.start)
    return out
