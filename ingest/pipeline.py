"""Bulk ingest: files in, graph and index out, one atomic replace per file.

A file whose content hash is unchanged is skipped; a changed one replaces everything it
produced before.  A bad file is reported and skipped, never aborting the run or touching
what earlier runs stored.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.bundle import build_bundle
from kg.store import GraphStore
from missiongraph.errors import InputError, LoadError, MissionGraphError


@dataclass
class IngestOptions:
    """Ingest-time overrides and record-field choices (CLI flags of the same names)."""

    kind: str | None = None
    missions: list[str] = field(default_factory=list)
    date: str | None = None
    id_field: str | None = None
    title_field: str | None = None
    text_fields: list[str] | None = None


@dataclass
class IngestReport:
    documents: int = 0          # documents added or replaced
    unchanged: int = 0          # files skipped, content hash unchanged
    passages: int = 0
    entities: int = 0           # entity mentions written
    errors: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    files: int = 0
    words: int = 0

    def as_json(self) -> dict:
        return {"documents": self.documents, "unchanged": self.unchanged, "passages": self.passages,
                "entities": self.entities, "errors": self.errors, "seconds": round(self.seconds, 3),
                "files": self.files, "words": self.words}


def file_sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def list_inputs(paths: Iterable[str | Path]) -> list[tuple[Path, LoadError | None]]:
    """Every supported file under the given paths, with an error for what cannot be read."""
    from ingest.loaders import iter_files

    out = []
    for p in paths:
        if not Path(p).exists():
            out.append((Path(p), LoadError(f"{p}: no such file or directory", input=str(p))))
            continue
        out.extend(iter_files([p]))
    return out


def ingest_paths(store: GraphStore, paths: Iterable[str | Path], *, extractor=None, embedder=None,
                 options: IngestOptions | None = None,
                 progress: Callable[[Path], None] | None = None, workers: int = 0) -> IngestReport:
    """Ingest files and folders into ``store``; return what this run did.

    ``workers`` > 0 reads and extracts files in that many separate processes while this one
    embeds and writes, so the two stages overlap; files are still written one at a time, in
    input order.
    """
    options = options or IngestOptions()
    _validate(options)
    if workers < 0:
        raise InputError(f"--workers must be 0 or more, got {workers}", input=str(workers))
    started = time.perf_counter()
    report = IngestReport()
    todo: list[tuple[Path, str, int]] = []
    for path, error in list_inputs(paths):
        if error is not None:
            report.errors.append({"path": str(path), "error": error.message})
        else:
            try:
                sha, size = file_sha256(path)
            except OSError as e:
                report.errors.append({"path": str(path), "error": f"{path}: cannot read ({e.strerror or e})"})
            else:
                if store.file_sha(str(path.resolve())) != sha:
                    todo.append((path, sha, size))
                    continue
                report.unchanged += 1
        if progress:
            progress(path)
    prepared = _prepare_in_workers(todo, options, workers) if workers else (
        _prepare(path, sha, size, extractor or _default_extractor(), options) for path, sha, size in todo)
    for (path, sha, size), result in zip(todo, prepared):
        try:
            if isinstance(result, dict):   # a failure reported by _prepare
                report.errors.append(result)
            else:
                _commit(store, embedder, path, sha, size, result, report)
        except MissionGraphError as e:
            report.errors.append({"path": str(path), "error": e.message})
        except Exception as e:  # a bug or a library failure on one file must not stop the run
            report.errors.append({"path": str(path), "error": f"{type(e).__name__}: {e}"})
        if progress:
            progress(path)
    if report.documents and embedder is not None:
        from search import index_store

        index_store(store, embedder)
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Prepared:
    """One file read, extracted and turned into bundles, ready to embed and write."""

    bundles: list
    words: int


def _prepare(path: Path, sha: str, size: int, extractor, options: IngestOptions) -> Prepared | dict:
    """The CPU-heavy half of a file's ingest (load, extract, chunk); a failure comes back as
    ``{"path", "error"}`` so it can cross a process boundary."""
    from ingest.chunking import chunk_document
    from ingest.loaders import load_file

    try:
        docs = load_file(path, id_field=options.id_field, title_field=options.title_field,
                         text_fields=options.text_fields)
        hints = [_hints(d, options) for d in docs]
        facts = extractor.extract_many([(d.clean, h) for d, h in zip(docs, hints)])
        bundles = []
        for doc, fact in zip(docs, facts):
            chunks = chunk_document(doc, kind=options.kind or fact.kind)
            bundles.append(build_bundle(doc, chunks, fact, sha256=sha, entity_lookup=_mission_lookup,
                                        overrides={"kind": options.kind, "missions": options.missions,
                                                   "date": options.date}))
        return Prepared(bundles, sum(len(d.clean.split()) for d in docs))
    except MissionGraphError as e:
        return {"path": str(path), "error": e.message}
    except Exception as e:  # noqa: BLE001 - reported per file, the run goes on
        return {"path": str(path), "error": f"{type(e).__name__}: {e}"}


def _commit(store, embedder, path: Path, sha: str, size: int, prep: Prepared, report: IngestReport) -> None:
    if embedder is not None:
        _embed(store, embedder, prep.bundles)
    store.replace_file(str(path.resolve()), sha, size, prep.bundles)
    report.files += 1
    report.documents += len(prep.bundles)
    report.passages += sum(len(b.passages) for b in prep.bundles)
    report.entities += sum(len(b.mentions) for b in prep.bundles)
    report.words += prep.words


def _worker_prepare(job: tuple) -> Prepared | dict:
    path, sha, size, options = job
    return _prepare(path, sha, size, _default_extractor(), options)


def _prepare_in_workers(todo: list[tuple[Path, str, int]], options: IngestOptions, workers: int):
    """Results in input order, at most ``2 * workers`` files ahead of the writer (bounded memory)."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a worker must not inherit torch's threads or an open database connection
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = iter(todo)
        pending: deque = deque(pool.submit(_worker_prepare, (*job, options))
                               for job in (next(jobs, None) for _ in range(2 * workers)) if job is not None)
        while pending:
            result = pending.popleft().result()
            job = next(jobs, None)
            if job is not None:
                pending.append(pool.submit(_worker_prepare, (*job, options)))
            yield result


