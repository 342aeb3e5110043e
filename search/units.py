"""Record units: what a person means by "one result".

A lesson record is one thing to a planner, however many field passages (driving event, lesson,
recommendation) ingest cut it into; a numbered report or resolution paragraph is one thing even
when it runs over two passages.  Search ranks and shows these units, keeping the passage that
matched best for provenance.  A passage belongs to:

* its document's record, when the document is a record of a records file (a NASA lesson);
* else its numbered paragraph (``"12"``, ``"3(a)(i)"``, ``"PP4"``) within its section of its
  document (an after-action report numbers its observations and its recommendations from 1
  each, under two headings);
* else, in an after-action report or lessons document, its section (a report's "Observation"
  or "Discussion" is what its reader looks for);
* else itself alone.

A unit's key names its document by symbol where it has one, so the PDF and the text export of
one report (two documents, one symbol) share their paragraphs' keys and fuse into one result.
Pure functions over passage rows (the dicts of
``GraphStore.passages_by_ids``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable, Iterable, Mapping

UnitKey = tuple[Hashable, ...]
SECTION_KINDS = frozenset({"after_action", "lesson"})


def _doc_ident(row: Mapping) -> Hashable:
    return ("symbol", row["symbol"]) if row.get("symbol") else ("doc", int(row["doc_id"]))


def unit_key(row: Mapping) -> UnitKey:
    """The key of the unit a passage belongs to (see the module docstring)."""
    if row.get("record") not in (None, ""):
        return (_doc_ident(row), "record", str(row["record"]))
    if row.get("paragraph") not in (None, ""):
        return (_doc_ident(row), "paragraph", str(row["paragraph"]), row.get("section") or "")
    if row.get("section") and row.get("kind") in SECTION_KINDS:
        return (_doc_ident(row), "section", str(row["section"]))
    return ("passage", row.get("norm_hash") or int(row["id"]))


def passage_key(row: Mapping) -> UnitKey:
    """The key of a passage on its own (``expand``): identical texts stay one result."""
    return ("passage", row.get("norm_hash") or int(row["id"]))


@dataclass
class Unit:
    """The passages of one unit of one document, in reading order."""

    key: UnitKey
    doc_id: int
    title: str
    passage_ids: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    is_record: bool = False

    @property
    def uid(self) -> int:
        """The unit's id in the keyword index: its first passage's id (passage ids are never reused)."""
        return self.passage_ids[0]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def group_units(rows: Iterable[Mapping]) -> list[Unit]:
    """Units of the given passage rows, grouped per document (rows of one document in seq order)."""
    out: list[Unit] = []
    by_key: dict[tuple[int, UnitKey], Unit] = {}
    for row in rows:
        key = unit_key(row)
        doc_id = int(row["doc_id"])
        unit = by_key.get((doc_id, key))
        if unit is None:
            unit = Unit(key, doc_id, row.get("title") or "", is_record=row.get("record") not in (None, ""))
            by_key[(doc_id, key)] = unit
            out.append(unit)
        unit.passage_ids.append(int(row["id"]))
        unit.texts.append(row.get("text") or "")
    return out


def unit_members(store, rows: list[Mapping]) -> dict[int, list[int]]:
    """For each passage row, the ids of every passage of its unit, in reading order."""
    if not rows:
        return {}
    if getattr(store, "uses_keyword_index", False):
        from search import keyword_index

        return keyword_index.open_index(store).units_of([int(r["id"]) for r in rows])
    out: dict[int, list[int]] = {}
    for doc_id in dict.fromkeys(int(r["doc_id"]) for r in rows):
        units = group_units(store.document_passages(doc_id))
        for r in rows:
            if int(r["doc_id"]) == doc_id:
                out[int(r["id"])] = next((u.passage_ids for u in units if int(r["id"]) in u.passage_ids), [int(r["id"])])
    return out


def store_units(store, chunk: int = 500) -> tuple[list[Unit], dict[int, dict]]:
    """Every unit of the store, document by document, with the passage rows by id (benchmarks
    that rank the same units with another engine read them here)."""
    doc_ids = sorted(store.document_shas())
    units: list[Unit] = []
    rows: dict[int, dict] = {}
    for start in range(0, len(doc_ids), chunk):
        part = store.unit_rows(doc_ids[start:start + chunk])
        rows.update((int(r["id"]), r) for r in part)
        units += group_units(part)
    return units, rows
