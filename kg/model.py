"""Records the store writes: one ``DocumentBundle`` per document, written atomically.

Facts refer to their passage by ``passage`` = the passage's ``seq`` within the bundle (the
store turns it into a passage id), so provenance is fixed before anything is written.
Relation ends are node keys: ``res:S/RES/2779 (2025)``, ``mission:unmiss`` (entity ids),
``task:ddr``, ``clause:<clause id>``, and placeholders the store resolves on insert:
``doc:@`` (this document), ``incident:@N`` and ``lesson:@N`` (the Nth of this bundle).

A bundle read back from a store (``GraphStore.file_bundles``, used to move a graph between
backends) also carries what the store added: ``ingested_at`` and, where an entity merge
re-pointed a mention or relation, the id extraction gave it (``original_id`` and so on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RELATION_TYPES = (
    "MENTIONS", "CITES", "CONCERNS", "MANDATES", "ESTABLISHES", "EXTENDS", "MODIFIES",
    "PURSUANT_TO", "INVOLVES", "OCCURRED_IN", "DERIVED_FROM", "PART_OF",
)


@dataclass
class DocumentRecord:
    source: str
    sha256: str
    format: str
    text: str
    record: str | None = None
    title: str | None = None
    kind: str = "other"
    symbol: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    marking: str | None = None
    release_to: str | None = None
    ingested_at: str | None = None  # kept when a graph is moved (kg.transfer); None: the time of writing


@dataclass
class PassageRecord:
    seq: int
    text: str
    start: int
    end: int
    norm_hash: str
    page: int | None = None
    paragraph: str | None = None
    section: str | None = None


@dataclass
class EntityRecord:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class MergeRecord:
    """An automatic merge found at ingest: ``from_id`` is one more name of ``into_id``."""
    from_id: str
    into_id: str
    reason: str


@dataclass
class MentionRecord:
    entity_id: str
    start: int
    end: int
    text: str
    passage: int | None = None
    original_id: str | None = None  # set only when a moved graph carries a merge's re-pointing


@dataclass
class ResolutionRecord:
    symbol: str
    number: int | None = None
    year: int | None = None
    adopted: str | None = None
    action: str = "other"
    chapter_vii: bool = False
    mandate_until: str | None = None
    mandate_period: str | None = None
    missions: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)


@dataclass
class ClauseRecord:
    id: str                     # stable: "S/RES/2779 (2025) OP 3(a)(i)"
    symbol: str
    seq: int
    paragraph: str
    part: str
    verb: str | None
    text: str
    start: int
    end: int
    tasks: list[str] = field(default_factory=list)
    passage: int | None = None


@dataclass
class IncidentRecord:
    type: str
    text: str
    start: int
    end: int
    date: str | None = None
    place: str | None = None
    actors: list[str] = field(default_factory=list)
    killed: int | None = None
    injured: int | None = None
    passage: int | None = None


@dataclass
class LessonRecord:
    start: int
    end: int
    origin: str = "text"
    title: str | None = None
    observation: str | None = None
    recommendation: str | None = None
    lesson: str | None = None
    status: str = "observation"
    passage: int | None = None
    key: str | None = None   # kg.lifecycle.lesson_key; the store fills it in when absent
    discussion: str | None = None
    conclusion: str | None = None


@dataclass
class RelationRecord:
    src: str
    rel: str
    dst: str
    start: int | None = None
    end: int | None = None
    passage: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    original_src: str | None = None  # as MentionRecord.original_id, for each end
    original_dst: str | None = None


@dataclass
class DocumentBundle:
    document: DocumentRecord
    passages: list[PassageRecord] = field(default_factory=list)
    vectors: Any = None         # numpy float32 (len(passages), dim), row i = passage seq i
    entities: list[EntityRecord] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)
    resolutions: list[ResolutionRecord] = field(default_factory=list)
    clauses: list[ClauseRecord] = field(default_factory=list)
    incidents: list[IncidentRecord] = field(default_factory=list)
    lessons: list[LessonRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    merges: list[MergeRecord] = field(default_factory=list)
