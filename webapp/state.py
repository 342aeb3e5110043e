"""What one app holds open: its store and its embedder, each opened once on first use."""

from __future__ import annotations

import threading

from flask import current_app


class AppState:
    """Kept on ``app.extensions["missiongraph"]``; thread-safe lazy opening."""

    def __init__(self, store_url: str, embedder=None):
        self.store_url = store_url
        self._store = None
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def store(self):
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from kg import open_store

                    self._store = open_store(self.store_url)
        return self._store

    @property
    def embedder(self):
        if self._embedder is None:
            with self._lock:
                if self._embedder is None:
                    from search import Embedder

                    self._embedder = Embedder()
        return self._embedder

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def state() -> AppState:
    return current_app.extensions["missiongraph"]


def get_store():
    """The app's graph store (SQLite connections are per thread, so sharing it is safe)."""
    return state().store


def get_embedder():
    return state().embedder
