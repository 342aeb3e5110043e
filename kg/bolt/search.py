"""Keyword search for the Bolt store.

Choice: find candidates with the server's own full-text index where Cypher can reach one
(Neo4j's Lucene ``db.index.fulltext.queryNodes``; FalkorDB's RediSearch
``db.idx.fulltext.queryNodes``, English stemming), so the search scales with the corpus,
then score the candidates here with BM25 (body 1.0, title 0.3, as the SQLite store does).
Rescoring is needed because FalkorDB's own TF-IDF drifts to 0 after deletions, and it keeps
scores alike across servers.  User text never reaches the index syntax raw: it is cut into
word terms first.  A server with no usable index gets candidates by ``CONTAINS`` on stems.
"""

from __future__ import annotations

import math
import re

from kg.sqlite_store import fts_query


_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly")


def stem(word: str) -> str:
    """A crude English stem, enough to match what the servers' stemming indexes matched."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            return word[: -len(suf)]
    return word


def terms(text: str) -> list[str]:
    out: list[str] = []
    for t in re.findall(r"\w+", text.lower()):
        if t not in out:
            out.append(t)
    return out[:64]


def server_query(kind: str, text: str) -> tuple[str, str] | None:
    """(Cypher, index query) for the server's full-text index, or None to score locally."""
    ts = terms(text)
    if not ts:
        return None
    if kind == "neo4j":
        return ("CALL db.index.fulltext.queryNodes('mg_passage_fulltext', $q) YIELD node, score "
                "RETURN node.id AS id, node.text AS text, node.title AS title ORDER BY score DESC LIMIT $cap",
                fts_query(text))
    if kind == "falkordb":
        return ("CALL db.idx.fulltext.queryNodes('Passage', $q) YIELD node, score "
                "RETURN node.id AS id, node.text AS text, node.title AS title ORDER BY score DESC LIMIT $cap",
                "|".join(ts))
    return None


def bm25(rows: list[dict], ts: list[str], n_docs: int, avg_len: float, k1: float = 1.2, b: float = 0.75) -> list[tuple[int, float]]:
    """BM25 of candidate passages (``id``, ``text``, ``title``; title weighted 0.3 as in SQLite)."""
    ts = [stem(t) for t in ts]
    toks = {r["id"]: ([stem(w) for w in re.findall(r"\w+", (r["text"] or "").lower())],
                      [stem(w) for w in re.findall(r"\w+", (r["title"] or "").lower())]) for r in rows}
    df = {t: sum(1 for body, title in toks.values() if t in body or t in title) for t in ts}
    out = []
    for pid, (body, title) in toks.items():
        s = 0.0
        for t in ts:
            if not df[t]:
                continue
            idf = math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5))
            for field, w in ((body, 1.0), (title, 0.3)):
                tf = field.count(t)
                if tf:
                    s += w * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(field) / max(avg_len, 1.0)))
        if s > 0:
            out.append((pid, s))
    out.sort(key=lambda x: -x[1])
    return out
