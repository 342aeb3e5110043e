"""What the CLI (and later the web pages) show of lessons in the process: lists and one lesson.

Field names here are the ``--json`` contract of ``missiongraph lesson ...``: add, never rename.
"""

from __future__ import annotations

from kg import lifecycle
from kg.planning import label_of

LIST_FIELDS = ("id", "key", "title", "status", "owner", "due", "source", "symbol")


def _title(row: dict) -> str:
    text = row.get("title") or row.get("lesson") or row.get("observation") or row.get("recommendation") or ""
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:87] + "..."


def _missions(store, lesson_id: int) -> list[str]:
    rels = store.relations(src=f"lesson:{lesson_id}", rel="CONCERNS", limit=50)
    return sorted({r["dst"].split(":", 1)[1].upper() for r in rels if r["dst"].startswith("mission:")})


def lesson_list(store, *, status: str | None = None, owner: str | None = None, mission: str | None = None,
                topic: str | None = None, limit: int = 50) -> dict:
    """Lessons with their process state, oldest row first, filtered by status, owner, mission and
    planning topic (suggested or set)."""
    if topic is not None:
        from kg.planning import check_topic

        topic = check_topic(topic)
    if status is not None:
        status = status.strip().lower().replace("-", "_")
        if status not in lifecycle.STATES:
            from missiongraph.errors import InputError

            raise InputError(f"unknown status {status!r}; use one of {', '.join(lifecycle.STATES)}", input=status)
    wanted = None
    if mission:
        wanted = {int(r["src"].split(":", 1)[1]) for r in store.relations(
            rel="CONCERNS", dst=f"mission:{mission.strip().lower()}", limit=1_000_000)
            if r["src"].startswith("lesson:")}
    # owner and mission are filtered here, so read every row of the status asked for
    filtered_here = owner is not None or wanted is not None or topic is not None
    rows = store.lessons(status=status, limit=10_000_000 if filtered_here else limit)
    if wanted is not None:
        rows = [r for r in rows if r["id"] in wanted]
    states = store.lesson_states([r["key"] for r in rows if r.get("key")])
    out = []
    for r in rows:
        st = states.get(r.get("key")) or {}
        if owner is not None and (st.get("owner") or "").lower() != owner.strip().lower():
            continue
        if topic is not None and st.get("topic") != topic:
            continue
        out.append({"id": r["id"], "key": r.get("key"), "title": _title(r), "status": st.get("status") or r["status"],
                    "owner": st.get("owner"), "due": st.get("due"), "doc_id": r["doc_id"], "topic": st.get("topic"),
                    "topic_by": st.get("topic_by")})
        if len(out) >= limit:
            break
    docs = {d["id"]: d for d in store.lessons_by(ids=[o["id"] for o in out])} if out else {}
    for o in out:
        d = docs.get(o["id"], {})
        o["source"], o["symbol"] = d.get("source"), d.get("symbol")
    return {"lessons": out, "count": len(out),
            "filters": {"status": status, "owner": owner, "mission": mission, "topic": topic}}


def lesson_view(store, ref: str | int) -> dict:
    """One lesson: its fields, where it came from (document, passage, span), its state, what it may
    move to next, and its whole history."""
    row = lifecycle.find(store, ref)
    state = lifecycle.state_of(store, row)
    return {
        "id": row["id"], "key": row["key"], "title": row.get("title"), "observation": row.get("observation"),
        "recommendation": row.get("recommendation"), "lesson": row.get("lesson"), "origin": row.get("origin"),
        "discussion": row.get("discussion"), "conclusion": row.get("conclusion"),
        "status": state["status"], "status_means": lifecycle.DESCRIPTIONS[state["status"]],
        "owner": state.get("owner"), "action_plan": state.get("action_plan"), "due": state.get("due"),
        "updated_at": state.get("updated_at"), "updated_by": state.get("updated_by"),
        "next": list(lifecycle.TRANSITIONS[state["status"]]),
        "topic": state.get("topic"), "topic_label": label_of(state.get("topic")) if state.get("topic") else None,
        "topic_by": state.get("topic_by"), "topic_score": state.get("topic_score"),
        "source": {"doc_id": row["doc_id"], "path": row.get("source"), "symbol": row.get("symbol"),
                   "title": row.get("doc_title"), "date": row.get("doc_date"), "kind": row.get("doc_kind"),
                   "passage_id": row.get("passage_id"), "start": row["start"], "end": row["end"]},
        "missions": _missions(store, row["id"]),
        "actors": _actors(store, row["id"]),
        "mandate_in_force": _mandates(store, _missions(store, row["id"]), row.get("doc_date")),
        "history": store.lesson_events(row["key"]),
    }


def _actors(store, lesson_id: int) -> list[dict]:
    """The actors and places the lesson's own text names (MENTIONS relations written at ingest)."""
    out = []
    for r in store.relations(src=f"lesson:{lesson_id}", rel="MENTIONS", limit=200):
        e = store.get_entity(r["dst"])
        if e is not None:
            out.append({"id": e["id"], "name": e["name"], "type": e["type"]})
    return out


def _mandates(store, missions: list[str], on: str | None) -> list[dict]:
    """For each of the lesson's missions, the mandate in force on the lesson's date: the resolution
    and its task clauses, so a reader sees what the mission was asked to do when it was learned."""
    from kg.views import mandate_view
    from missiongraph.errors import MissionGraphError

    if not on or len(on) < 10:
        return []
    out = []
    for m in missions:
        try:
            got = mandate_view(store, m, as_of=on[:10]).get("in_force")
        except MissionGraphError:
            continue   # a mission the store holds no resolution of
        if got:
            out.append({"mission": m, "resolution": got["resolution"], "mandate_end": got.get("mandate_end"),
                        "tasks": [{"task": t["task"], "clause_id": t.get("clause_id")} for t in got["tasks"]]})
    return out
