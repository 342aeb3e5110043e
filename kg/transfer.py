"""Moving a whole graph between stores (embedded <-> Bolt) as JSON Lines, without loss.

``export_graph`` writes what a store holds (format: ``kg.transfer_format``): every entity,
every file with the bundles ``replace_file`` received for it (text, passages with their
provenance, vectors bit for bit, mentions, facts, relations, and the ids entity merges
re-pointed), then every merge record with its reason, times and undone state.

``import_graph`` reads the whole input first and writes nothing unless every line is good
and the target can take it (same vector model, no conflicting merge); then it writes file by
file through ``replace_file``, so each file is atomic.  A file the target already holds with
the same content hash is skipped, and merge records already held are not added again, so
importing one export twice changes nothing the second time.  Into an empty store the import
is an exact copy, ids aside (the target numbers documents and passages itself; the search
cache follows on its next sync).  Into a store holding other files, those keep their mentions
as they are: imported merges are history, not re-applied.

The export reads one file at a time (each in one read transaction); export a store nobody is
ingesting into, or a file replaced meanwhile may come out in either version.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import IO, Iterator

from kg import transfer_format as fmt
from kg.store import GraphStore
from kg.sqlite_merges import plan_restore
from missiongraph.errors import InputError


def export_graph(store: GraphStore, fh: IO[str]) -> dict:
    """Write ``store`` to the text handle ``fh``; return counts."""
    from missiongraph import __version__

    started = time.perf_counter()
    files, entities = store.files(), store.entities()
    merges = sorted(store.entity_merges(), key=lambda m: m["id"])
    meta = store.vector_meta() or None
    out = {"files": len(files), "documents": 0, "passages": 0, "vectors": 0, "entities": len(entities),
           "merges": len(merges)}
    lines = 1
    fh.write(fmt.line({"type": "header", "format": fmt.FORMAT, "version": fmt.VERSION,
                       "vectors": {"model": meta.get("model"), "dim": int(meta.get("dim"))} if meta else None,
                       "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "missiongraph": __version__,
                       "counts": {k: out[k] for k in ("files", "entities", "merges")}}))
    for e in entities:
        fh.write(fmt.line({"type": "entity", "entity": {k: e[k] for k in ("id", "type", "name", "aliases")}}))
    lines += len(entities)
    for f in files:
        bundles = store.file_bundles(f["path"])
        fh.write(fmt.line({"type": "file", "file": {"path": f["path"], "sha256": f["sha256"], "size": f["size"],
                                                    "documents": len(bundles)}}))
        for b in bundles:
            fh.write(fmt.line(fmt.document_line(f["path"], b)))
            out["passages"] += len(b.passages)
            out["vectors"] += 0 if b.vectors is None else len(b.vectors)
        out["documents"] += len(bundles)
        lines += 1 + len(bundles)
    for m in merges:
        fh.write(fmt.line({"type": "merge", "merge": {k: m[k] for k in ("from", "into", "reason", "at", "undone_at")}}))
    lines += len(merges)
    states = store.lesson_states()
    for key in sorted(states):
        fh.write(fmt.line({"type": "lesson_state", "state": {k: states[key].get(k) for k in fmt.STATE_KEYS},
                           "events": [{k: e.get(k) for k in fmt.EVENT_KEYS} for e in store.lesson_events(key)]}))
    lines += len(states)
    out["lesson_states"] = len(states)
    fh.write(fmt.line({"type": "end", "records": lines}))
    return {**out, "seconds": round(time.perf_counter() - started, 3)}


def import_graph(store: GraphStore, fh: IO, name: str) -> dict:
    """Check all of ``fh`` (bytes or text lines; ``name`` names it in errors), then write it into
    ``store``; return counts.  Bad input raises ``InputError`` and writes nothing."""
    started = time.perf_counter()
    with _rewindable(fh) as src:
        start = src.tell()
        header, entities, merges, states = None, [], [], []
        for event in fmt.read(src, name):          # pass 1: every line checked, nothing kept but small things
            if event[0] == "header":
                header = event[1]
            elif event[0] == "entity":
                entities.append(event[1])
            elif event[0] == "merge":
                merges.append(event[1])
            elif event[0] == "lesson_state":
                states.append(event[1:])
        _check_target(store, header, merges, name)
        src.seek(start)
        out = {"files": 0, "unchanged": 0, "documents": 0, "passages": 0, "vectors": 0,
               "entities": len(entities), "merges": 0, "lesson_states": 0}
        if header["vectors"]:
            store.set_vector_meta(header["vectors"]["model"], header["vectors"]["dim"])
        store.upsert_entities(entities)
        # before the files, so their lessons find their state and no "extracted" event is added;
        # a key the store already tracks keeps the store's state
        held = store.lesson_states([st["key"] for st, _ in states]) if states else {}
        for st, events in states:
            if st["key"] not in held:
                store.write_lesson_state(st["key"], st, events)
                out["lesson_states"] += 1
        for event in fmt.read(src, name):          # pass 2: one atomic replace per file
            if event[0] != "file":
                continue
            f, bundles = event[1], event[2]
            if store.file_sha(f["path"]) == f["sha256"]:
                out["unchanged"] += 1
                continue
            store.replace_file(f["path"], f["sha256"], f["size"], bundles)
            out["files"] += 1
            out["documents"] += len(bundles)
            out["passages"] += sum(len(b.passages) for b in bundles)
            out["vectors"] += sum(0 if b.vectors is None else len(b.vectors) for b in bundles)
        out["merges"] = store.restore_merges(merges)
    return {**out, "seconds": round(time.perf_counter() - started, 3)}


def export_file(store: GraphStore, path: str) -> dict:
    """``export_graph`` into a file (written under a temporary name, then moved) or ``-`` (stdout)."""
    if path == "-":
        return export_graph(store, sys.stdout)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=folder)
    except OSError as e:
        raise InputError(f"{path}: cannot write there ({e.strerror or e})", input=path) from e
    try:
        with os.fdopen(fd, "w", encoding="ascii", newline="\n") as fh:
            out = export_graph(store, fh)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return out


def import_file(store: GraphStore, path: str) -> dict:
    """``import_graph`` from a file or ``-`` (stdin)."""
    if path == "-":
        return import_graph(store, sys.stdin.buffer, "<stdin>")
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})", input=path) from e
    with fh:
        return import_graph(store, fh, path)


def _check_target(store: GraphStore, header: dict, merges: list[dict], name: str) -> None:
    """What the target must allow before the first write: one vector model, no merge conflict."""
    vec = header["vectors"]
    meta = store.vector_meta() or {}
    if vec and meta and (meta.get("model"), int(meta.get("dim") or 0)) != (vec["model"], vec["dim"]) \
            and store.vector_ids():
        raise InputError(f"{name}: its vectors come from {vec['model']} ({vec['dim']} dimensions) but the store "
                         f"holds vectors of {meta.get('model')} ({meta.get('dim')}); import into an empty store",
                         input=name)
    try:
        plan_restore(store.entity_merges(), merges)
    except InputError as e:
        raise InputError(f"{name}: {e.message} (in the store it is imported into)", input=name) from e


@contextmanager
def _rewindable(fh: IO) -> Iterator[IO]:
    """The input as a seekable handle: itself when it can seek, else a temporary copy (standard
    input), so it can be read twice without holding it in memory."""
    try:
        seekable = fh.seekable()
    except (AttributeError, ValueError):
        seekable = False
    if seekable:
        yield fh
        return
    with tempfile.TemporaryFile() as tmp:
        if isinstance(fh, io.TextIOBase):
            for text in fh:
                tmp.write(text.encode("utf-8"))
        else:
            shutil.copyfileobj(fh, tmp)
        tmp.seek(0)
        yield tmp
