"""Write the scale corpus into a store through its normal write path (``replace_file``).

Documents go in as ``DocumentBundle``s, grouped ``docs_per_file`` to a file the way a JSONL
export of records would be, with their derived vectors, the mission as an entity, a CONCERNS
relation and a mention, so kind, year and mission filters work as on ingested data.  No
shortcut past the store: the FAISS cache later syncs from the stored vectors as in production.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from corpus.scale import ScaleDocument, SentencePool, iter_documents
from corpus.scale_vectors import derive
from ingest.bundle import norm_hash
from kg.model import DocumentBundle, DocumentRecord, EntityRecord, MentionRecord, PassageRecord, RelationRecord

MARKER = "scale.json"


def to_bundle(doc: ScaleDocument, pool: SentencePool, vectors: np.ndarray, source: str) -> DocumentBundle:
    """One document's records; ``vectors`` row i belongs to passage i."""
    texts = pool.document_texts(doc)
    text = "\n\n".join(texts)
    record = DocumentRecord(source=source, sha256=hashlib.sha1(text.encode()).hexdigest(), format="jsonl",
                            text=text, record=str(doc.number), title=doc.title, kind=doc.kind, date=doc.date,
                            meta={"missions": [doc.mission], "generated": "corpus.scale"})
    b = DocumentBundle(record, vectors=vectors)
    pos = 0
    for i, t in enumerate(texts):
        b.passages.append(PassageRecord(i, t, pos, pos + len(t), norm_hash(t), paragraph=str(i + 1)))
        pos += len(t) + 2
    mission_id = f"mission:{doc.mission.lower().replace(' ', '-')}"
    b.entities.append(EntityRecord(mission_id, "Mission", doc.mission))
    b.relations.append(RelationRecord("doc:@", "CONCERNS", mission_id))
    at = text.find(doc.mission)
    if at >= 0:
        seq = next(i for i, t in enumerate(texts) if doc.mission in t)
        b.mentions.append(MentionRecord(mission_id, at, at + len(doc.mission), doc.mission, seq))
    return b


def write_documents(store, pool: SentencePool, sentence_vecs: np.ndarray, docs: Iterable[ScaleDocument], *,
                    label: str, docs_per_file: int = 100, seed: int = 0,
                    progress: Callable[[int], None] | None = None) -> dict:
    """Write ``docs`` in files of ``docs_per_file``; returns counts and seconds."""
    started, files, passages, batch = time.perf_counter(), 0, 0, []

    def flush() -> None:
        nonlocal files, passages
        vecs = derive(pool, sentence_vecs, [p for d in batch for p in d.passages], seed=seed * 1_000_003 + files)
        bundles, row = [], 0
        path = f"scale://{label}/file-{batch[0].number:08d}.jsonl"
        for d in batch:
            bundles.append(to_bundle(d, pool, vecs[row:row + len(d.passages)], path))
            row += len(d.passages)
        store.replace_file(path, hashlib.sha1(path.encode()).hexdigest(), row, bundles)
        files += 1
        passages += row
        batch.clear()
        if progress:
            progress(passages)

    for doc in docs:
        batch.append(doc)
        if len(batch) >= docs_per_file:
            flush()
    if batch:
        flush()
    return {"files": files, "passages": passages, "seconds": round(time.perf_counter() - started, 2)}


def build_store(path: str | Path, pool: SentencePool, sentence_vecs: np.ndarray, n_passages: int, *, model: str,
                seed: int = 0, progress: Callable[[int], None] | None = None) -> dict:
    """Open (or first build) a store of ``n_passages`` generated passages at ``path``.

    A finished store carries ``scale.json``; a folder without it (an interrupted build) is
    refused rather than half-trusted.
    """
    from kg import open_store

    path = Path(path)
    marker = path / MARKER
    wanted = {"passages": n_passages, "seed": seed, "pool": len(pool), "per_group": pool.per_group, "model": model}
    if marker.is_file():
        done = json.loads(marker.read_text(encoding="utf-8"))
        if {k: done.get(k) for k in wanted} == wanted:
            return done
        raise FileExistsError(f"{path} holds another scale store ({done}); remove it first")
    if path.exists() and any(path.iterdir()):
        raise FileExistsError(f"{path} holds an unfinished build; remove it first")
    store = open_store(str(path))
    try:
        store.set_vector_meta(model, int(sentence_vecs.shape[1]))
        stats = write_documents(store, pool, sentence_vecs, iter_documents(pool, n_passages, seed=seed),
                                label=f"s{seed}", seed=seed, progress=progress)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    done = {**wanted, **stats}
    marker.write_text(json.dumps(done, indent=2) + "\n", encoding="utf-8")
    return done
