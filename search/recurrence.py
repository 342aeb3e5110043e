"""Lessons that keep coming back: clusters of lessons saying the same thing across missions and years.

Similarity of two lessons is the cosine of their vectors (``taught_vectors``: the mean of the
stored vectors of the passages holding what the lesson teaches, its title, lesson, recommendation
and conclusion) plus a little for what they share besides words: the same
planning topic (``TOPIC_BONUS``) and named places and actors (``ACTOR_BONUS`` each, at most two).
Each lesson is linked to its ``NEIGHBOURS`` nearest lessons of other documents (an exact FAISS
search: memory grows with the number of lessons, not its square) where the similarity reaches
``LINK``; linked lessons form a group, and a group keeps only members at least ``CORE`` close to
its centroid (repeated until none leaves), so one chain of near neighbours cannot pull unrelated
lessons together. The constants were fixed before any cluster was read (bench/recurrence.py).

For each cluster: how many times the lesson was identified (its lessons, in how many documents),
across which missions and years, how many reached "learned", and the timeline; ``sentence`` says
it the way a planner asks ("Identified 7 times since 2004, never learned").
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from kg import lifecycle

LINK = 0.75
CORE = 0.70
NEIGHBOURS = 15
TOPIC_BONUS = 0.03
ACTOR_BONUS = 0.02
_ACTOR_TYPES = ("Location", "State", "ArmedGroup", "Organisation", "Person")


def _lessons(store) -> tuple[list[dict], np.ndarray]:
    """Every lesson (one row per key) with its vector; lessons of a store without vectors are embedded."""
    from search.embeddings import Embedder, follow_store
    rows, seen = [], set()
    for r in store.lessons(limit=10**9):
        if r.get("key") and r["key"] not in seen and (r.get("lesson") or r.get("recommendation")
                                                      or r.get("observation") or r.get("conclusion")):
            seen.add(r["key"])
            rows.append(r)
    if not rows:
        return [], np.zeros((0, 1), dtype=np.float32)
    vecs = taught_vectors(store, rows, follow_store(Embedder(), store))
    return rows, np.ascontiguousarray(vecs, dtype=np.float32)


TAUGHT = ("title", "lesson", "recommendation", "conclusion")


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def taught_vectors(store, rows: list[dict], embedder) -> np.ndarray:
    """Each lesson's vector from what it teaches: the stored vectors of its passages that lie inside
    its title, lesson, recommendation or conclusion, not its account of what happened.  Lessons
    drawn from one mishap share that account word for word (one NASA report gives several lessons,
    each with the same driving event), and a vector of the whole record grouped them however
    different their lessons were.  A lesson with no such passage has those fields embedded."""
    from search.planning_topics import lesson_vectors, mean_vector

    out: list[np.ndarray | None] = []
    by_doc: dict[int, list[dict]] = {}
    has_vectors = bool(store.vector_meta())
    for r in rows:
        taught = _norm(" ".join(str(r[f]) for f in TAUGHT if r.get(f)))
        if has_vectors and r["doc_id"] not in by_doc:
            by_doc[r["doc_id"]] = store.document_passages(r["doc_id"])
        ids = [p["id"] for p in by_doc.get(r["doc_id"], []) if p["start"] < r["end"] and r["start"] < p["end"]
               and len(_norm(p["text"])) > 20 and _norm(p["text"]) in taught]
        out.append(mean_vector(store, ids))
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        texts = ["\n".join(str(rows[i][f]) for f in TAUGHT if rows[i].get(f)) for i in missing]
        empty = [i for i, t in zip(missing, texts) if not t.strip()]   # nothing taught: the whole lesson
        for i, v in zip(missing, embedder.encode([t or "-" for t in texts])):
            out[i] = v
        if empty:
            for i, v in zip(empty, lesson_vectors(store, [rows[i] for i in empty], embedder)):
                out[i] = v
    return np.stack(out).astype(np.float32) if out else np.zeros((0, 1), np.float32)


def _context(store, rows: list[dict]) -> tuple[list[dict], list[set[str]], list[list[str]]]:
    """Per lesson: its document (date, source, symbol), its named actors and places, its missions."""
    docs = {d["id"]: d for d in store.lessons_by(ids=[r["id"] for r in rows])}
    actors_of: dict[int, set[str]] = {}
    actors, missions = [], []
    for r in rows:
        if r["doc_id"] not in actors_of:
            actors_of[r["doc_id"]] = {e["id"] for e in store.document_entities(r["doc_id"])
                                      if e.get("type") in _ACTOR_TYPES}
        actors.append(actors_of[r["doc_id"]])
        missions.append(lifecycle.lesson_missions(store, r["id"]))
    return [docs.get(r["id"], {}) for r in rows], actors, missions


def find_clusters(store, *, topic: str | None = None, mission: str | None = None, min_size: int = 2) -> dict:
    """Clusters of at least ``min_size`` lessons, most identified first (see the module)."""
    import faiss

    if topic is not None:
        from kg.planning import check_topic

        topic = check_topic(topic)
    rows, vecs = _lessons(store)
    if len(rows) < 2:
        return {"lessons": len(rows), "clusters": [], "count": 0, "filters": {"topic": topic, "mission": mission}}
    states = store.lesson_states([r["key"] for r in rows])
    topics = [(states.get(r["key"]) or {}).get("topic") for r in rows]
    docs, actors, missions = _context(store, rows)
    index = faiss.IndexFlatIP(vecs.shape[1])
    index.add(vecs)
    k = min(NEIGHBOURS + 1, len(rows))
    sims, nbrs = index.search(vecs, k)
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rows)):
        for s, j in zip(sims[i], nbrs[i]):
            if j < 0 or j == i or rows[j]["doc_id"] == rows[i]["doc_id"]:
                continue
            bonus = TOPIC_BONUS if topics[i] and topics[i] == topics[j] else 0.0
            bonus += ACTOR_BONUS * min(2, len(actors[i] & actors[j]))
            if s + bonus >= LINK:
                parent[root(i)] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        members = _core(members, vecs)
        if len(members) < min_size:
            continue
        c = _describe(members, rows, vecs, docs, missions, states)
        if topic and c["topic"] != topic and topic not in c["topics"]:
            continue
        if mission and mission.strip().upper() not in c["missions"]:
            continue
        out.append(c)
    out.sort(key=lambda c: (-c["times_identified"], c["first_year"] or "9999", c["id"]))
    return {"lessons": len(rows), "clusters": out, "count": len(out), "filters": {"topic": topic, "mission": mission}}


def _core(members: list[int], vecs: np.ndarray) -> list[int]:
    while len(members) > 2:
        centre = vecs[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        keep = [m for m in members if float(vecs[m] @ centre) >= CORE]
        if len(keep) == len(members):
            break
        members = keep
    return members


def _year(doc: dict) -> str | None:
    date = doc.get("doc_date") or ""
    return date[:4] if len(date) >= 4 and date[:4].isdigit() else None


def _describe(members, rows, vecs, docs, missions, states) -> dict:
    centre = vecs[members].mean(axis=0)
    medoid = max(members, key=lambda m: float(vecs[m] @ centre))
    timeline = []
    for m in members:
        r, d = rows[m], docs[m]
        st = states.get(r["key"]) or {}
        timeline.append({"key": r["key"], "id": r["id"], "date": d.get("doc_date"), "title": _title(r),
                         "status": st.get("status") or r["status"], "missions": missions[m],
                         "source": d.get("symbol") or d.get("source")})
    timeline.sort(key=lambda t: (t["date"] or "9999", t["id"]))
    years = sorted(y for y in (_year(docs[m]) for m in members) if y)
    learned = sum(1 for t in timeline if t["status"] == "learned")
    topics = Counter(t for t in ((states.get(rows[m]["key"]) or {}).get("topic") for m in members) if t)
    times = len({rows[m]["doc_id"] for m in members})
    all_missions = sorted({x for m in members for x in missions[m]})
    since = f" since {years[0]}" if years else ""
    ever = "never learned" if not learned else f"learned {learned} time{'s' if learned > 1 else ''}"
    return {"id": min(rows[m]["key"] for m in members), "summary": _title(rows[medoid]), "size": len(members),
            "times_identified": times, "missions": all_missions, "first_year": years[0] if years else None,
            "last_year": years[-1] if years else None, "years": sorted(set(years)), "learned": learned,
            "statuses": dict(Counter(t["status"] for t in timeline)),
            "topic": topics.most_common(1)[0][0] if topics else None, "topics": sorted(topics),
            "sentence": f"Identified {times} times{since}, {ever}", "timeline": timeline}


def _title(row: dict) -> str:
    text = row.get("title") or row.get("lesson") or row.get("recommendation") or row.get("observation") or ""
    text = " ".join(text.split())
    return text if len(text) <= 100 else text[:97] + "..."

