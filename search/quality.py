"""Search-quality metrics over graded relevance judgments.  Pure functions, no I/O.

A *qrel key* names one judged item independently of any store:

* a NASA lesson:          ``("corpus/nasa-llis/lessons.jsonl", "record", "<lesson_number>")``
* a report/resolution paragraph: ``("corpus/unsc-2025/text/<sub>/<file>.txt", "paragraph", "<label>")``

``judge`` maps one search result (the CLI/API JSON dict) onto such a key, so the judgments in
``tests/data/search_queries.json`` can be compared with any store built from the shared folder.
Gains are the grades (2 = answers the question, 1 = partly); an unjudged result gains 0.
"""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Hashable, Iterable, Mapping, Sequence

QrelKey = tuple[str, str, str]


def qrel_key(item: Mapping) -> QrelKey:
    """The key of one judgment from the query file: source + record or paragraph."""
    source = str(item["source"]).replace("\\", "/").strip("/")
    if item.get("record") is not None:
        return (source, "record", str(item["record"]))
    if item.get("paragraph") is not None:
        return (source, "paragraph", str(item["paragraph"]))
    raise ValueError(f"judgment for {source!r} names neither a record nor a paragraph")


def qrels_of(relevant: Iterable[Mapping]) -> dict[QrelKey, int]:
    """{key: grade} for a query's list of judgments (a repeated key keeps its highest grade)."""
    out: dict[QrelKey, int] = {}
    for item in relevant:
        key = qrel_key(item)
        out[key] = max(out.get(key, 0), int(item["grade"]))
    return out


def aliases_of(relevant: Iterable[Mapping]) -> dict[QrelKey, QrelKey]:
    """{alias key: judged key} from the judgments' ``same_as`` lists.

    ``same_as`` names the same text at another place (a draft resolution circulated as an
    S/2025 document and the adopted resolution; the store shows only one copy of identical
    passages), so a result at either place stands for the judged item.
    """
    out: dict[QrelKey, QrelKey] = {}
    for item in relevant:
        key = qrel_key(item)
        for other in item.get("same_as") or ():
            out[qrel_key({**other, "grade": item.get("grade", 1)})] = key
    return out


def relative_source(source: str | None, anchor: str = "corpus") -> str | None:
    """``/any/where/shared/corpus/x/y.txt`` -> ``corpus/x/y.txt`` (the path from the ``anchor`` folder)."""
    if not source:
        return None
    parts = PurePath(str(source).replace("\\", "/")).parts
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] == anchor:
            return "/".join(parts[i:])
    return None


def judge(result: Mapping, qrels: Mapping[QrelKey, int] | None = None) -> QrelKey | None:
    """The qrel key a search result stands for, or None when it cannot name one.

    A result with a ``record`` (a NASA lesson passage) is keyed by record; otherwise by its
    ``paragraph`` label.  When ``qrels`` are given and the key is not judged, the result is
    still keyed (it gains 0); ``qrels`` only matter for callers that want ``grade``.
    """
    source = relative_source(result.get("source"))
    if source is None:
        return None
    if result.get("record") not in (None, ""):
        return (source, "record", str(result["record"]))
    if result.get("paragraph") not in (None, ""):
        return (source, "paragraph", str(result["paragraph"]))
    return None


def grade(result: Mapping, qrels: Mapping[QrelKey, int]) -> int:
    """The grade of one result under ``qrels`` (0 when unjudged or unkeyable)."""
    key = judge(result, qrels)
    return int(qrels.get(key, 0)) if key is not None else 0


def ranked_keys(results: Sequence[Mapping], aliases: Mapping[QrelKey, QrelKey] | None = None) -> list[QrelKey | None]:
    """Result keys in rank order; a key already seen becomes None (several passages of one
    lesson count once, at their best rank, so a system is not rewarded for repeats).
    ``aliases`` (from ``aliases_of``) maps a copy's key onto the judged item's key first."""
    seen: set = set()
    keys: list[QrelKey | None] = []
    for r in results:
        key = judge(r)
        if key is not None and aliases:
            key = aliases.get(key, key)
        if key is not None and key in seen:
            key = None
        if key is not None:
            seen.add(key)
        keys.append(key)
    return keys


