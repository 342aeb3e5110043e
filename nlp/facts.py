"""Typed facts that extraction returns; offsets are into the text given to the extractor.

``nlp`` never writes anywhere: ``ingest`` maps these spans to passages and stores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("Mission", "State", "ArmedGroup", "UNBody", "Organisation", "Person", "Location")

from missiongraph.taxonomy import TASKS  # one list for every layer

DOCUMENT_KINDS = ("resolution", "sg_report", "letter", "after_action", "lesson", "other")


@dataclass
class Mention:
    entity_id: str          # canonical id, e.g. "mission:unmiss", "state:south-sudan"
    type: str               # one of ENTITY_TYPES
    name: str               # canonical display name ("UNMISS", "South Sudan")
    text: str               # surface form as written
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)  # known aliases of the canonical entity
    resolved_from: str | None = None   # the id the name would have on its own, when a loose match merged it
    resolved_by: str | None = None     # which rule merged it ("particles", "word order" ...)
    generic: bool = False              # an office standing alone with no named holder: no identity to store


@dataclass
class ResolutionRef:
    symbol: str             # normalised, "S/RES/2765 (2024)"
    start: int
    end: int
    paragraph: str | None = None   # "49" in "paragraph 49 of resolution 2765 (2024)"


@dataclass
class Clause:
    paragraph: str          # "3", "3(a)(i)", "PP4"
    part: str               # "operative" | "preamble"
    verb: str | None        # lead verb, lower case: "decides", "authorizes", "requests" ...
    text: str               # the clause's own text
    start: int
    end: int
    tasks: list[str] = field(default_factory=list)


@dataclass
class TaskRef:
    task: str               # one of TASKS
    paragraph: str
    verb: str | None
    text: str
    start: int
    end: int


@dataclass
class ResolutionFacts:
    symbol: str
    adopted: str | None = None          # ISO date
    missions: list[str] = field(default_factory=list)   # acronyms ("UNMISS")
    action: str = "other"               # establish | extend | modify | other
    chapter_vii: bool = False
    mandate_until: str | None = None    # ISO date stated in the text
    mandate_period: str | None = None   # ISO 8601 duration ("P6M", "P1Y")
    cites: list[ResolutionRef] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    tasks: list[TaskRef] = field(default_factory=list)


@dataclass
class Incident:
    type: str               # attack, ambush, ied, abduction, shelling, clash, sexual_violence, other
    text: str
    start: int
    end: int
    date: str | None = None
    place: str | None = None            # entity id of a Location/State when resolved
    actors: list[str] = field(default_factory=list)   # entity ids
    killed: int | None = None
    injured: int | None = None


@dataclass
class Lesson:
    start: int
    end: int
    title: str | None = None
    observation: str | None = None
    recommendation: str | None = None
    lesson: str | None = None
    origin: str = "text"    # "record" (from fields) | "text" (from sentences/sections)
    discussion: str | None = None   # a labelled report's Discussion / Insight / Analysis (nlp.aar)
    conclusion: str | None = None


@dataclass
class DocumentFacts:
    kind: str = "other"                 # one of DOCUMENT_KINDS
    symbol: str | None = None           # "S/RES/2779 (2025)", "S/2025/403"
    title: str | None = None
    date: str | None = None             # ISO
    missions: list[str] = field(default_factory=list)   # acronyms concerned
    pursuant_to: list[ResolutionRef] = field(default_factory=list)
    reporting_period: tuple[str, str] | None = None      # ISO (start, end)
    mentions: list[Mention] = field(default_factory=list)
    refs: list[ResolutionRef] = field(default_factory=list)
    temporal: list[tuple[int, int]] = field(default_factory=list)   # date and time expressions
    resolution: ResolutionFacts | None = None
    incidents: list[Incident] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
