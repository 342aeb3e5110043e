"""Exact BM25 over record units: a Tantivy index cached beside the store, rebuildable from it.

Why Tantivy: an inverted index with block-max WAND finds the exact BM25 top k without scoring
every row that holds a query word, so ranking is the same at 10k and at 1M passages (the FTS5
ranking it replaces had to bound the rows it scored on large stores and lost a third of its
nDCG there).  ``bench/keyword_choice.py`` measured it against bm25s and FTS5.

One index document per unit (``search.units``: a lesson record, a numbered paragraph, else a
passage), holding the unit's text and its document title as two fields scored together; its
stored fields name the unit's key and its passages, so a hit keeps passage-level provenance.

The store is the source of truth.  ``sync`` compares the documents the index holds (with their
sha256) against the store's, deletes units of documents gone or changed and adds units of new
ones, in place; the store's write stamp skips the comparison while nothing was written.  A
commit is atomic (Tantivy's own meta file); the list of indexed documents is written after it,
to a temporary name and moved into place, and an index whose list does not match its unit count
is rebuilt.  Writers in different processes take a file lock.  A store folder that cannot be
written gets an index in memory instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Iterable, NamedTuple

from search.index import _file_lock
from search.units import Unit, UnitKey, group_units

VERSION = 1
DIR_NAME = "keyword"
CONFIG_FILE = "keyword.json"
DOCS_FILE = "keyword-docs.json"
LOCK_FILE = "index.lock"
MAX_TERMS = 64
TITLE_WEIGHT = 0.3           # the document title beside the unit text, as FTS5 weighed it before
SET_FILTER_MAX = 50_000      # a filter of up to this many passages goes into the query; a larger one filters hits
DOC_CHUNK = 500
WRITER_HEAP = 96_000_000
ANALYZER = "en_stem"

_ANALYZERS = ("en_stem", "en_plain", "en_stem_stop")
_WORD = re.compile(r"[^\W_]+")   # the simple tokenizer's words: runs of letters and digits


def analyzer(name: str = ANALYZER):
    """The text analyzer an index is built with: words split at non-letters and non-digits,
    lower-cased, accents folded, words over 40 bytes dropped, Snowball English stems."""
    import tantivy

    if name not in _ANALYZERS:
        raise ValueError(f"unknown analyzer {name!r}; use one of {', '.join(_ANALYZERS)}")
    builder = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
               .filter(tantivy.Filter.remove_long(40)).filter(tantivy.Filter.lowercase())
               .filter(tantivy.Filter.ascii_fold()))
    if name == "en_stem_stop":
        builder = builder.filter(tantivy.Filter.stopword("english"))
    if name != "en_plain":
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


def _schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("uid", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("doc_id", stored=True, indexed=True, fast=True)
    sb.add_unsigned_field("pids", stored=True, indexed=True)
    sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", stored=False, tokenizer_name="mg", index_option="freq")
    sb.add_text_field("title", stored=False, tokenizer_name="mg", index_option="freq")
    return sb.build()


def _key_of(stored: str) -> UnitKey:
    def tup(x):
        return tuple(tup(i) for i in x) if isinstance(x, list) else x

    return tup(json.loads(stored))


class KeywordHit(NamedTuple):
    """One unit found: its id, BM25 score, unit key and passages."""

    uid: int
    score: float
    key: UnitKey
    passage_ids: list[int]


class KeywordIndex:
    """BM25 over the units of one store (see the module docstring)."""

    def __init__(self, directory: Path | None, analyzer_name: str = ANALYZER):
        import tantivy

        self.directory = directory
        self.analyzer_name = analyzer_name
        self._analyzer = analyzer(analyzer_name)
        self.schema = _schema()
        self._lock = threading.RLock()
        self._docs: dict[int, str] = {}      # doc id -> sha256 of what the index holds
        self._stamp: str | None = None
        opened = False
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
                opened = self._open_on_disk(tantivy)
            except (OSError, ValueError):
                opened = False
        if not opened:
            self.directory = None
            self.index = tantivy.Index(self.schema)
            self._register()

    # -- opening ---------------------------------------------------------------------
    def _register(self) -> None:
        self.index.register_tokenizer("mg", self._analyzer)

    def _open_on_disk(self, tantivy) -> bool:
        """Open the saved index when it is ours and consistent, else start an empty one there."""
        assert self.directory is not None
        if not os.access(self.directory, os.W_OK):
            return False
        with _file_lock(self.directory, exclusive=True):
            config = self._read_json(CONFIG_FILE)
            fresh = (config is None or config.get("version") != VERSION
                     or config.get("analyzer") != self.analyzer_name)
            if not fresh:
                try:
                    self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=True)
                    self._register()
                    saved = self._read_json(DOCS_FILE) or {}
                    self._docs = {int(k): v for k, v in saved.get("docs", {}).items()}
                    fresh = self._count_on_disk() != int(saved.get("units", -1))
                except ValueError:
                    fresh = True
            if fresh:
                self._wipe()
                self.index = tantivy.Index(self.schema, path=str(self.directory), reuse=False)
                self._register()
                self._docs = {}
                self._write_state(0)
        return True

    def _wipe(self) -> None:
        for child in self.directory.iterdir():
            if child.name == LOCK_FILE:
                continue
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    def _read_json(self, name: str) -> dict | None:
        try:
            return json.loads((self.directory / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_json(self, name: str, data: dict) -> None:
        tmp = self.directory / f"{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.directory / name)
        finally:
            tmp.unlink(missing_ok=True)

    def _write_state(self, units: int) -> None:
        if self.directory is None:
            return
        self._write_json(DOCS_FILE, {"units": units, "docs": {str(k): v for k, v in self._docs.items()}})
        self._write_json(CONFIG_FILE, {"version": VERSION, "analyzer": self.analyzer_name, "units": units})

    def _count_on_disk(self) -> int:
        self.index.reload()
        return int(self.index.searcher().num_docs)

    def __len__(self) -> int:
        with self._lock:
            return int(self.index.searcher().num_docs)

    def __repr__(self) -> str:
        return f"KeywordIndex(units={len(self)}, documents={len(self._docs)}, dir={str(self.directory)!r})"

    # -- keeping in line with the store ---------------------------------------------
    def sync(self, store) -> int:
        """Make the index hold exactly the units of the store's documents; return the number of
        documents added or removed."""
        stamp = store.vector_stamp()
        with self._lock:
            if stamp is not None and stamp == self._stamp:
                return 0
            if self.directory is None:
                changed = self._apply(store)
            else:
                with _file_lock(self.directory, exclusive=True):
                    saved = self._read_json(DOCS_FILE)  # another process may have synced since
                    if saved is not None and int(saved.get("units", -1)) == self._count_on_disk():
                        self._docs = {int(k): v for k, v in saved.get("docs", {}).items()}
                    changed = self._apply(store)
            self._stamp = stamp
            return changed

    def _apply(self, store) -> int:
        wanted = store.document_shas()
        gone = [d for d, sha in self._docs.items() if wanted.get(d) != sha]
        new = [d for d, sha in wanted.items() if self._docs.get(d) != sha]
        if not gone and not new:
            return 0
        import tantivy

        before = dict(self._docs)
        writer = self.index.writer(WRITER_HEAP, 1)
        try:
            if gone:  # by query: deleting by a bare integer term misses u64 fields in these bindings
                writer.delete_documents_by_query(tantivy.Query.term_set_query(self.schema, "doc_id", sorted(gone)))
            for d in gone:
                self._docs.pop(d, None)
            for start in range(0, len(new), DOC_CHUNK):
                chunk = new[start:start + DOC_CHUNK]
                for unit in group_units(store.unit_rows(chunk)):
                    writer.add_document(self._document(unit))
                for d in chunk:
                    self._docs[d] = wanted[d]
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()  # the index keeps its last commit, and so does the list of its documents
            self._docs = before
            raise
        finally:
            del writer  # releases Tantivy's writer lock now, not at garbage collection
        self.index.reload()
        self._write_state(int(self.index.searcher().num_docs))
        return len(gone) + len(new)

    def _document(self, unit: Unit):
        import tantivy

        doc = tantivy.Document()
        doc.add_unsigned("uid", unit.uid)
        doc.add_unsigned("doc_id", unit.doc_id)
        for pid in unit.passage_ids:
            doc.add_unsigned("pids", pid)
        doc.add_text("key", json.dumps(unit.key))
        doc.add_text("text", unit.text)
        doc.add_text("title", unit.title or "")
        return doc

    # -- searching ---------------------------------------------------------------------
    def terms(self, text: str) -> list[str]:
        """The query's distinct index terms, in order (at most ``MAX_TERMS``)."""
        return list(dict.fromkeys(self._analyzer.analyze(text)))[:MAX_TERMS]

    def _query(self, terms: list[str], extra: dict[str, float] | None = None):
        import tantivy

        clauses = [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "text", t)) for t in terms]
        clauses += [(tantivy.Occur.Should, tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "text", t), w))
                    for t, w in (extra or {}).items() if t not in terms]
        if TITLE_WEIGHT > 0:
            clauses += [(tantivy.Occur.Should,
                         tantivy.Query.boost_query(tantivy.Query.term_query(self.schema, "title", t), TITLE_WEIGHT))
                        for t in terms]
        return tantivy.Query.boolean_query(clauses)

    def search(self, text: str, k: int, allowed: set[int] | None = None,
               extra: dict[str, float] | None = None) -> list[KeywordHit]:
        """The best ``k`` units for ``text``, best first; with ``allowed`` (passage ids), only units
        holding an allowed passage, each listing only its allowed passages.  ``extra``: more index
        terms with their weights (pseudo-relevance feedback)."""
        import tantivy

        terms = self.terms(text)
        if not terms or k < 1 or (allowed is not None and not allowed):
            return []
        query = self._query(terms, extra)
        with self._lock:
            searcher = self.index.searcher()
            if allowed is not None and len(allowed) <= SET_FILTER_MAX:
                only = tantivy.Query.const_score_query(
                    tantivy.Query.term_set_query(self.schema, "pids", [int(i) for i in allowed]), 0.0)
                query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, only)])
                return self._hits(searcher, searcher.search(query, k, count=False).hits, allowed, k)
            limit = k
            while True:
                hits = searcher.search(query, limit, count=False).hits
                out = self._hits(searcher, hits, allowed, k)
                if len(out) >= k or len(hits) < limit:
                    return out
                limit *= 4

    def _hits(self, searcher, hits, allowed: set[int] | None, k: int) -> list[KeywordHit]:
        out: list[KeywordHit] = []
        for score, addr in hits:
            doc = searcher.doc(addr)
            pids = [int(p) for p in doc.get_all("pids")]
            if allowed is not None:
                pids = [p for p in pids if p in allowed]
                if not pids:
                    continue
            out.append(KeywordHit(int(doc.get_first("uid")), float(score), _key_of(doc.get_first("key")), pids))
            if len(out) >= k:
                break
        return out

    def units_of(self, passage_ids: list[int]) -> dict[int, list[int]]:
        """For each passage id, the passages of the unit holding it (ids the index lacks are left out)."""
        import tantivy

        wanted = {int(p) for p in passage_ids}
        if not wanted:
            return {}
        query = tantivy.Query.term_set_query(self.schema, "pids", sorted(wanted))
        out: dict[int, list[int]] = {}
        with self._lock:
            searcher = self.index.searcher()
            for _, addr in searcher.search(query, len(wanted), count=False).hits:
                pids = [int(p) for p in searcher.doc(addr).get_all("pids")]
                out.update((p, pids) for p in pids if p in wanted)
        return out

    def idf(self, terms) -> dict[str, float]:
        """BM25's idf of each term over the units."""
        import math

        with self._lock:
            searcher = self.index.searcher()
            n = max(1, int(searcher.num_docs))
            return {t: math.log(1 + (n - (df := searcher.doc_freq("text", t)) + 0.5) / (df + 0.5)) for t in terms}

    def feedback_terms(self, text: str, unit_texts: list[str], n_terms: int, weight: float) -> dict[str, float]:
        """Terms the best units share beyond the query's (tf share x idf, summed over the units),
        scaled so the strongest gets ``weight``: pseudo-relevance feedback."""
        query = set(self.terms(text))
        mass: dict[str, float] = {}
        for unit_text in unit_texts:
            tokens = self._analyzer.analyze(unit_text)
            for t in set(tokens) - query:
                mass[t] = mass.get(t, 0.0) + tokens.count(t) / max(1, len(tokens))
        if not mass:
            return {}
        idf = self.idf(mass)
        ranked = sorted(((m * idf[t], t) for t, m in mass.items() if idf[t] > 1.0), reverse=True)[:n_terms]
        top = ranked[0][0] if ranked else 1.0
        return {t: weight * v / top for v, t in ranked}

    def spans(self, words: list[str], rows: Iterable[dict]) -> dict[int, list[tuple[str, int, int]]]:
        """``(query word, start, end)`` of every word of each passage's text that this index
        reads as one of ``words`` (same stems, same folding), in text order: what ``why`` shows."""
        by_term: dict[str, str] = {}
        for w in words:
            for t in self._analyzer.analyze(w):
                by_term.setdefault(t, w)
        seen: dict[str, str | None] = {}
        out: dict[int, list[tuple[str, int, int]]] = {}
        for row in rows:
            found = []
            for m in _WORD.finditer(row.get("text") or ""):
                w = m.group(0)
                if w not in seen:
                    seen[w] = next(iter(self._analyzer.analyze(w)), None)
                if seen[w] in by_term:
                    found.append((by_term[seen[w]], m.start(), m.end()))
            if found:
                out[int(row["id"])] = found
        return out

    def passage_term_scores(self, text: str, rows: Iterable[dict]) -> dict[int, float]:
        """How well each passage matches the query on its own: the summed idf of the query terms
        it holds.  Picks the passage to show for a unit found by keyword."""
        terms = set(self.terms(text))
        if not terms:
            return {}
        idf = self.idf(terms)
        out = {}
        for row in rows:
            held = terms.intersection(self._analyzer.analyze(row.get("text") or ""))
            out[int(row["id"])] = sum(idf[t] for t in held)
        return out


