"""The export format of ``kg.transfer``: JSON Lines, one record per line, checked line by line.

Every line is a JSON object whose ``type`` says what it holds, in this order:

1. ``{"type": "header", "format": "missiongraph-export", "version": 1, "vectors": {"model", "dim"} | null,
   "exported_at", "missiongraph", "counts": {"files", "entities", "merges"}}``
2. one ``{"type": "entity", "entity": {"id", "type", "name", "aliases"}}`` per entity, mentioned or not
   (``aliases`` is the stored list, canonical name first)
3. per ingested file, ``{"type": "file", "file": {"path", "sha256", "size", "documents"}}`` followed by
   exactly ``documents`` lines ``{"type": "document", "file": path, "document": {...}, "passages": [...],
   "vectors": base64 | null, "entities": [ids], "mentions": [...], "resolutions": [...], "clauses": [...],
   "incidents": [...], "lessons": [...], "relations": [...]}``, each list holding ``kg.model`` records
   as objects with the dataclass's field names (facts point at passages by ``seq``; relation ends
   use the ``doc:@`` / ``incident:@N`` / ``lesson:@N`` placeholders; ``entities`` lists the entity
   records the document refers to).  ``vectors`` is the float32 array (one row per passage, in
   passage order) as little-endian bytes in base64: exact, and about a third of decimal text.
4. one ``{"type": "merge", "merge": {"from", "into", "reason", "at", "undone_at"}}`` per entity merge,
   in the order made (undone ones included)
5. one ``{"type": "lesson_state", "state": {"key", "status", "owner", "action_plan", "due", "updated_at",
   "updated_by"}, "events": [{"at", "author", "field", "old", "new", "reason"}, ...]}`` per lesson key
   with a lifecycle state (``kg.lifecycle``), its events oldest first; absent from exports made
   before the lessons-learned process existed, which still read
6. ``{"type": "end", "records": N}``: N lines came before it.  A file cut at a line boundary lacks
   it, so truncation is always caught.

Text is written ASCII-only (``\\uXXXX`` escapes), so no line holds a raw line break.  ``read``
checks every line (JSON, order, field names and types, spans, passage and entity references,
vector size) and raises ``InputError`` naming the input and the line.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from dataclasses import asdict
from typing import Any, Iterable, Iterator

from kg.model import (
    ClauseRecord, DocumentBundle, DocumentRecord, EntityRecord, IncidentRecord, LessonRecord, MentionRecord,
    PassageRecord, RelationRecord, ResolutionRecord,
)
from missiongraph.errors import InputError, StoreError

FORMAT = "missiongraph-export"
VERSION = 1
RECORD_TYPES = ("header", "entity", "file", "document", "merge", "lesson_state", "end")
_STAGE = {"header": 0, "entity": 1, "file": 2, "document": 2, "merge": 3, "lesson_state": 4, "end": 5}
STATE_KEYS = ("key", "status", "owner", "action_plan", "due", "updated_at", "updated_by", "topic", "topic_by",
              "topic_score")
EVENT_KEYS = ("at", "author", "field", "old", "new", "reason")
_FACTS = {"mentions": MentionRecord, "resolutions": ResolutionRecord, "clauses": ClauseRecord,
          "incidents": IncidentRecord, "lessons": LessonRecord, "relations": RelationRecord}
_DOCUMENT_KEYS = {"type", "file", "document", "passages", "vectors", "entities", *_FACTS}
_LOCAL = re.compile(r"(incident|lesson):@(\d+)")


def line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n"


def encode_vectors(vectors) -> str | None:
    if vectors is None:
        return None
    import numpy as np

    return base64.b64encode(np.ascontiguousarray(vectors, dtype="<f4").tobytes()).decode("ascii")


def document_line(path: str, b: DocumentBundle) -> dict:
    held = {e.id for e in b.entities}
    lost = sorted({m.entity_id for m in b.mentions} - held)
    if lost:   # an import would refuse it: say so now, where the store can be repaired
        raise StoreError(f"{path}: mentions of entities the store does not hold: {', '.join(lost[:5])}", input=path)
    out = {"type": "document", "file": path, "document": asdict(b.document),
           "passages": [asdict(p) for p in b.passages], "vectors": encode_vectors(b.vectors),
           "entities": [e.id for e in b.entities]}
    out.update({key: [asdict(r) for r in getattr(b, key)] for key in _FACTS})
    return out


def read(lines: Iterable[bytes | str], name: str) -> Iterator[tuple]:
    """Check an export line by line, yielding ``("header", dict)``, ``("entity", EntityRecord)``,
    ``("file", dict, [DocumentBundle])`` (once its documents are read), ``("merge", dict)``."""
    r = _Reader(name)
    n = 0
    for n, raw in enumerate(lines, start=1):
        yield from r.take(n, raw)
    if r.stage != _STAGE["end"]:
        raise InputError(f"{name}: ends after line {n} without its end record; the export is truncated", input=name)


class _Reader:
    def __init__(self, name: str):
        self.name, self.stage, self.n = name, -1, 0
        self.dim: int | None = None
        self.entities: dict[str, EntityRecord] = {}
        self.paths: set[str] = set()
        self.in_force: dict[str, str] = {}
        self.lesson_keys: set[str] = set()
        self.file: dict | None = None
        self.bundles: list[DocumentBundle] = []

    def fail(self, problem: str):
        raise InputError(f"{self.name}, line {self.n}: {problem}", input=self.name)

    def take(self, n: int, raw: bytes | str) -> Iterator[tuple]:
        self.n = n
        obj = self._parse(raw)
        kind = obj.get("type")
        if kind not in RECORD_TYPES:
            self.fail(f"unknown record type {kind!r} (an export holds {', '.join(RECORD_TYPES)})")
        if self.stage == _STAGE["end"]:
            self.fail("a record after the end record")
        if (n == 1) != (kind == "header"):
            self.fail("an export starts with its header record, and has only one")
        if _STAGE[kind] < self.stage:
            self.fail(f"a {kind} record after the {[k for k, v in _STAGE.items() if v == self.stage][0]} records")
        if kind != "document" and self.file is not None:
            yield from self._close_file()
        self.stage = _STAGE[kind]
        if kind == "header":
            yield ("header", self._header(obj))
        elif kind == "entity":
            yield ("entity", self._entity(obj))
        elif kind == "file":
            self._open_file(obj)
        elif kind == "document":
            self.bundles.append(self._document(obj))
        elif kind == "merge":
            yield ("merge", self._merge(obj))
        elif kind == "lesson_state":
            yield ("lesson_state", *self._lesson_state(obj))
        elif obj.get("records") != n - 1:
            self.fail(f"the end record counts {obj.get('records')!r} records, {n - 1} came before it")

    def _parse(self, raw: bytes | str) -> dict:
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            obj = json.loads(text)
        except UnicodeDecodeError as e:
            self.fail(f"not UTF-8 ({e.reason} at byte {e.start})")
        except json.JSONDecodeError as e:
            self.fail(f"not a complete JSON record ({e.msg} at column {e.colno}); is the file truncated?")
        if not isinstance(obj, dict):
            self.fail("a record must be a JSON object")
        return obj

    def _fields(self, obj: Any, need: dict[str, tuple], what: str) -> dict:
        """``obj`` must be an object with exactly the keys of ``need``, each of one of its types."""
        if not isinstance(obj, dict):
            self.fail(f"{what} must be a JSON object")
        if set(obj) != set(need):
            self.fail(f"{what} has fields {sorted(obj)}, expected {sorted(need)}")
        for key, types in need.items():
            if not isinstance(obj[key], types) or (isinstance(obj[key], bool) and bool not in types):
                self.fail(f"{what}: {key} has the wrong type ({type(obj[key]).__name__})")
        return obj

    def _header(self, obj: dict) -> dict:
        if obj.get("format") != FORMAT:
            self.fail(f"not a missiongraph export (format {obj.get('format')!r}, expected {FORMAT!r})")
        if obj.get("version") != VERSION:
            self.fail(f"export format version {obj.get('version')!r} is not supported; this missiongraph "
                      f"reads version {VERSION} (use the missiongraph that wrote it, or a newer one)")
        vec = obj.get("vectors")
        if vec is not None:
            self._fields(vec, {"model": (str,), "dim": (int,)}, "header vectors")
            if vec["dim"] < 1:
                self.fail(f"header vectors: dimension {vec['dim']} is not positive")
            self.dim = vec["dim"]
        return obj

    def _entity(self, obj: dict) -> EntityRecord:
        self._fields(obj, {"type": (str,), "entity": (dict,)}, "entity record")
        e = self._fields(obj["entity"], {"id": (str,), "type": (str,), "name": (str,), "aliases": (list,)}, "entity")
        if not e["id"] or e["id"] in self.entities or not all(isinstance(a, str) for a in e["aliases"]):
            self.fail(f"entity {e['id']!r} is empty, repeated or has aliases that are not text")
        self.entities[e["id"]] = EntityRecord(e["id"], e["type"], e["name"], list(e["aliases"]))
        return self.entities[e["id"]]

    def _open_file(self, obj: dict) -> None:
        self._fields(obj, {"type": (str,), "file": (dict,)}, "file record")
        f = self._fields(obj["file"], {"path": (str,), "sha256": (str,), "size": (int,), "documents": (int,)}, "file")
        if not f["path"] or f["path"] in self.paths or f["size"] < 0 or f["documents"] < 0:
            self.fail(f"file {f['path']!r} is empty, repeated or has a negative size or count")
        self.paths.add(f["path"])
        self.file, self.bundles = f, []

    def _close_file(self) -> Iterator[tuple]:
        f, bundles = self.file, self.bundles
        if len(bundles) != f["documents"]:
            self.fail(f"file {f['path']!r} declares {f['documents']} documents but {len(bundles)} follow it")
        self.file, self.bundles = None, []
        yield ("file", f, bundles)

    def _lesson_state(self, obj: dict) -> tuple[dict, list[dict]]:
        from kg.lifecycle import STATES

        self._fields(obj, {"type": (str,), "state": (dict,), "events": (list,)}, "lesson_state record")
        opt = (str, type(None))
        need = {"key": (str,), "status": (str,), **{k: opt for k in STATE_KEYS[2:]},
                "topic_score": (float, int, type(None))}
        st = self._fields(obj["state"], need, "lesson state")
        if not st["key"].startswith("ls-") or st["status"] not in STATES:
            self.fail(f"lesson state {st['key']!r}: a key is ls-..., a status one of {', '.join(STATES)}")
        if st["key"] in self.lesson_keys:
            self.fail(f"lesson state {st['key']!r} is repeated")
        self.lesson_keys.add(st["key"])
        events = [self._fields(e, {"at": (str,), "author": (str,), "field": (str,), "old": opt, "new": opt,
                                   "reason": opt}, "lesson event") for e in obj["events"]]
        return st, events

    def _merge(self, obj: dict) -> dict:
        self._fields(obj, {"type": (str,), "merge": (dict,)}, "merge record")
        m = self._fields(obj["merge"], {"from": (str,), "into": (str,), "reason": (str,), "at": (str,),
                                        "undone_at": (str, type(None))}, "merge")
        if not (m["from"] and m["into"] and m["reason"].strip() and m["at"]) or m["from"] == m["into"]:
            self.fail("a merge needs from and into (different), a reason and a time")
        if m["undone_at"] is None:
            if m["from"] in self.in_force:
                self.fail(f"{m['from']!r} is merged into {self.in_force[m['from']]!r} and {m['into']!r} at once")
            self.in_force[m["from"]] = m["into"]
        return m

    # -- documents -------------------------------------------------------------------
    def _document(self, obj: dict) -> DocumentBundle:
        if self.file is None or len(self.bundles) >= self.file["documents"]:
            self.fail("a document record that no file record announced")
        if set(obj) != _DOCUMENT_KEYS:
            self.fail(f"document record has fields {sorted(obj)}, expected {sorted(_DOCUMENT_KEYS)}")
        if obj["file"] != self.file["path"]:
            self.fail(f"document of file {obj['file']!r} inside file {self.file['path']!r}")
        for key in ("passages", "entities", *_FACTS):
            if not isinstance(obj[key], list):
                self.fail(f"document record: {key} must be a list")
        d = self._record(DocumentRecord, obj["document"], "document")
        if d.source != self.file["path"]:
            self.fail(f"document source {d.source!r} differs from its file {self.file['path']!r}")
        b = DocumentBundle(d, [self._record(PassageRecord, p, f"passage {i}") for i, p in enumerate(obj["passages"])])
        for key, cls in _FACTS.items():
            setattr(b, key, [self._record(cls, x, f"{key[:-1]} {i}") for i, x in enumerate(obj[key])])
        self._check_passages(b)
        b.vectors = self._vectors(obj["vectors"], len(b.passages))
        b.entities = self._bundle_entities(obj["entities"], b)
        self._check_relations(b)
        return b

    def _record(self, cls, obj: Any, what: str):
        """A ``kg.model`` record from its JSON object: the dataclass's fields, types as annotated."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if not isinstance(obj, dict):
            self.fail(f"{what} must be a JSON object")
        unknown = set(obj) - set(fields)
        missing = {k for k, f in fields.items() if k not in obj and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING}
        if unknown or missing:
            self.fail(f"{what}: unknown fields {sorted(unknown)}, missing fields {sorted(missing)}")
        for key, value in obj.items():
            if not _fits(value, str(fields[key].type)):
                self.fail(f"{what}: {key} should be {fields[key].type}, got {json.dumps(value)[:60]}")
        return cls(**obj)

    def _check_passages(self, b: DocumentBundle) -> None:
        size = len(b.document.text)
        seqs = [p.seq for p in b.passages]
        if len(set(seqs)) != len(seqs):
            self.fail("two passages share a seq number")
        for p in b.passages:
            if not 0 <= p.start <= p.end <= size:
                self.fail(f"passage {p.seq} spans {p.start}-{p.end}, outside the document's {size} characters")
        known = set(seqs)
        for key in _FACTS:
            for i, x in enumerate(getattr(b, key)):
                if getattr(x, "passage", None) is not None and x.passage not in known:
                    self.fail(f"{key[:-1]} {i} points at passage {x.passage}, which the document lacks")

    def _vectors(self, value: Any, n: int):
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail("vectors must be base64 text or null")
        if self.dim is None:
            self.fail("a document has vectors but the header declares no vector model")
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.fail("vectors are not valid base64")
        if n == 0 or len(raw) != 4 * self.dim * n:
            found = len(raw) / (4 * n) if n else 0
            self.fail(f"vectors of dimension {found:g} for {n} passages; the header says {self.dim}")
        import numpy as np

        return np.frombuffer(raw, dtype="<f4").astype(np.float32).reshape(n, self.dim)

    def _bundle_entities(self, ids: list, b: DocumentBundle) -> list[EntityRecord]:
        for i in ids:
            if i not in self.entities:
                self.fail(f"document refers to entity {i!r}, which no entity record declares")
        listed = set(ids)
        for m in b.mentions:
            if m.entity_id not in listed:
                self.fail(f"a mention of {m.entity_id!r}, which the document's entity list lacks")
        return [self.entities[i] for i in ids]

    def _check_relations(self, b: DocumentBundle) -> None:
        counts = {"incident": len(b.incidents), "lesson": len(b.lessons)}
        for r in b.relations:
            for end in (r.src, r.dst, r.original_src, r.original_dst):
                m = _LOCAL.fullmatch(end or "")
                if m and int(m.group(2)) >= counts[m.group(1)]:
                    self.fail(f"relation {r.rel} refers to {end}, but the document has {counts[m.group(1)]}")


def _fits(value: Any, annotation: str) -> bool:
    """Whether a JSON value fits a field annotated ``str | None``, ``int``, ``list[str]``, ``dict[...]``..."""
    for t in (a.strip() for a in annotation.split("|")):
        if (t == "None" and value is None) or (t == "str" and isinstance(value, str)) \
                or (t == "int" and isinstance(value, int) and not isinstance(value, bool)) \
                or (t == "bool" and isinstance(value, bool)) or (t.startswith("dict[") and isinstance(value, dict)) \
                or (t == "list[str]" and isinstance(value, list) and all(isinstance(x, str) for x in value)):
            return True
    return False