# -- metrics over a ranked list of keys ---------------------------------------------------
def dcg(gains: Sequence[float], k: int) -> float:
    """Discounted cumulative gain: sum of (2**g - 1) / log2(rank + 1) over the first k."""
    return sum((2.0 ** g - 1.0) / math.log2(i + 2) for i, g in enumerate(gains[:k]))


def ndcg_at_k(ranking: Sequence[Hashable | None], qrels: Mapping[Hashable, int], k: int = 10) -> float:
    """nDCG@k with exponential graded gains; 0.0 for a query with no relevant item."""
    if k < 1:
        raise ValueError("k must be at least 1")
    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True), k)
    if ideal == 0:
        return 0.0
    gains = [qrels.get(key, 0) if key is not None else 0 for key in ranking]
    return dcg(gains, k) / ideal


def recall_at_k(ranking: Sequence[Hashable | None], qrels: Mapping[Hashable, int], k: int = 10) -> float:
    """Share of the relevant items (grade >= 1) found in the first k; 0.0 when none exist."""
    if k < 1:
        raise ValueError("k must be at least 1")
    relevant = {key for key, g in qrels.items() if g > 0}
    if not relevant:
        return 0.0
    found = {key for key in ranking[:k] if key in relevant}
    return len(found) / len(relevant)


def reciprocal_rank(ranking: Sequence[Hashable | None], qrels: Mapping[Hashable, int], k: int | None = None) -> float:
    """1 / rank of the first relevant item (within k when given); 0.0 when none is found."""
    for i, key in enumerate(ranking if k is None else ranking[:k], start=1):
        if key is not None and qrels.get(key, 0) > 0:
            return 1.0 / i
    return 0.0


def mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def evaluate(ranking: Sequence[Hashable | None], qrels: Mapping[Hashable, int], k: int = 10) -> dict[str, float]:
    """{"ndcg", "recall", "mrr"} for one query."""
    return {"ndcg": ndcg_at_k(ranking, qrels, k), "recall": recall_at_k(ranking, qrels, k),
            "mrr": reciprocal_rank(ranking, qrels, k)}


# -- a whole query set ----------------------------------------------------------------------
def run_queries(queries: Sequence[Mapping], ranker, modes: Sequence[str], k: int = 10) -> dict[str, list[dict]]:
    """Per-query metrics for each mode: ``{mode: [{"id", "group", "ndcg", "recall", "mrr"}]}``.

    ``ranker(query_text, mode)`` returns search results (the CLI/API dicts) best first; it is
    passed in so the bench and the regression test score any store the same way, and so a
    caller can re-key results first (e.g. a PDF copy onto its text export).
    """
    per: dict[str, list[dict]] = {m: [] for m in modes}
    for q in queries:
        qrels = qrels_of(q["relevant"])
        aliases = aliases_of(q["relevant"])
        for mode in modes:
            keys = ranked_keys(ranker(q["query"], mode), aliases)
            per[mode].append({"id": q["id"], "group": q["group"], **evaluate(keys, qrels, k)})
    return per


def summarize(per: Mapping[str, Sequence[Mapping]], groups: Sequence[str] = ()) -> dict:
    """Mean metrics per mode, overall (``"all"``) and per query group: ``{mode: {group: {...}}}``."""
    out: dict = {}
    for mode, rows in per.items():
        out[mode] = {}
        for g in ("all", *groups):
            sub = [r for r in rows if g == "all" or r["group"] == g]
            out[mode][g] = {m: round(mean(r[m] for r in sub), 4) for m in ("ndcg", "recall", "mrr")} | {"n": len(sub)}
    return out
