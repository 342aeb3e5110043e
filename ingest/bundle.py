"""Turn one loaded document, its chunks and its extracted facts into a ``DocumentBundle``.

Spans arrive in the cleaned body's coordinates; here they are mapped into the stored text
and tied to the passage that holds them, so every fact keeps its provenance.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import asdict

from ingest.document import Chunk, LoadedDocument
from kg.model import (
    ClauseRecord, DocumentBundle, DocumentRecord, EntityRecord, IncidentRecord, LessonRecord, MentionRecord,
    MergeRecord,
    PassageRecord, RelationRecord, ResolutionRecord,
)
from missiongraph.symbols import parse_resolution_input

ACTION_RELATION = {"establish": "ESTABLISHES", "extend": "EXTENDS", "modify": "MODIFIES"}


def norm_hash(text: str) -> str:
    """Hash of a passage's words, so the same paragraph from a PDF and its export collapse."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:20]


_OWN_TYPES = {"organisation": "Organisation", "person": "Person", "location": "Location"}


def _own_type(entity_id: str) -> str:
    return _OWN_TYPES.get(entity_id.split(":", 1)[0], "Organisation")


def clause_id(symbol: str, paragraph: str, part: str) -> str:
    """Stable clause id: ``S/RES/2779 (2025) OP 3(a)(i)`` or ``S/RES/2779 (2025) PP4``."""
    return f"{symbol} {paragraph}" if part == "preamble" else f"{symbol} OP {paragraph}"


class _Spans:
    """Maps clean-body spans to stored spans and to the passage that holds them."""

    def __init__(self, doc: LoadedDocument, chunks: list[Chunk]):
        self.doc = doc
        self.starts = [c.start for c in chunks]
        self.chunks = chunks

    def stored(self, start: int, end: int) -> tuple[int, int]:
        s = self.doc.to_stored(start)
        e = self.doc.to_stored(end - 1) + 1 if end > start else s
        return s, max(e, s)

    def passage(self, start: int) -> int | None:
        i = bisect.bisect_right(self.starts, start) - 1
        return i if i >= 0 else (0 if self.chunks else None)


_LIST_SEP = re.compile(r"\s*[,;]\s*")


def record_missions(meta: dict, entity_lookup) -> list[str]:
    """The known missions a record's own ``mission`` (or ``missions``) field names: a lessons
    file says which mission a lesson came from ("mission": "MINUSMA") though its text seldom
    does.  A name ``entity_lookup`` does not know (a NASA flight, a typo) links nothing: the
    field is the record's say, not a command to create an actor."""
    out: list[str] = []
    for key in ("mission", "missions"):
        value = meta.get(key)
        for raw in value if isinstance(value, list) else [value]:
            if not isinstance(raw, str) or not raw.strip():
                continue
            names = [raw] if entity_lookup(raw.strip()) is not None else _LIST_SEP.split(raw)
            for name in names:
                entry = entity_lookup(name.strip()) if name.strip() else None
                if entry is not None and entry.type == "Mission":
                    out.append(entry.name)
    return list(dict.fromkeys(out))


