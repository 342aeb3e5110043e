"""A FAISS index of passage vectors, cached beside the store and rebuildable from it.

The store's vectors are the source of truth; this index is a cache of them keyed by passage
id, scored by inner product (vectors are unit length, so the score is the cosine similarity).
Its layout follows its size (``search/ann.py``): exact below ``IndexPolicy.ivf_min`` vectors,
IVF above, and the layout with its parameters is saved in ``index.json`` so it reloads as it
was.  ``sync`` brings the cache in line with the store: ids the store no longer holds are
removed, new ones fetched and added (both in place, in either layout), and the whole index is
rebuilt when the store's model or dimension differs from the cache's or a spot check finds a
stored vector changed.
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
from search import ann
from search.ann import FLAT, IVF, IndexPolicy

INDEX_FILE = "index.faiss"
CONFIG_FILE = "index.json"
LOCK_FILE = "index.lock"
VERSION = 1
METRIC = "inner_product"
ADD_CHUNK = 4096
SPOT_CHECKS = 8


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
    """Inner-product search over passage vectors, keyed by passage id (exact or IVF by size)."""

    def __init__(self, directory: str | Path, model: str | None, dim: int, index=None,
                 policy: IndexPolicy | None = None, trained_on: int | None = None):
        if int(dim) < 1:
            raise ConfigError(f"vector dimension must be positive, got {dim}", input=str(dim))
        self.directory = Path(directory)
        self.model = model
        self.dim = int(dim)
        self.policy = policy or IndexPolicy()
        self.index = index if index is not None else ann.new_flat(self.dim)
        self.kind = ann.kind_of(self.index)
        self.trained_on = int(trained_on or self.index.ntotal) if self.kind == IVF else 0
        self._ids: set[int] = set(ann.stored_ids(self.index).tolist()) if self.index.ntotal else set()
        self._lock = threading.RLock()
        self._stamp = None  # the store's vector_stamp() at the last full sync, where it has one
        self.dirty = index is None  # a fresh index has never been saved

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def __repr__(self) -> str:
        return (f"VectorIndex(model={self.model!r}, dim={self.dim}, count={len(self)}, kind={self.kind!r}, "
                f"dir={str(self.directory)!r})")

    @property
    def ids(self) -> set[int]:
        with self._lock:
            return set(self._ids)

    # -- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, directory: str | Path, policy: IndexPolicy | None = None) -> "VectorIndex | None":
        """The index saved in ``directory`` as its own config describes it, or None if absent or unusable."""
        directory = Path(directory)
        config_path, index_path = directory / CONFIG_FILE, directory / INDEX_FILE
        if not config_path.is_file() or not index_path.is_file():
            return None
        faiss = ann.faiss_module()
        try:
            with _file_lock(directory, exclusive=False):
                config = json.loads(config_path.read_text(encoding="utf-8"))
                if config.get("version") != VERSION or config.get("metric") != METRIC:
                    return None
                index = faiss.read_index(str(index_path))
            dim = int(config["dim"])
            kind = ann.kind_of(index)
            if kind is None or kind != config.get("type", FLAT) or index.d != dim:
                return None
            ann.prepare_loaded(index, config.get("nprobe"))
        except Exception:  # a damaged or foreign cache is rebuilt, never trusted
            return None
        return cls(directory, config.get("model"), dim, index, policy, config.get("trained_on"))

    @classmethod
    def load_or_create(cls, store, embedder_name: str | None = None, dim: int | None = None,
                       policy: IndexPolicy | None = None) -> "VectorIndex":
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
        idx = cls.load(directory, policy)
        if idx is None or idx.model != model or idx.dim != dim:
            idx = cls(directory, model, dim, policy=policy)
        idx.sync(store)
        return idx

    # -- keeping in line with the store --------------------------------------------
    def _reset(self, model: str | None, dim: int) -> None:
        self.model, self.dim = model, int(dim)
        self.index, self.kind, self.trained_on = ann.new_flat(self.dim), FLAT, 0
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
                ann.remove(self.index, np.fromiter(gone, dtype=np.int64, count=len(gone)))
                self._ids -= gone
                changes += len(gone)
                self.dirty = True
            if self._ids and not self._spot_check(store):
                changes += len(self._ids)
                self._reset(self.model, self.dim)
            new = [i for i in store_ids if i not in self._ids]
            target = self.policy.target(len(self._ids) + len(new), self.kind, self.trained_on)
            if new and target is None:
                for start in range(0, len(new), ADD_CHUNK):
                    chunk = new[start:start + ADD_CHUNK]
                    self.index.add_with_ids(self._fetch(store, chunk), np.asarray(chunk, dtype=np.int64))
            elif target is not None:  # a new layout: build it from what the index holds plus the new vectors
                self._relayout(target, new, self._fetch(store, new) if new else None)
            self._ids.update(new)
            changes += len(new)
            self.dirty = self.dirty or bool(new) or target is not None
            self._stamp = stamp  # taken before the ids were read: a change since then re-syncs next time
            return changes

    def _fetch(self, store, ids: list[int]) -> np.ndarray:
        out = np.empty((len(ids), self.dim), dtype=np.float32)
        for start in range(0, len(ids), ADD_CHUNK):
            chunk = ids[start:start + ADD_CHUNK]
            vecs = np.asarray(store.get_vectors(chunk), dtype=np.float32)
            if vecs.ndim != 2 or vecs.shape != (len(chunk), self.dim):
                raise ConfigError(f"stored vectors have shape {vecs.shape}, the index expects "
                                  f"({len(chunk)}, {self.dim}); re-ingest the store", input=str(self.directory))
            out[start:start + len(chunk)] = vecs
        return out

    def _relayout(self, kind: str, new_ids: list[int], new_vecs: np.ndarray | None) -> None:
        """Rebuild in ``kind`` (flat, or IVF trained afresh) from the held vectors plus new ones."""
        ids, vecs = ann.all_vectors(self.index)
        if new_vecs is not None:
            ids = np.concatenate([ids, np.asarray(new_ids, dtype=np.int64)])
            vecs = np.concatenate([vecs, new_vecs]) if len(vecs) else new_vecs
        if kind == IVF:
            self.index, self.trained_on = ann.build_ivf(ids, vecs, self.policy), len(ids)
        else:
            self.index, self.trained_on = ann.new_flat(self.dim), 0
            if len(ids):
                self.index.add_with_ids(vecs, ids)
        self.kind = kind

    def _spot_check(self, store) -> bool:
        """Do a few cached vectors still equal the stored ones (a recreated store reuses ids)?"""
        ids = sorted(self._ids)
        picks = sorted({ids[round(j * (len(ids) - 1) / max(1, SPOT_CHECKS - 1))] for j in range(SPOT_CHECKS)})
        stored = np.asarray(store.get_vectors(picks), dtype=np.float32)
        if stored.shape != (len(picks), self.dim):
            return False
        cached = self.index.reconstruct_batch(np.asarray(picks, dtype=np.int64))
        return bool(np.allclose(cached, stored, atol=1e-5))

    # -- saving --------------------------------------------------------------------
    def config(self) -> dict:
        """What ``load`` needs to reopen the index as it is: model, layout and its parameters."""
        out = {"model": self.model, "dim": self.dim, "count": len(self), "version": VERSION, "metric": METRIC,
               "type": self.kind}
        if self.kind == IVF:
            out.update(nlist=int(self.index.nlist), nprobe=int(self.index.nprobe), trained_on=self.trained_on)
        return out

    def save(self) -> None:
        """Write ``index.faiss`` and ``index.json`` atomically (temporary file, then ``os.replace``)."""
        faiss = ann.faiss_module()
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            config = (json.dumps(self.config(), indent=2) + "\n").encode("utf-8")
            suffix = f".{os.getpid()}.{threading.get_ident()}.tmp"
            with _file_lock(self.directory, exclusive=True):
                for name in (INDEX_FILE, CONFIG_FILE):
                    tmp = self.directory / (name + suffix)
                    try:
                        if name == INDEX_FILE:  # straight to disk: no second in-memory copy of a large index
                            faiss.write_index(self.index, str(tmp))
                        else:
                            tmp.write_bytes(config)
                        with open(tmp, "rb+") as fh:
                            os.fsync(fh.fileno())
                        os.replace(tmp, self.directory / name)
                    finally:
                        if tmp.exists():
                            tmp.unlink()
            self.dirty = False

    # -- searching -----------------------------------------------------------------
    def search(self, vec, k: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """The ``k`` nearest passages as ``(id, cosine)``, best first, only ids in ``allowed`` if given."""
        query = np.ascontiguousarray(np.asarray(vec, dtype=np.float32).reshape(1, -1))
        if query.shape[1] != self.dim:
            raise ConfigError(f"query vector has dimension {query.shape[1]}, the index {self.dim}",
                              input=str(self.directory))
        with self._lock, ann.one_omp_thread():
            n = len(self)
            if k < 1 or n == 0:
                return []
            if allowed is None:
                params, _sel = ann.search_params(self.index, None, n)
                D, I = self.index.search(query, min(int(k), n), params=params)
            else:
                ids = np.fromiter((int(i) for i in allowed if int(i) in self._ids), dtype=np.int64)
                if not len(ids):
                    return []
                params, _sel = ann.search_params(self.index, ids, n)  # _sel must outlive the search
                D, I = self.index.search(query, min(int(k), len(ids)), params=params)
        return [(int(i), float(d)) for d, i in zip(D[0], I[0]) if i != -1]
