"""``Extractor``: text (+ hints) in, ``DocumentFacts`` out.  Never writes anywhere."""

from __future__ import annotations

import re
from collections import Counter

from missiongraph import settings
from missiongraph.errors import InputError
from nlp import doc_meta, gazetteer
from nlp.actors import mentions as doc_mentions
from nlp.facts import DocumentFacts, Mention, ResolutionRef
from nlp.incidents import incidents as find_incidents
from nlp.lessons import from_fields, from_text
from nlp.resolution import resolution_facts
from nlp.structure import parse_paragraphs
from nlp.symbols import find_dates

MAX_PIECE = 100_000
_TEMPORAL = {"DATE", "TIME"}


def split_text(text: str, max_chars: int = MAX_PIECE) -> list[tuple[int, str]]:
    """(offset, piece) with pieces of at most ``max_chars``, cut at blank lines (else line ends)."""
    out, pos = [], 0
    while len(text) - pos > max_chars:
        window = text[pos:pos + max_chars]
        cut = window.rfind("\n\n")
        if cut < max_chars // 2:
            cut = window.rfind("\n")
        if cut < max_chars // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else max_chars
        out.append((pos, window[:cut]))
        pos += cut
    out.append((pos, text[pos:]))
    return out


# A line holding only a field label or a lettered heading: "Recommendation", "B. Humanitarian access".
_LABEL_LINE = re.compile(r"(?:[A-Z]\.\s+)?[A-Z][a-z]+(?:\s+[A-Za-z]+){0,3}\s*:?")


def _label_line(text: str, start: int, end: int) -> bool:
    """Whether a name found in the squeezed text is a label line run into the line below it
    ("Recommendation" + line break + "Write into ..." read as a person), or a lettered heading."""
    if start != text.rfind("\n", 0, start) + 1:
        return False   # not at a line start
    brk = text.find("\n", start, end)
    if brk >= 0:
        return bool(_LABEL_LINE.fullmatch(text[start:brk].strip()))
    line_end = text.find("\n", end)
    line = text[start:line_end if line_end >= 0 else len(text)].strip()
    return bool(re.match(r"[A-Z]\.\s", line)) and bool(_LABEL_LINE.fullmatch(line))


def squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` with each whitespace run as one space (so names wrapped across lines still match),
    and for each character of the result its offset in ``text``."""
    out, where = [], []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        where.append(i)
    where.append(len(text))
    return "".join(out), where


class Extractor:
    """Loads the spaCy pipeline on first use (``model`` defaults to the ``spacy_model`` setting)."""

    def __init__(self, model: str | None = None, nlp=None, batch_size: int = 16):
        self.model = model or settings.get("spacy_model")
        self._nlp = nlp
        self.batch_size = batch_size

    @property
    def nlp(self):
        if self._nlp is None:
            from nlp.pipeline import build_pipeline

            self._nlp = build_pipeline(self.model)
        return self._nlp

    def extract(self, text: str, hints: dict | None = None) -> DocumentFacts:
        return self.extract_many([(text, hints or {})])[0]

    def extract_many(self, items: list[tuple[str, dict]]) -> list[DocumentFacts]:
        items = [(t, dict(h or {})) for t, h in items]
        for text, _ in items:
            if not isinstance(text, str):
                raise InputError(f"extract needs text (str), got {type(text).__name__}")
        jobs = []
        for i, (text, _) in enumerate(items):
            for off, piece in split_text(text):
                squeezed, where = squeeze(piece)
                jobs.append((i, off, squeezed, where))
        found = [([], [], [], []) for _ in items]  # mentions, sentences, refs, temporal
        text_of = [text for text, _ in items]
        docs = self.nlp.pipe((j[2] for j in jobs), batch_size=self.batch_size)
        for (i, off, _, where), doc in zip(jobs, docs):
            ms, ss, rs, ts = found[i]

            def span(a: int, b: int) -> tuple[int, int]:
                return off + where[a], off + where[b - 1] + 1 if b > a else off + where[a]

            for m in doc_mentions(doc):
                m.start, m.end = span(m.start, m.end)
                if not _label_line(text_of[i], m.start, m.end):
                    ms.append(_resolve_variant(m))
            ss.extend(span(x.start_char, x.end_char) for x in doc.sents if x.text.strip())
            rs.extend(ResolutionRef(r.symbol, *span(r.start, r.end), r.paragraph)
                      for r in (doc._.resolution_refs or []))
            ts.extend(span(x.start_char, x.end_char) for x in doc.ents if x.label_ in _TEMPORAL)
        return [_facts(text, hints, *found[i]) for i, (text, hints) in enumerate(items)]


def _missions(kind: str, text: str, mentions: list[Mention], hints: dict, res_missions: list[str]) -> list[str]:
    out: list[str] = []
    if hints.get("mission"):
        e = gazetteer.mission(str(hints["mission"]))
        if e is None:
            raise InputError(f"unknown mission {hints['mission']!r}", input=str(hints["mission"]))
        out.append(e.name)
    missions = [m for m in mentions if m.type == "Mission"]
    if kind == "resolution":
        out += res_missions or [m.name for m in missions]
    else:
        head = [m.name for m in missions if m.start < min(4000, max(len(text) // 5, 1500))]
        if head:
            out += head
        else:
            counts = Counter(m.name for m in missions)
            out += [name for name, n in counts.most_common(2) if n >= 2]
    return list(dict.fromkeys(out))


_OWN_IDS = ("organisation:", "person:", "location:")


def _resolve_variant(m: Mention) -> Mention:
    """A name the model found that the gazetteer knows in another spelling joins the known actor;
    the id it would have had is kept so the merge is recorded and can be split."""
    if not m.entity_id.startswith(_OWN_IDS) or len(m.name) < 4:
        return m
    hit = gazetteer.resolve(m.name)
    if hit is None or hit[0].id == m.entity_id:
        return m
    entry, rule = hit
    return Mention(entry.id, entry.type, entry.name, m.text, m.start, m.end, list(entry.aliases),
                   resolved_from=m.entity_id, resolved_by=rule)


def _temporal(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The model's dates and times, widened to any full date our rules read across them."""
    rules = [(a, b) for _, a, b in find_dates(text)]
    kept = [s for s in spans if not any(a <= s[0] and s[1] <= b and (a, b) != s for a, b in rules)]
    return sorted(set(kept) | {r for r in rules if not any(s[0] <= r[0] and r[1] <= s[1] for s in kept)})


def _facts(text: str, hints: dict, mentions: list[Mention], sentences: list[tuple[int, int]],
           refs: list[ResolutionRef], temporal: list[tuple[int, int]]) -> DocumentFacts:
    symbol = doc_meta.detect_symbol(text, hints)
    kind = doc_meta.detect_kind(text, hints, symbol)
    date = doc_meta.detect_date(text, hints, kind)
    title = doc_meta.detect_title(text, hints, kind, symbol)
    fields = hints.get("fields") or {}
    paras = [] if fields else parse_paragraphs(text, resolution=kind == "resolution")
    refs = sorted(refs, key=lambda r: r.start)
    facts = DocumentFacts(kind=kind, symbol=symbol, title=title, date=date, mentions=mentions, refs=refs,
                          temporal=_temporal(text, temporal))
    res_missions: list[str] = []
    if kind == "resolution" and symbol:
        facts.resolution = resolution_facts(text, symbol, date, refs, mentions, paras)
        res_missions = facts.resolution.missions
    else:
        facts.pursuant_to = doc_meta.pursuant_to(text, refs)
        facts.reporting_period = doc_meta.reporting_period(text)
    facts.missions = _missions(kind, text, mentions, hints, res_missions)
    if kind not in ("resolution", "lesson"):
        facts.incidents = find_incidents(text, sentences, mentions, date[:4] if date else None)
    if fields:
        facts.lessons = from_fields(text, fields, hints.get("title"), hints.get("lesson_fields"))
    if not facts.lessons and kind != "resolution":
        facts.lessons = from_text(text, paras, sentences, sentence_rules=kind in ("after_action", "lesson", "other"))
    return facts
