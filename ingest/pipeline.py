"""Bulk ingest: files in, graph and index out, one atomic replace per file.

A file whose content hash is unchanged is skipped; a changed one replaces everything it
produced before.  A bad file is reported and skipped, never aborting the run or touching
what earlier runs stored.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.bundle import build_bundle
from kg.store import GraphStore
from missiongraph.errors import ConfigError, InputError, LoadError, MissionGraphError


@dataclass
class IngestOptions:
    """Ingest-time overrides and record-field choices (CLI flags of the same names)."""

    kind: str | None = None
    missions: list[str] = field(default_factory=list)
    date: str | None = None
    id_field: str | None = None
    title_field: str | None = None
    text_fields: list[str] | None = None
    lesson_fields: dict[str, str] | None = None   # lesson slot (observation, ...) -> record field


LESSON_SLOTS = ("observation", "discussion", "conclusion", "lesson", "recommendation")


def parse_lesson_fields(value: str | None) -> dict[str, str] | None:
    """``observation=What happened,lesson=Takeaway`` (the --lesson-fields option) as a mapping."""
    if not value or not value.strip():
        return None
    out = {}
    for part in value.split(","):
        slot, sep, name = part.partition("=")
        slot, name = slot.strip().lower(), name.strip()
        if not sep or not name:
            raise InputError(f"--lesson-fields takes SLOT=FIELD pairs separated by commas, got {part.strip()!r}",
                             input=value)
        out[slot] = name
    return out


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
    from search.embeddings import follow_store

    embedder = follow_store(embedder, store)  # auto: the encoder that wrote the store's vectors, or int8
    _check_vector_model(store, embedder)
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
    source = _WorkerResults(todo, options, workers, extractor) if workers else None
    prepared = source if source is not None else (
        _prepare(path, sha, size, extractor or _default_extractor(), options) for path, sha, size in todo)
    group: list[tuple[tuple[Path, str, int], Prepared | dict]] = []
    passages = 0
    for item in zip(todo, prepared):
        group.append(item)
        if isinstance(item[1], Prepared):
            passages += sum(len(b.passages) for b in item[1].bundles)
        if _group_ready(passages, source):
            _commit_group(store, embedder, group, report, progress, lambda: _free_cores(source))
            group, passages = [], 0
    _commit_group(store, embedder, group, report, progress, lambda: _free_cores(source))
    if report.documents:
        from search import index_store

        index_store(store, embedder)  # the keyword index always; the FAISS cache where there are vectors
        if embedder is not None and store.lessons(limit=1):
            from search.planning_topics import suggest_store

            suggest_store(store, embedder)   # a planning topic for each new lesson, from its stored vectors
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
        text_fields = options.text_fields
        if text_fields is None and options.lesson_fields:   # the mapped fields are the record's text
            text_fields = list(dict.fromkeys(options.lesson_fields.values()))
        docs = load_file(path, id_field=options.id_field, title_field=options.title_field, text_fields=text_fields)
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


def _commit_group(store, embedder, group: list, report: IngestReport, progress,
                  threads: Callable[[], int | None]) -> None:
    """Embed the passages of several files in one call, then write the files one by one.

    One encode call over a few hundred passages runs close to the model's full speed; a call
    per file (often a handful of passages) ran 1.6x slower on the 2025 Council texts
    (bench/ingest_stages.py).  A failure while embedding the group falls back to one file at a
    time, so the error is reported against the file that caused it.
    """
    ready = [(job, r) for job, r in group if isinstance(r, Prepared)]
    embedded = False
    if embedder is not None and len(ready) > 1:
        try:
            _embed(store, embedder, [b for _, r in ready for b in r.bundles], threads=threads)
            embedded = True
        except Exception:  # noqa: BLE001 - retried file by file below, where it is reported
            pass
    for (path, sha, size), result in group:
        try:
            if isinstance(result, dict):   # a failure reported by _prepare
                report.errors.append(result)
            else:
                if embedder is not None and not embedded:
                    _embed(store, embedder, result.bundles, threads=threads)
                _commit(store, path, sha, size, result, report)
        except MissionGraphError as e:
            report.errors.append({"path": str(path), "error": e.message})
        except Exception as e:  # a bug or a library failure on one file must not stop the run
            report.errors.append({"path": str(path), "error": f"{type(e).__name__}: {e}"})
        if progress:
            progress(path)


def _commit(store, path: Path, sha: str, size: int, prep: Prepared, report: IngestReport) -> None:
    store.replace_file(str(path.resolve()), sha, size, prep.bundles)
    report.files += 1
    report.documents += len(prep.bundles)
    report.passages += sum(len(b.passages) for b in prep.bundles)
    report.entities += sum(len(b.mentions) for b in prep.bundles)
    report.words += prep.words


EMBED_GROUP = 256   # passages embedded together (see _commit_group)
EMBED_SLICE = 32    # passages per encode call inside a group: the thread count is revisited this often
PREFETCH_BYTES = 64 << 20   # input the workers may prepare ahead of the writer (see _WorkerResults)
EMBED_EARLY = 32    # ... or fewer, when the workers have nothing ready and the core would idle


def _group_ready(passages: int, source: _WorkerResults | None) -> bool:
    """Embed the group now (``passages`` in it so far): it is big enough to run at full speed, or
    the next file is still being extracted and waiting for it would leave this process idle."""
    if passages >= EMBED_GROUP:
        return True
    return source is not None and passages >= EMBED_EARLY and not source.next_ready


def _worker_prepare(job: tuple) -> Prepared | dict:
    path, sha, size, options = job
    return _prepare(path, sha, size, _default_extractor(), options)


def _one_thread_per_worker() -> None:
    """Pool initializer, run once per worker.  A worker is one core's worth of work: its BLAS and
    OpenMP pools (spaCy gains nothing from them) would otherwise spin beside the embedder's threads."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1)