def _embed(store, embedder, bundles) -> None:
    """Vectors for every passage; a passage already stored (same words, e.g. the PDF twin of
    a text export) reuses its vector instead of running the model again."""
    import numpy as np

    passages = [p for b in bundles for p in b.passages]
    if not passages:
        return
    meta = store.vector_meta()
    same_model = meta.get("model") == embedder.name and int(meta.get("dim", 0)) == embedder.dim
    known = store.vectors_for_hashes(p.norm_hash for p in passages) if same_model else {}
    todo = list(dict.fromkeys(p.norm_hash for p in passages if p.norm_hash not in known))
    if todo:
        text_of = {p.norm_hash: p.text for p in passages}
        known.update(zip(todo, embedder.encode([text_of[h] for h in todo])))
    store.set_vector_meta(embedder.name, embedder.dim)
    for b in bundles:
        b.vectors = np.stack([known[p.norm_hash] for p in b.passages]) if b.passages else None


def _hints(doc, options: IngestOptions) -> dict:
    return {"kind": options.kind, "mission": options.missions[0] if options.missions else None,
            "date": options.date, "title": doc.title, "format": doc.format, "source": doc.source,
            "fields": _clean_field_spans(doc), "meta": doc.meta, "record": doc.record}


def _clean_field_spans(doc) -> dict:
    """Record field spans are given in stored coordinates; records have no cleaning, so equal."""
    return dict(doc.field_spans)


def _validate(options: IngestOptions) -> None:
    from nlp.facts import DOCUMENT_KINDS

    if options.kind is not None and options.kind not in DOCUMENT_KINDS:
        raise InputError(f"unknown document kind {options.kind!r}; use one of {', '.join(DOCUMENT_KINDS)}",
                         input=options.kind)
    if options.date is not None:
        from datetime import date

        try:
            date.fromisoformat(options.date)
        except ValueError as e:
            raise InputError(f"--date must be YYYY-MM-DD, got {options.date!r}", input=options.date) from e
    for m in options.missions:
        if _mission_lookup(m) is None:
            raise InputError(f"unknown mission {m!r}; give an acronym such as UNMISS or MONUSCO", input=m)


def _mission_lookup(acronym: str):
    from nlp import gazetteer

    return gazetteer.mission(acronym)


_EXTRACTOR = None


def _default_extractor():
    """One extractor per process: loading spaCy costs about a second."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from nlp import Extractor

        _EXTRACTOR = Extractor()
    return _EXTRACTOR
