"""Passage vectors in the embedded store: float32 blobs keyed by passage id, and the model that
made them (``meta`` key ``vectors``), so a store never mixes two models' vectors unnoticed."""

from __future__ import annotations

import json
import sqlite3
from typing import Iterable

from kg.sqlite_conn import chunks


def set_meta(db: sqlite3.Connection, model: str, dim: int) -> None:
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('vectors', ?)",
               (json.dumps({"model": model, "dim": dim}),))


def meta(db: sqlite3.Connection) -> dict:
    row = db.execute("SELECT value FROM meta WHERE key='vectors'").fetchone()
    return json.loads(row[0]) if row else {}


def ids(db: sqlite3.Connection) -> list[int]:
    return [r[0] for r in db.execute("SELECT passage_id FROM vectors ORDER BY passage_id")]


def by_ids(db: sqlite3.Connection, passage_ids: list[int]):
    """An (n, dim) float32 array in the order asked; a passage without a vector is a zero row."""
    import numpy as np

    dim = int(meta(db).get("dim", 0))
    out = np.zeros((len(passage_ids), dim), dtype=np.float32)
    pos = {int(i): n for n, i in enumerate(passage_ids)}
    for chunk in chunks(list(pos), 500):
        marks = ",".join("?" * len(chunk))
        for pid, blob in db.execute(f"SELECT passage_id, vec FROM vectors WHERE passage_id IN ({marks})", chunk):
            out[pos[pid]] = np.frombuffer(blob, dtype=np.float32)
    return out


def stamp(db: sqlite3.Connection, db_path) -> str:
    """Changes with every write, so the FAISS cache can skip comparing id sets."""
    row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
    return f"{db_path}:{row[0] if row else 0}"


def by_hashes(db: sqlite3.Connection, hashes: Iterable[str]) -> dict:
    """A stored vector per passage text hash, so a passage seen before is not embedded again."""
    import numpy as np

    out: dict = {}
    for chunk in chunks(list(set(hashes)), 500):
        marks = ",".join("?" * len(chunk))
        for h, blob in db.execute(f"SELECT p.norm_hash, v.vec FROM passages p JOIN vectors v "
                                  f"ON v.passage_id=p.id WHERE p.norm_hash IN ({marks})", chunk):
            out.setdefault(h, np.frombuffer(blob, dtype=np.float32))
    return out