class _WorkerResults:
    """Prepared files from worker processes, in input order; ``busy`` says whether the workers
    still have files to do.

    The workers run ahead of the writer by up to ``PREFETCH_BYTES`` of input (and at least two
    files each), so they finish extraction early and the embedder gets every core for the rest;
    a window of two files kept them waiting on the writer and the embedder on one thread.
    When the writer asks for the next file and the workers have not finished it (while they
    start up, about two seconds to load spaCy, or behind a long file), this process prepares the
    next file not yet handed out itself rather than wait idle.
    """

    def __init__(self, todo: list[tuple[Path, str, int]], options: IngestOptions, workers: int, extractor=None):
        self.todo, self.options, self.workers = todo, options, workers
        self.extractor = extractor
        self.pending: deque = deque()   # (future, input bytes), in input order
        self._jobs_by_future: dict = {}

    @property
    def busy(self) -> bool:
        return any(not f.done() for f, _ in self.pending)

    @property
    def next_ready(self) -> bool:
        return not self.pending or self.pending[0][0].done()

    def _room(self) -> bool:
        return (len(self.pending) < 2 * self.workers
                or sum(size for _, size in self.pending) < PREFETCH_BYTES)

    def __iter__(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: a worker must not inherit torch's threads or an open database connection
        with ProcessPoolExecutor(max_workers=self.workers, initializer=_one_thread_per_worker,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            jobs = iter(self.todo)

            def fill() -> None:
                while self._room():
                    job = next(jobs, None)
                    if job is None:
                        return
                    future = pool.submit(_worker_prepare, (*job, self.options))
                    self._jobs_by_future[future] = job
                    self.pending.append((future, job[2]))

            fill()
            while self.pending:
                if not self.pending[0][0].done():
                    self._steal(jobs)
                result = self.pending.popleft()[0].result()
                fill()
                yield result

    def _steal(self, jobs) -> None:
        """Prepare here, while the head file is not ready: the next file not yet handed out, or
        else the last one queued that no worker has started (its place in the order is kept)."""
        while not self.pending[0][0].done():
            job = next(jobs, None)
            if job is not None:
                self.pending.append((self._here(job), job[2]))
                continue
            for i in range(len(self.pending) - 1, 0, -1):
                future, size = self.pending[i]
                if future.cancel():
                    self.pending[i] = (self._here(self._jobs_by_future.pop(future)), size)
                    break
            else:
                return

    def _here(self, job):
        from concurrent.futures import Future

        done: Future = Future()
        done.set_result(_prepare(*job, self.extractor or _default_extractor(), self.options))
        return done


def default_workers(cores: int | None = None) -> int:
    """Extraction workers when the user names none: about a third of the cores (extraction costs
    about half of what embedding does per word), none on a single core.  On 2 cores one worker
    took the pipeline from 0.61 to 0.73 of its slowest stage's ceiling (bench/ingest_stages.py)."""
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return 0 if cores < 2 else max(1, cores // 3)


def resolve_workers(workers: int | None = None) -> int:
    """``workers`` as given, else the ``workers`` setting (``MISSIONGRAPH_WORKERS``): a number or
    ``auto`` (``default_workers``)."""
    if workers is not None:
        return workers
    from missiongraph import settings

    value = settings.get("workers").strip().lower()
    if value == "auto":
        return default_workers()
    if value.isdigit():
        return int(value)
    raise ConfigError(f"workers must be a whole number or auto, got {value!r} (MISSIONGRAPH_WORKERS)", input=value)


def _free_cores(source: _WorkerResults | None) -> int | None:
    """Torch threads for the next encode: the cores the busy workers leave, else all (None).

    On 2 cores, a worker extracting beside two torch threads makes all three wait at torch's
    barriers (the pipeline ran slower with a worker than without); one thread while the worker
    runs and both once it is done keeps every core doing useful work.
    """
    if source is None or not source.busy:
        return None
    return max(1, (os.cpu_count() or 1) - source.workers)


def _embed(store, embedder, bundles, threads: Callable[[], int | None] | None = None) -> None:
    """Vectors for every passage; a passage already stored (same words, e.g. the PDF twin of
    a text export) reuses its vector instead of running the model again.

    ``threads()`` is asked again before each slice of ``EMBED_SLICE`` passages, so the embedder
    takes every core as soon as the extraction workers finish, not at the next group.
    """
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
        todo.sort(key=lambda h: len(text_of[h]), reverse=True)  # slices of like length pad little
        for i in range(0, len(todo), EMBED_SLICE):
            part = todo[i:i + EMBED_SLICE]
            known.update(zip(part, embedder.encode([text_of[h] for h in part],
                                                   threads=threads() if threads else None)))
    store.set_vector_meta(embedder.name, embedder.dim)
    for b in bundles:
        b.vectors = np.stack([known[p.norm_hash] for p in b.passages]) if b.passages else None


def _check_vector_model(store, embedder) -> None:
    """Refuse, before any file is read, to add one model's vectors to a store holding another's
    (another model, or the int8 encoder beside torch): the store would label them all with the
    new name, and unchanged files are never embedded again, so the mix would stay."""
    if embedder is None:
        return
    model = (store.vector_meta() or {}).get("model")
    if model and model != embedder.name and store.vector_ids():
        raise ConfigError(f"the store's vectors were made with {model!r} but the embedding model is "
                          f"{embedder.name!r}; use the same model and encoder, or ingest into a new store",
                          input=embedder.name)


def _hints(doc, options: IngestOptions) -> dict:
    return {"kind": options.kind, "mission": options.missions[0] if options.missions else None,
            "date": options.date, "title": doc.title, "format": doc.format, "source": doc.source,
            "fields": _clean_field_spans(doc), "meta": doc.meta, "record": doc.record,
            "lesson_fields": options.lesson_fields}


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
    for slot in options.lesson_fields or {}:
        if slot not in LESSON_SLOTS:
            raise InputError(f"--lesson-fields: unknown lesson field {slot!r}; use {', '.join(LESSON_SLOTS)}",
                             input=slot)
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
