"""A FAISS index of passage vectors, cached beside the store and rebuildable from it.

The store's vectors are the source of truth; this index is a cache of them keyed by passage
id (``IndexIDMap2`` over exact inner product: vectors are unit length, so the score is the
cosine similarity).  ``sync`` brings the cache in line with the store: ids the store no longer
holds are removed, new ones fetched and added, and the whole index is rebuilt when the store's
model or dimension differs from the cache's or a spot check finds a stored vector changed.
Another process (a CLI ingest beside the web app) may change the store at any time, so every
open syncs; files are written to a temporary name and moved into place under a file lock, so a
reader never sees a half-written index.
"""

from __future__ import annotations

import json
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from missiongraph.errors import ConfigError

INDEX_FILE = "index.faiss"
CONFIG_FILE = "index.json"
LOCK_FILE = "index.lock"
VERSION = 1
METRIC = "inner_product"
ADD_CHUNK = 4096
SPOT_CHECKS = 8


def _faiss():
    import faiss

    return faiss


@contextmanager
def _file_lock(directory: Path, exclusive: bool):
    """An advisory lock between processes (a no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        fh = open(directory / LOCK_FILE, "a+")
    except OSError:  # read-only store folder: readers go on without the lock
        yield
        return
    try:
        fcntl.flock(fh, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        try:
            fcntl.flock(fh, fcntl.LOCK_UN)
        finally:
            fh.close()


class VectorIndex:
    """Exact inner-product search over passage vectors, keyed by passage id."""

    def __init__(self, directory: str | Path, model: str | None, dim: int, index=None):
        if int(dim) < 1:
            raise ConfigError(f"vector dimension must be positive, got {dim}", input=str(dim))
        faiss = _faiss()
        self.directory = Path(directory)
        self.model = model
        self.dim = int(dim)
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._ids: set[int] = {int(i) for i in faiss.vector_to_array(self.index.id_map)} if self.index.ntotal else set()
        self._lock = threading.RLock()
        self._stamp = None  # the store's vector_stamp() at the last full sync, where it has one
        self.dirty = index is None  # a fresh index has never been saved

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def __repr__(self) -> str:
        return f"VectorIndex(model={self.model!r}, dim={self.dim}, count={len(self)}, dir={str(self.directory)!r})"

    @property
    def ids(self) -> set[int]:
        with self._lock:
            return set(self._ids)

    # -- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, directory: str | Path) -> "VectorIndex | None":
        """The index saved in ``directory`` as its own config describes it, or None if absent or unusable."""
        directory = Path(directory)
        config_path, index_path = directory / CONFIG_FILE, directory / INDEX_FILE
        if not config_path.is_file() or not index_path.is_file():
            return None
        faiss = _faiss()
        try:
            with _file_lock(directory, exclusive=False):
                config = json.loads(config_path.read_text(encoding="utf-8"))
                data = np.fromfile(index_path, dtype=np.uint8)
            if config.get("version") != VERSION or config.get("metric") != METRIC:
                return None
            index = faiss.deserialize_index(data)
            dim = int(config["dim"])
            if not isinstance(index, faiss.IndexIDMap2) or index.d != dim:
                return None
        except Exception:  # a damaged or foreign cache is rebuilt, never trusted
            return None
        return cls(directory, config.get("model"), dim, index)

    @classmethod
    def load_or_create(cls, store, embedder_name: str | None = None, dim: int | None = None) -> "VectorIndex":
        """Open the store's cached index (or start one) and sync it with the store.

        Model and dimension come from the store's vector metadata when it has any (the stored
        vectors are what the index holds), else from the arguments.
        """
        meta = store.vector_meta() or {}
        model = meta.get("model") or embedder_name
        dim = int(meta.get("dim") or dim or 0)
        if dim < 1:
            raise ConfigError("the store holds no vectors and no dimension was given", input=str(store.index_dir))
        directory = store.index_dir
        idx = cls.load(directory)
        if idx is None or idx.model != model or idx.dim != dim:
            idx = cls(directory, model, dim)
        idx.sync(store)
        return idx

    # -- keeping in line with the store --------------------------------------------
    def _reset(self, model: str | None, dim: int) -> None:
        faiss = _faiss()
        self.model, self.dim = model, int(dim)
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        self._ids = set()
        self._stamp = None
        self.dirty = True

    def sync(self, store) -> int:
        """Make the index hold exactly the store's vectors; return how many ids were added or removed.

        A store may offer ``vector_stamp()``: a cheap value that changes whenever its vectors
        change (e.g. count and largest passage id, ids never being reused).  While it is
        unchanged since the last full sync, the id lists are not compared at all.
        """
        with self._lock:
            meta = store.vector_meta() or {}
            if meta and (meta.get("model") != self.model or int(meta.get("dim") or 0) != self.dim):
                self._reset(meta.get("model"), int(meta.get("dim") or self.dim))
            stamp_of = getattr(store, "vector_stamp", None)
            stamp = stamp_of() if callable(stamp_of) else None
            if stamp is not None and stamp == self._stamp:
                return 0
            self._stamp = None
            store_ids = [int(i) for i in store.vector_ids()]
            wanted = set(store_ids)
            gone = self._ids - wanted
            changes = 0
            if gone:
                self.index.remove_ids(np.fromiter(gone, dtype=np.int64, count=len(gone)))
                self._ids -= gone
                changes += len(gone)
                self.dirty = True
            if self._ids and not self._spot_check(store):
                changes += len(self._ids)
                self._reset(self.model, self.dim)
            new = [i for i in store_ids if i not in self._ids]
            for start in range(0, len(new), ADD_CHUNK):
                chunk = new[start:start + ADD_CHUNK]
                vecs = np.ascontiguousarray(store.get_vectors(chunk), dtype=np.float32)
                if vecs.ndim != 2 or vecs.shape != (len(chunk), self.dim):
                    raise ConfigError(f"stored vectors have shape {vecs.shape}, the index expects "
                                      f"({len(chunk)}, {self.dim}); re-ingest the store", input=str(self.directory))
                self.index.add_with_ids(vecs, np.asarray(chunk, dtype=np.int64))
                self._ids.update(chunk)
                changes += len(chunk)
                self.dirty = True
            self._stamp = stamp  # taken before the ids were read: a change since then re-syncs next time
            return changes

    def _spot_check(self, store) -> bool:
        """Do a few cached vectors still equal the stored ones (a recreated store reuses ids)?"""
        ids = sorted(self._ids)
        picks = sorted({ids[round(j * (len(ids) - 1) / max(1, SPOT_CHECKS - 1))] for j in range(SPOT_CHECKS)})
        stored = np.asarray(store.get_vectors(picks), dtype=np.float32)
        if stored.shape != (len(picks), self.dim):
            return False
        cached = np.vstack([self.index.reconstruct(int(i)) for i in picks])
        return bool(np.allclose(cached, stored, atol=1e-5))

    # -- saving --------------------------------------------------------------------
    def config(self) -> dict:
        return {"model": self.model, "dim": self.dim, "count": len(self), "version": VERSION, "metric": METRIC}

    def save(self) -> None:
        """Write ``index.faiss`` and ``index.json`` atomically (temporary file, then ``os.replace``)."""
        faiss = _faiss()
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            data = faiss.serialize_index(self.index)
            config = json.dumps(self.config(), indent=2) + "\n"
            suffix = f".{os.getpid()}.{threading.get_ident()}.tmp"
            with _file_lock(self.directory, exclusive=True):
                for name, payload in ((INDEX_FILE, data.tobytes()), (CONFIG_FILE, config.encode("utf-8"))):
                    tmp = self.directory / (name + suffix)
                    try:
                        with open(tmp, "wb") as fh:
                            fh.write(payload)
                            fh.flush()
                            os.fsync(fh.fileno())
                        os.replace(tmp, self.directory / name)
                    finally:
                        if tmp.exists():
                            tmp.unlink()
            self.dirty = False

    # -- searching -----------------------------------------------------------------
    def search(self, vec, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest passages as ``(id, cosine)``, best first, only ids in ``allowed`` if given."""
        faiss = _faiss()
        query = np.ascontiguousarray(np.asarray(vec, dtype=np.float32).reshape(1, -1))
        if query.shape[1] != self.dim:
            raise ConfigError(f"query vector has dimension {query.shape[1]}, the index {self.dim}",
                              input=str(self.directory))
        with self._lock:
            n = len(self)
            if k < 1 or n == 0:
                return []
            if allowed is None:
                D, I = self.index.search(query, min(int(k), n))
            else:
                ids = [int(i) for i in allowed if int(i) in self._ids]
                if not ids:
                    return []
                sel = faiss.IDSelectorBatch(np.asarray(ids, dtype=np.int64))
                D, I = self.index.search(query, min(int(k), len(ids)), params=faiss.SearchParameters(sel=sel))
        return [(int(i), float(d)) for d, i in zip(D[0], I[0]) if i != -1]