def check(store, samples: int = 32) -> list[str]:
    """Problems of the store's keyword index, one line each: brought in line with the store, it
    must hold exactly the units the store's documents make (checked on ``samples`` documents
    spread over the store, and by count over all of them)."""
    import tantivy

    idx = open_index(store)
    problems = []
    shas = store.document_shas()
    if set(idx._docs) != set(shas):
        problems.append(f"keyword index lists {len(idx._docs)} documents, the store holds {len(shas)}")
    ids = sorted(shas)
    picks = sorted({ids[round(j * (len(ids) - 1) / max(1, samples - 1))] for j in range(samples)}) if ids else []
    with idx._lock:
        searcher = idx.index.searcher()
        for doc_id in picks:
            want = {(u.uid, tuple(u.passage_ids)) for u in group_units(store.unit_rows([doc_id]))}
            hits = searcher.search(tantivy.Query.term_query(idx.schema, "doc_id", doc_id), max(1, len(want) + 5),
                                   count=False).hits
            have = {(int(d.get_first("uid")), tuple(int(p) for p in d.get_all("pids")))
                    for d in (searcher.doc(a) for _, a in hits)}
            if have != want:
                problems.append(f"keyword index holds {len(have)} units of document {doc_id}, "
                                f"the store makes {len(want)} (run `missiongraph reindex`)")
    return problems


