"""The graph: schema, the ``GraphStore`` interface and its backends."""

from kg.model import (
    ClauseRecord, DocumentBundle, DocumentRecord, EntityRecord, IncidentRecord, LessonRecord,
    MentionRecord, MergeRecord, PassageRecord, RelationRecord, ResolutionRecord,
)
from kg.store import GraphStore, open_store

__all__ = [
    "GraphStore", "open_store", "DocumentBundle", "DocumentRecord", "PassageRecord", "EntityRecord",
    "MentionRecord", "MergeRecord", "ResolutionRecord", "ClauseRecord", "IncidentRecord", "LessonRecord", "RelationRecord",
]
