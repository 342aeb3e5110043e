"""Counting and printing for the evaluation tables (pure Python)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PRF:
    """True positives, false positives, false negatives; scores derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> "PRF":
        self.tp += tp
        self.fp += fp
        self.fn += fn
        return self

    def __iadd__(self, other: "PRF") -> "PRF":
        return self.add(other.tp, other.fp, other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def prf(gold: set, predicted: set) -> PRF:
    """Counts for one item's gold and predicted sets."""
    return PRF(len(gold & predicted), len(predicted - gold), len(gold - predicted))


@dataclass
class Table:
    """One printed table: ``rows`` are lists of cells matching ``columns``; ``data`` is the
    machine-readable form (for ``--json`` and the regression tests)."""

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    note: str | None = None

    def render(self) -> str:
        cells = [[_fmt(c) for c in row] for row in self.rows]
        widths = [max(len(str(h)), *(len(r[i]) for r in cells)) if cells else len(str(h))
                  for i, h in enumerate(self.columns)]
        line = "  ".join(str(h).ljust(w) for h, w in zip(self.columns, widths))
        out = [self.title, "-" * len(self.title), line, "  ".join("-" * w for w in widths)]
        out += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in cells]
        if self.note:
            out.append(self.note)
        return "\n".join(out)

    def as_json(self) -> dict:
        return {"title": self.title, "columns": self.columns, "rows": self.rows, "data": self.data,
                "note": self.note}


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)
