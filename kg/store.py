"""The ``GraphStore`` interface every backend implements, and ``open_store`` to pick one.

The interface is deliberately small and record-shaped (dicts out, ``DocumentBundle`` in) so
the embedded SQLite store and a Neo4j store can pass one test-suite.  Higher-level answers
(the resolution, document, entity and mandate views) are composed in ``kg.views`` from these
primitives and so come for free with each backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Iterable, Sequence

from kg.model import DocumentBundle, EntityRecord
from missiongraph.errors import ConfigError


class GraphStore(ABC):
    """A property graph of documents, passages, actors, mandates, incidents and lessons."""

    url: str

    # -- lifecycle ---------------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    @abstractmethod
    def index_dir(self) -> Path:
        """Folder for rebuildable caches kept beside the store (the FAISS index)."""

    # -- writing -----------------------------------------------------------------
    @abstractmethod
    def file_sha(self, path: str) -> str | None:
        """Content hash recorded for a file at its last ingest, or None."""

    @abstractmethod
    def replace_file(self, path: str, sha256: str, size: int, bundles: list[DocumentBundle]) -> list[int]:
        """Atomically replace everything ingested from ``path`` by ``bundles``; return doc ids."""

    @abstractmethod
    def remove_file(self, path: str) -> int:
        """Forget a file and everything extracted from it; return documents removed."""

    @abstractmethod
    def set_vector_meta(self, model: str, dim: int) -> None:
        """Record which embedding model produced the stored vectors."""

    # -- reading it all back (moving a graph between backends: kg.transfer) -------
    @abstractmethod
    def files(self) -> list[dict]:
        """Every ingested file as ``{"path", "sha256", "size", "documents"}``, in the order first written."""

    @abstractmethod
    def file_bundles(self, path: str) -> list[DocumentBundle]:
        """What ``replace_file(path, ...)`` received, rebuilt from the store (ids aside): documents
        in order, vectors, facts with their passages, the entities they refer to as stored now,
        and, where a merge re-pointed a mention or relation, its original id.  Merge records are
        not included (``entity_merges`` holds them all)."""

    @abstractmethod
    def entities(self) -> list[dict]:
        """Every entity (``get_entity`` shape), by id, mentioned or not."""

    @abstractmethod
    def upsert_entities(self, records: list[EntityRecord]) -> None:
        """Create entities or widen their alias lists, as an ingest does; the first name stays canonical."""

    @abstractmethod
    def restore_merges(self, records: list[dict]) -> int:
        """Write merge records (``entity_merges`` shape, ``id`` ignored) with their reasons, times and
        undone state; a record already held is skipped.  Nothing is re-pointed: restored files
        carry the ids merges gave them.  Returns how many were added; a conflicting record
        (``InputError``) writes none."""

    # -- documents and passages --------------------------------------------------
    @abstractmethod
    def get_document(self, doc_id: int) -> dict | None: ...

    @abstractmethod
    def find_documents(self, *, source: str | None = None, symbol: str | None = None,
                       kind: str | None = None, limit: int = 100) -> list[dict]: ...

    @abstractmethod
    def document_passages(self, doc_id: int) -> list[dict]: ...

    @abstractmethod
    def passages_by_ids(self, ids: Iterable[int]) -> list[dict]:
        """Passages with their document's provenance fields, in the order asked."""

    @abstractmethod
    def keyword_search(self, query: str, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """BM25 over passage text and title; higher score is better."""

    # Search ranks record units through its own keyword index (``search.keyword_index``) on
    # stores that say so; the others answer keyword search themselves (a server's full-text index).
    uses_keyword_index = False

    def document_shas(self) -> dict[int, str]:
        """Every document's id with its sha256: what a keyword index compares itself against."""
        raise NotImplementedError(f"{type(self).__name__} keeps no keyword index")

    def unit_rows(self, doc_ids: Sequence[int]) -> list[dict]:
        """The passages of these documents (``passages_by_ids`` fields), document by document in
        reading order: the rows ``search.units.group_units`` makes units of."""
        return [p for d in doc_ids for p in self.document_passages(int(d))]

    def filter_passage_ids(self, *, kind: str | None = None, mission: str | None = None, year: int | None = None,
                           country: Sequence[str] | None = None, task: str | None = None,
                           topic: str | None = None) -> set[int] | None:
        """Passage ids passing every given filter (they combine with AND), or None when none is given.

        ``mission``: a mission by name, alias or id; a passage passes when its document CONCERNS
        the mission or the passage mentions it.  ``country``: entity ids standing for one country
        (its State and, as the caller knows them, the missions deployed there), by the same rule.
        ``task``: a task id; passages holding a resolution clause that MANDATES it.  ``topic``:
        passages of documents whose record carries that topic (``kg.topics``, case ignored).
        """
        if all(v is None for v in (kind, mission, year, country, task, topic)):
            return None
        mission_ids = None
        if mission is not None:
            mission_ids = [e["id"] for e in self.find_entities(mission) if e["type"] == "Mission"] or [mission]
        return self._filter_ids(kind=kind, year=year, mission_ids=mission_ids, country=country, task=task,
                                topic=topic)

    @abstractmethod
    def _filter_ids(self, *, kind, year, mission_ids, country, task, topic) -> set[int]:
        """The backend's query behind ``filter_passage_ids``, missions already resolved to ids."""

    @abstractmethod
    def passage_links(self, ids: Iterable[int]) -> dict[int, dict]:
        """What facets and explanations need about each passage, in a few batched reads:
        ``{id: {"doc_id", "kind", "date", "norm_hash", "entities": [{"id", "name", "type",
        "aliases", "count"}] (mentioned in the passage, most mentioned first), "concerns":
        [{"id", "name", "type"}] (what its document CONCERNS), "tasks": [task ids of the clauses
        it holds], "topics": [its record's topics]}}``; unknown ids are left out."""

    @abstractmethod
    def keyword_spans(self, query: str, ids: Iterable[int]) -> dict[int, list[tuple[str, int, int]]]:
        """For each passage, ``(term, start, end)`` of the words in its text that keyword search
        matches to a query term, by the backend's own normalisation (offsets into the passage
        text, in text order); passages matching no term are left out."""

    # -- vectors -----------------------------------------------------------------
    @abstractmethod
    def vector_ids(self) -> list[int]: ...

    @abstractmethod
    def get_vectors(self, ids: list[int]) -> Any:
        """float32 array (len(ids), dim) in the order asked."""

    @abstractmethod
    def vector_meta(self) -> dict: ...

    @abstractmethod
    def vectors_for_hashes(self, hashes: Iterable[str]) -> dict:
        """Stored vectors of passages with these text hashes (hash -> vector), to skip re-embedding."""

    def server_vector_search(self, vec, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]] | None:
        """Nearest passages (id, cosine) from the server's own vector index, or None where the
        backend has none (the FAISS cache is then the only vector index)."""
        return None

    def vector_stamp(self) -> str | None:
        """A cheap value that changes whenever vectors change; None: compare id sets instead."""
        return None

    # -- entities ----------------------------------------------------------------
    @abstractmethod
    def get_entity(self, entity_id: str) -> dict | None: ...

    @abstractmethod
    def find_entities(self, name: str, limit: int = 20) -> list[dict]:
        """Entities whose id, name or alias equals ``name`` (case-insensitive), best first."""

    @abstractmethod
    def entity_mentions(self, entity_id: str, limit: int = 50) -> list[dict]: ...

    @abstractmethod
    def entity_mention_count(self, entity_id: str) -> int: ...

    @abstractmethod
    def co_mentioned(self, entity_id: str, limit: int = 20) -> list[dict]:
        """Entities mentioned in the same passages, with counts."""

    @abstractmethod
    def document_entities(self, doc_id: int, type: str | None = None) -> list[dict]: ...

    @abstractmethod
    def merge_entities(self, from_id: str, into_id: str, reason: str) -> dict:
        """Treat ``from_id`` as ``into_id`` from now on (mentions, relations, later ingests); recorded
        with its reason and reversible by ``split_entity``."""

    @abstractmethod
    def split_entity(self, from_id: str) -> dict:
        """Undo the merge in force of ``from_id``: its mentions and relations return to it."""

    @abstractmethod
    def entity_merges(self, entity_id: str | None = None) -> list[dict]:
        """Merge records touching ``entity_id`` (all when None), undone ones included."""

    def canonical_entity(self, entity_id: str) -> str:
        """The entity that the merges in force lead ``entity_id`` to."""
        seen = {entity_id}
        while True:
            nxt = next((m["into"] for m in self.entity_merges(entity_id)
                        if m["from"] == entity_id and m["undone_at"] is None), None)
            if nxt is None or nxt in seen:
                return entity_id
            seen.add(nxt)
            entity_id = nxt

    # -- mandates ----------------------------------------------------------------
    @abstractmethod
    def resolution_rows(self, *, symbol: str | None = None, number: int | None = None,
                        year: int | None = None) -> list[dict]:
        """Per-document resolution facts (a symbol read from two files has two rows)."""

    @abstractmethod
    def resolution_clauses(self, symbol: str) -> list[dict]: ...

    @abstractmethod
    def resolutions_concerning(self, mission_ids: list[str]) -> list[dict]: ...

    # -- relations, incidents, lessons -------------------------------------------
    @abstractmethod
    def relations(self, *, src: str | None = None, rel: str | None = None,
                  dst: str | None = None, limit: int = 1000) -> list[dict]: ...

    @abstractmethod
    def incidents(self, *, doc_id: int | None = None, limit: int = 100) -> list[dict]: ...

    @abstractmethod
    def lessons(self, *, doc_id: int | None = None, limit: int = 100, status: str | None = None) -> list[dict]: ...

    # -- the lessons-learned process (kg.lifecycle writes it; nothing else does) --
    @abstractmethod
    def lessons_by(self, *, ids: list[int] | None = None, keys: list[str] | None = None) -> list[dict]:
        """Lesson rows by id or by key, with their document's source, symbol, title, date and kind."""

    @abstractmethod
    def lesson_states(self, keys: list[str] | None = None) -> dict[str, dict]:
        """{key: state} (``kg.lifecycle`` fields) for the keys asked, or every key with state."""

    @abstractmethod
    def write_lesson_state(self, key: str, state: dict, events: list[dict]) -> None:
        """Atomically store a lesson's new state, append its events, and show the status on its rows."""

    @abstractmethod
    def lesson_events(self, key: str) -> list[dict]:
        """The key's recorded changes, oldest first."""

    # -- housekeeping ------------------------------------------------------------
    @abstractmethod
    def stats(self) -> dict: ...

    @abstractmethod
    def check(self) -> list[str]:
        """Integrity problems found (empty list: healthy)."""


def open_store(url: str | None = None) -> GraphStore:
    """Pick a backend by URL: a folder path or ``sqlite:///path`` is the embedded store;
    ``bolt://``, ``neo4j://`` (and their ``+s`` forms) open the Neo4j/Bolt store."""
    from missiongraph import settings

    url = url or settings.get("store")
    if "://" in url and not url.startswith("sqlite://"):
        scheme = url.split("://", 1)[0]
        if scheme in ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"):
            from kg.bolt import BoltStore  # imports the neo4j driver only now

            return BoltStore(url)
        raise ConfigError(f"unknown store backend {scheme!r}; use a folder path or a bolt:// URL", input=scheme)
    from kg.sqlite_store import SQLiteStore

    path = url[len("sqlite://"):] if url.startswith("sqlite://") else url
    return SQLiteStore(path)