def build_bundle(doc: LoadedDocument, chunks: list[Chunk], facts, *, sha256: str, entity_lookup,
                 overrides: dict | None = None) -> DocumentBundle:
    """Assemble the records for one document; ``entity_lookup(acronym)`` resolves missions."""
    overrides = overrides or {}
    spans = _Spans(doc, chunks)
    kind = overrides.get("kind") or facts.kind
    missions = list(dict.fromkeys([*(overrides.get("missions") or []), *record_missions(doc.meta, entity_lookup),
                                   *facts.missions]))
    meta = dict(doc.meta)
    meta.update({
        "missions": missions,
        "pursuant_to": [{"symbol": r.symbol, "paragraph": r.paragraph} for r in facts.pursuant_to],
        "reporting_period": list(facts.reporting_period) if facts.reporting_period else None,
    })
    record = DocumentRecord(
        source=doc.source, sha256=sha256, format=doc.format, text=doc.text, record=doc.record,
        title=facts.title or doc.title, kind=kind, symbol=facts.symbol, date=overrides.get("date") or facts.date,
        meta=meta,
    )
    b = DocumentBundle(record)
    for i, c in enumerate(chunks):
        s, e = spans.stored(c.start, c.end)
        b.passages.append(PassageRecord(seq=i, text=c.text, start=s, end=e, norm_hash=norm_hash(c.text),
                                        page=doc.page_of(s), paragraph=c.paragraph, section=c.section))
    entities: dict[str, EntityRecord] = {}
    for m in facts.mentions:
        if m.generic:  # an office with no named holder would merge every president into one actor
            continue
        entities.setdefault(m.entity_id, EntityRecord(m.entity_id, m.type, m.name, list(m.aliases)))
        s, e = spans.stored(m.start, m.end)
        extracted = m.entity_id
        if m.resolved_from:  # stored under the name's own id, merged into the known actor (reversibly)
            extracted = m.resolved_from
            entities.setdefault(extracted, EntityRecord(extracted, _own_type(extracted), " ".join(m.text.split())))
            if all(x.from_id != extracted for x in b.merges):
                b.merges.append(MergeRecord(extracted, m.entity_id, f"automatic: same name as {m.name} "
                                                                    f"({m.resolved_by} match)"))
        b.mentions.append(MentionRecord(extracted, s, e, m.text, spans.passage(m.start)))
    mission_ids = []
    for acronym in missions:
        entry = entity_lookup(acronym)
        if entry is not None:
            entities.setdefault(entry.id, EntityRecord(entry.id, entry.type, entry.name, list(entry.aliases)))
            mission_ids.append(entry.id)
            b.relations.append(RelationRecord("doc:@", "CONCERNS", entry.id))
    for ref in facts.pursuant_to:
        s, e = spans.stored(ref.start, ref.end)
        b.relations.append(RelationRecord("doc:@", "PURSUANT_TO", f"res:{ref.symbol}", s, e,
                                          spans.passage(ref.start), {"paragraph": ref.paragraph}))
    if facts.resolution is not None and facts.resolution.symbol.startswith("S/RES/"):
        # a draft (S/2025/259) reads like a resolution but mandates nothing until adopted
        _add_resolution(b, facts.resolution, spans, entity_lookup, entities, overrides)
    for n, inc in enumerate(facts.incidents):
        s, e = spans.stored(inc.start, inc.end)
        p = spans.passage(inc.start)
        b.incidents.append(IncidentRecord(inc.type, inc.text, s, e, inc.date, inc.place, list(inc.actors),
                                          inc.killed, inc.injured, p))
        b.relations += [RelationRecord(f"incident:@{n}", "INVOLVES", a, s, e, p) for a in inc.actors]
        if inc.place:
            b.relations.append(RelationRecord(f"incident:@{n}", "OCCURRED_IN", inc.place, s, e, p))
    for n, les in enumerate(facts.lessons):
        s, e = spans.stored(les.start, les.end)
        p = spans.passage(les.start)
        b.lessons.append(LessonRecord(s, e, les.origin, les.title, les.observation, les.recommendation,
                                      les.lesson, passage=p, discussion=les.discussion, conclusion=les.conclusion))
        b.relations.append(RelationRecord(f"lesson:@{n}", "DERIVED_FROM", "doc:@", s, e, p))
        b.relations += [RelationRecord(f"lesson:@{n}", "CONCERNS", mid) for mid in mission_ids]
        named = dict.fromkeys(m.entity_id for m in b.mentions if s <= m.start and m.end <= e)
        b.relations += [RelationRecord(f"lesson:@{n}", "MENTIONS", eid, s, e, p) for eid in named
                        if eid not in mission_ids]   # the actors and places the lesson itself names
    b.entities = list(entities.values())
    return b


def _add_resolution(b: DocumentBundle, res, spans: _Spans, entity_lookup, entities: dict, overrides: dict) -> None:
    try:
        number, year = parse_resolution_input(res.symbol)
    except Exception:
        number, year = None, None
    missions = list(dict.fromkeys([*(overrides.get("missions") or []), *res.missions]))
    b.resolutions.append(ResolutionRecord(
        symbol=res.symbol, number=number, year=year, adopted=overrides.get("date") or res.adopted,
        action=res.action, chapter_vii=res.chapter_vii, mandate_until=res.mandate_until,
        mandate_period=res.mandate_period, missions=missions,
        cites=list(dict.fromkeys(r.symbol for r in res.cites if r.symbol != res.symbol)),
    ))
    node = f"res:{res.symbol}"
    for acronym in missions:
        entry = entity_lookup(acronym)
        if entry is None:
            continue
        entities.setdefault(entry.id, EntityRecord(entry.id, entry.type, entry.name, list(entry.aliases)))
        b.relations.append(RelationRecord(node, "CONCERNS", entry.id))
        if res.action in ACTION_RELATION:
            b.relations.append(RelationRecord(node, ACTION_RELATION[res.action], entry.id,
                                              props={"mandate_until": res.mandate_until}))
    for ref in res.cites:
        if ref.symbol == res.symbol:
            continue
        s, e = spans.stored(ref.start, ref.end)
        b.relations.append(RelationRecord(node, "CITES", f"res:{ref.symbol}", s, e, spans.passage(ref.start)))
    for seq, c in enumerate(res.clauses):
        s, e = spans.stored(c.start, c.end)
        p = spans.passage(c.start)
        cid = clause_id(res.symbol, c.paragraph, c.part)
        tasks = [t.task for t in res.tasks if t.paragraph == c.paragraph] if c.part == "operative" else []
        tasks = list(dict.fromkeys(tasks or list(c.tasks)))
        b.clauses.append(ClauseRecord(cid, res.symbol, seq, c.paragraph, c.part, c.verb, c.text, s, e, tasks, p))
        b.relations += [RelationRecord(f"clause:{cid}", "MANDATES", f"task:{t}", s, e, p) for t in tasks]


def facts_summary(facts) -> dict:
    """Plain dict of extracted facts, for debugging and ``--json`` dumps."""
    return asdict(facts)
