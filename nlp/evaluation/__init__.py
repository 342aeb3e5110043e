"""Extraction measured against gold data: one module per task, each returning ``Table``s.

Every module exposes ``run(shared: Path, **options) -> list[Table]`` that measures the stock
``en_core_web_sm`` baseline (or the previous rules, where the stock model has no equivalent)
and ours in the same run.  ``bench/extraction.py`` and ``missiongraph eval extraction`` print
them; regression tests pin the figures.
"""

from __future__ import annotations

from nlp.evaluation.report import PRF, Table, prf

__all__ = ["PRF", "Table", "prf"]
