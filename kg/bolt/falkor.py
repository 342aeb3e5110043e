"""Living with FalkorDB's Bolt endpoint (4.16), the server the tests start.

It crashes on a request over 4 KiB and pastes parameters into the query text unescaped.
``GuardedTx`` wraps its transactions: it measures every statement, refuses what is still too
big, and carries quotes and backslashes as private-use characters.  ``batches`` and
``budget_of`` let writers size their ``UNWIND`` batches to the server they talk to.
"""

from __future__ import annotations

from typing import Any

from missiongraph.errors import StoreError

# FalkorDB 4.16's Bolt endpoint crashes (SIGABRT/SIGSEGV) on a request message over 4 KiB.
FALKOR_MESSAGE_LIMIT = 3800


def packed_size(value: Any) -> int:
    """An upper bound on the size of ``value`` as FalkorDB re-writes it: parameters become
    Cypher text there (a float takes up to ~14 characters), and that text overflows at 4 KiB."""
    if value is None or isinstance(value, bool):
        return 6
    if isinstance(value, int):
        return len(str(value)) + 2
    if isinstance(value, float):
        return 16
    if isinstance(value, str):
        return len(value.encode("utf-8")) + value.count('"') + value.count("'") + value.count("\\") + 6
    if isinstance(value, dict):
        return 4 + sum(packed_size(k) + packed_size(v) + 2 for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 4 + sum(packed_size(v) + 2 for v in value)
    return 16


def budget_of(tx) -> int:
    """Bytes one statement may carry: small on FalkorDB (see ``GuardedTx``), large elsewhere."""
    return getattr(tx, "batch_bytes", 2_000_000)


def batches(rows: list[dict], budget: int, most: int = 500):
    """Consecutive slices of ``rows`` whose packed size stays under ``budget`` bytes (a row
    bigger than the budget goes alone; the server guard then refuses it)."""
    batch: list[dict] = []
    size = 0
    for r in rows:
        n = packed_size(r)
        if batch and (size + n > budget or len(batch) >= most):
            yield batch
            batch, size = [], 0
        batch.append(r)
        size += n
    if batch:
        yield batch


# FalkorDB 4.16 pastes Bolt parameters into the query text without escaping: a ' in a value
# breaks the query (or worse) and a backslash sequence is read as an escape.  Such characters
# travel as private-use code points and are turned back on the way out.
_OUT = str.maketrans({"'": "\ue000", "\\": "\ue001"})
_IN = str.maketrans({"\ue000": "'", "\ue001": "\\"})


def _encode(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_OUT)
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate(_IN)
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class _Row:
    def __init__(self, data: dict):
        self._data = data

    def data(self) -> dict:
        return self._data


class GuardedTx:
    """A FalkorDB transaction: refuses statements too large for the server instead of sending
    them (an oversized message kills the server for every client) and carries quotes and
    backslashes in values safely (see ``_encode``)."""

    server_kind = "falkordb"

    def __init__(self, tx, limit: int, display: str):
        self._tx, self._limit, self._display = tx, limit, display
        self.batch_bytes = limit - 800   # what ``UNWIND $rows`` batches may carry

    def run(self, cypher: str, params: dict | None = None):
        params = _encode(params or {})
        size = len(cypher) + packed_size(params) + 64
        if size > self._limit:
            raise StoreError(f"a statement of about {size} bytes is too large for the FalkorDB Bolt endpoint at "
                             f"{self._display} (it fails on requests over 4 KiB); use Neo4j for this data")
        return [_Row(_decode(r.data())) for r in self._tx.run(cypher, params)]
