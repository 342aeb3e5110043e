"""The whole extraction measurement: every task's tables, in one run."""

from __future__ import annotations

import importlib
from pathlib import Path

from missiongraph.errors import InputError
from nlp.evaluation.report import Table

# task name -> module in nlp.evaluation; each has run(shared, **options) -> list[Table]
TASKS = {"actors": "re3d", "incidents": "muc4", "aliases": "aliases", "resolutions": "resolutions",
         "lessons": "lessons"}


def run(shared: Path, tasks: list[str] | None = None) -> list[Table]:
    """Tables for ``tasks`` (all by default); needs the shared gold data beside the project."""
    unknown = [t for t in tasks or [] if t not in TASKS]
    if unknown:
        raise InputError(f"unknown evaluation task {unknown[0]!r}; use one of {', '.join(TASKS)}", input=unknown[0])
    if not (shared / "gold").is_dir():
        raise InputError(f"no gold data under {shared} (it lives in ../shared beside the project)", input=str(shared))
    out: list[Table] = []
    for name in tasks or list(TASKS):
        module = importlib.import_module(f"nlp.evaluation.{TASKS[name]}")
        out += module.run(shared)
    return out