_INDEXES: dict[int, tuple[object, KeywordIndex]] = {}
_OPEN_LOCK = threading.Lock()


def open_index(store) -> KeywordIndex:
    """The store's keyword index in this process (one per store object), synced on every call."""
    import weakref

    with _OPEN_LOCK:
        entry = _INDEXES.get(id(store))
        idx = entry[1] if entry is not None and entry[0]() is store else None
        if idx is None:
            idx = KeywordIndex(Path(store.index_dir) / DIR_NAME)
            _INDEXES[id(store)] = (weakref.ref(store), idx)
    idx.sync(store)
    return idx


def forget(store) -> None:
    """Drop this process's handle on the store's index (the next search reopens it)."""
    with _OPEN_LOCK:
        _INDEXES.pop(id(store), None)


def rebuild(store) -> dict:
    """Throw the keyword index away and build it again from the store."""
    import time

    started = time.perf_counter()
    forget(store)
    directory = Path(store.index_dir) / DIR_NAME
    if directory.is_dir():
        with _file_lock(directory, exclusive=True):
            (directory / CONFIG_FILE).unlink(missing_ok=True)
    idx = open_index(store)
    return {"units": len(idx), "documents": len(idx._docs), "seconds": round(time.perf_counter() - started, 3)}


# Pseudo-relevance feedback: terms of the best PRF_UNITS units added to the query (0: off).
PRF_UNITS = 0
PRF_TERMS = 10
PRF_WEIGHT = 0.3


def search(store, text: str, k: int, allowed: set[int] | None = None) -> list[KeywordHit]:
    """Keyword search through the store's keyword index (with feedback when PRF_UNITS > 0)."""
    idx = open_index(store)
    hits = idx.search(text, max(k, PRF_UNITS), allowed)
    if PRF_UNITS <= 0 or not hits:
        return hits[:k]
    rows = store.passages_by_ids([p for h in hits[:PRF_UNITS] for p in h.passage_ids])
    by_id = {r["id"]: r.get("text") or "" for r in rows}
    texts = ["\n".join(by_id.get(p, "") for p in h.passage_ids) for h in hits[:PRF_UNITS]]
    return idx.search(text, k, allowed, idx.feedback_terms(text, texts, PRF_TERMS, PRF_WEIGHT))
