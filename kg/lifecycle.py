"""The lessons-learned process: a lesson's status, who owns its action, and every change.

The states follow NATO's lessons-learned process (and the UN's, which names the same steps):
an observation is submitted, analysed, identified as a lesson (or rejected), an action body is
tasked with an action plan, the action is implemented and, once validated, the lesson is
learned.  Only the moves in ``TRANSITIONS`` are allowed; each change is an event with its author,
time and reason, and nothing but these functions writes one.

State lives under the lesson's ``key`` (``lesson_key``), not its row id: re-ingesting a file
deletes and rewrites its lesson rows, and a key that comes back finds its state and history
where it left them.  A lesson whose text was edited gets a new key; ``carry_over`` matches it to
the vanished key of the same file it most resembles, and the store moves the state across in the
same transaction as the rewrite, so re-ingest never loses a status.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

from missiongraph.errors import InputError, NotFoundError

STATES = ("observation", "analysis", "identified", "action_planned", "implemented", "learned", "rejected")
INITIAL = "observation"

# state -> the states it may move to
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "observation": ("analysis", "rejected"),
    "analysis": ("identified", "rejected", "observation"),
    "identified": ("action_planned", "rejected", "analysis"),
    "action_planned": ("implemented", "identified"),
    "implemented": ("learned", "action_planned"),
    "learned": ("analysis",),          # reopened: it came back (see recurrence)
    "rejected": ("observation",),      # reopened with new information
}
FORWARD = {("observation", "analysis"), ("analysis", "identified"), ("identified", "action_planned"),
           ("action_planned", "implemented"), ("implemented", "learned")}
DESCRIPTIONS = {
    "observation": "submitted, not yet analysed",
    "analysis": "being analysed for its root cause and remedy",
    "identified": "lesson identified: a remedy is known, no one is tasked yet",
    "action_planned": "an action body is tasked with an action plan",
    "implemented": "the action is done, awaiting validation",
    "learned": "validated: the change took hold",
    "rejected": "not a lesson (duplicate, out of scope or unfounded)",
}
ASSIGNABLE = ("owner", "action_plan", "due")
STATE_FIELDS = ("key", "status", "owner", "action_plan", "due", "updated_at", "updated_by", "topic", "topic_by",
                "topic_score")
SUGGESTION = "suggestion"   # topic_by of a topic no person has confirmed yet
CARRY_MIN = 0.6   # word-set overlap (Jaccard) for an edited lesson to inherit a vanished one's state


def lesson_key(document: str, lesson) -> str:
    """A lesson's stable identity: its document's (symbol, record id, else source) and its own words.

    ``lesson`` is anything with title/observation/recommendation/lesson attributes.  Whitespace
    and case do not count, so re-extraction of the same text gives the same key.
    """
    words = " ".join(_text(lesson).lower().split())
    return "ls-" + hashlib.sha1(f"{document}\x1f{words}".encode("utf-8")).hexdigest()[:12]


def _text(lesson) -> str:
    get = lesson.get if isinstance(lesson, dict) else lambda k: getattr(lesson, k, None)
    return "\n".join(get(k) or "" for k in ("title", "observation", "recommendation", "lesson"))


_WORD = re.compile(r"\w+")


def _words(lesson) -> set[str]:
    return set(_WORD.findall(_text(lesson).lower()))


def _key(lesson) -> str:
    return lesson["key"] if isinstance(lesson, dict) else lesson.key


def carry_over(old: list[dict], new: list) -> dict[str, str]:
    """{new key: vanished old key} for lessons of one file whose key changed because their text did.

    ``old``: the file's lesson rows before the rewrite (``key`` and text fields); ``new``: the
    records about to be written (``key`` and text).  Keys present on both sides keep their state
    as they are; each remaining new lesson takes the remaining old one it overlaps most, if the
    overlap reaches ``CARRY_MIN``, each old lesson at most once.
    """
    new_keys = {_key(r) for r in new}
    gone = [o for o in old if o.get("key") and o["key"] not in new_keys]
    old_keys = {o.get("key") for o in old}
    fresh = [r for r in new if _key(r) not in old_keys]
    if not gone or not fresh:
        return {}
    pairs = []
    gone_words = [(o["key"], _words(o)) for o in gone]
    for r in fresh:
        w = _words(r)
        for k, ow in gone_words:
            union = len(w | ow)
            score = len(w & ow) / union if union else 0.0
            if score >= CARRY_MIN:
                pairs.append((score, _key(r), k))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for _, nk, ok in sorted(pairs, reverse=True):
        if nk not in out and ok not in taken:
            out[nk] = ok
            taken.add(ok)
    return out


@dataclass
class Change:
    """One recorded change: ``field`` is status or one of ASSIGNABLE."""
    field: str
    old: str | None
    new: str | None

    def event(self, author: str, reason: str | None, at: str) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new, "author": author, "reason": reason, "at": at}


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def check_status(value: str | None) -> str:
    """A status as a user types it ("action-planned", "Learned"), or a clear error."""
    status = (value or "").strip().lower().replace("-", "_").replace(" ", "_")
    if status not in STATES:
        raise InputError(f"unknown status {status!r}; use one of {', '.join(STATES)}", input=status)
    return status


def lesson_missions(store, lesson_id: int) -> list[str]:
    """The acronyms of the missions a lesson concerns (its CONCERNS relations)."""
    rels = store.relations(src=f"lesson:{lesson_id}", rel="CONCERNS", limit=50)
    return sorted({r["dst"].split(":", 1)[1].upper() for r in rels if r["dst"].startswith("mission:")})


def _author(author: str | None) -> str:
    author = (author or "").strip()
    if not author:
        raise InputError("a change needs its author (--by NAME)", input=author)
    return author


def find(store, ref: str | int) -> dict:
    """The lesson a user names: its key (``ls-…``) or its current row id."""
    text = str(ref).strip()
    rows = store.lessons_by(keys=[text]) if text.startswith("ls-") else (
        store.lessons_by(ids=[int(text)]) if text.isdigit() else [])
    if not rows:
        raise NotFoundError(f"no lesson {text!r} (give its key, ls-..., or its id from `missiongraph lesson list`)",
                            input=text)
    return rows[0]


def state_of(store, lesson: dict) -> dict:
    """The lesson's process state: status, owner, action plan, due date, when and by whom last changed."""
    got = store.lesson_states([lesson["key"]]).get(lesson["key"])
    return got or {**dict.fromkeys(STATE_FIELDS), "key": lesson["key"], "status": lesson.get("status") or INITIAL}


def set_status(store, ref: str | int, status: str, *, author: str | None, reason: str | None = None,
               at: str | None = None) -> dict:
    """Move a lesson to ``status`` if ``TRANSITIONS`` allows it; returns the new state.

    Rejecting, and any move back, needs a reason; tasking an action body needs its owner and
    action plan to be set first (``assign``), since a plan nobody owns is not a plan.
    """
    author = _author(author)
    status = check_status(status)
    lesson = find(store, ref)
    state = state_of(store, lesson)
    current = state["status"]
    if status == current:
        raise InputError(f"lesson {lesson['key']} is already {current!r}", input=status)
    if status not in TRANSITIONS[current]:
        allowed = ", ".join(TRANSITIONS[current])
        raise InputError(f"lesson {lesson['key']} cannot go from {current!r} to {status!r}; from {current!r} it may "
                         f"go to: {allowed}", input=status)
    if (current, status) not in FORWARD and not (reason or "").strip():
        raise InputError(f"moving lesson {lesson['key']} from {current!r} back or aside to {status!r} needs a reason "
                         "(--reason)", input=status)
    if status == "action_planned" and not (state.get("owner") and state.get("action_plan")):
        raise InputError(f"lesson {lesson['key']} needs an action body and an action plan before it is "
                         "action_planned (missiongraph lesson assign ... --owner BODY --plan TEXT)", input=status)
    at = at or now()
    change = Change("status", current, status)
    new_state = {**state, "status": status, "updated_at": at, "updated_by": author}
    store.write_lesson_state(lesson["key"], new_state, [change.event(author, reason, at)])
    return new_state


def assign(store, ref: str | int, *, author: str | None, owner: str | None = None, action_plan: str | None = None,
           due: str | None = None, reason: str | None = None, at: str | None = None) -> dict:
    """Task an action body: set any of owner, action plan and due date (ISO), each change recorded."""
    author = _author(author)
    if due is not None and due.strip():
        due = due.strip()
        try:
            date.fromisoformat(due)
        except ValueError as e:
            raise InputError(f"due date must be YYYY-MM-DD, got {due!r}", input=due) from e
    given = {"owner": owner, "action_plan": action_plan, "due": due}
    given = {k: (v.strip() or None) for k, v in given.items() if v is not None}
    if not given:
        raise InputError("nothing to assign: give --owner, --plan or --due", input="")
    lesson = find(store, ref)
    state = state_of(store, lesson)
    if state["status"] in ("learned", "rejected"):
        raise InputError(f"lesson {lesson['key']} is {state['status']!r}; reopen it before tasking anyone",
                         input=state["status"])
    changes = [Change(k, state.get(k), v) for k, v in given.items() if state.get(k) != v]
    if not changes:
        return state
    at = at or now()
    new_state = {**state, **given, "updated_at": at, "updated_by": author}
    store.write_lesson_state(lesson["key"], new_state, [c.event(author, reason, at) for c in changes])
    return new_state


def set_topic(store, ref: str | int, topic: str, *, author: str | None, reason: str | None = None,
              at: str | None = None) -> dict:
    """A person confirms the suggested planning topic or sets another; suggestions never replace it."""
    from kg.planning import check_topic

    author = _author(author)
    topic = check_topic(topic)
    lesson = find(store, ref)
    state = state_of(store, lesson)
    if state.get("topic") == topic and state.get("topic_by") not in (None, SUGGESTION):
        return state
    at = at or now()
    old = state.get("topic")
    why = reason or ("confirmed the suggestion" if old == topic else None)
    new_state = {**state, "topic": topic, "topic_by": author, "topic_score": None, "updated_at": at,
                 "updated_by": author}
    store.write_lesson_state(lesson["key"], new_state, [Change("topic", old, topic).event(author, why, at)])
    return new_state


def suggest_topic(store, lesson: dict, topic: str, score: float, at: str | None = None) -> int:
    """Record a suggested topic (``search.planning_topics``) unless a person has set one; 1 if written."""
    state = state_of(store, lesson)
    if state.get("topic_by") not in (None, SUGGESTION) or state.get("topic") == topic:
        return 0
    at = at or now()
    new_state = {**state, "topic": topic, "topic_by": SUGGESTION, "topic_score": score}
    store.write_lesson_state(lesson["key"], new_state, [Change("topic", state.get("topic"), topic).event(
        SUGGESTION, f"suggested (score {score:.2f}: closeness to the topic's description and its cue words)", at)])
    return 1


def history(store, ref: str | int) -> list[dict]:
    """Every recorded change of the lesson, oldest first (its extraction at ingest first of all)."""
    return store.lesson_events(find(store, ref)["key"])




def document_ident(doc) -> str:
    """What names a lesson's document across re-ingests and moved folders: its symbol, else its
    file's name (with the record id for a record of a lessons file)."""
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    if get("symbol"):
        return get("symbol")
    name = str(get("source") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name}#{get('record')}" if get("record") else name


@dataclass
class FilePlan:
    """What a file's rewrite does to lesson state (``plan_rewrite``), for the store to apply in the
    same transaction: ``carried`` {new key: old key} moves, ``first`` (key, status, event) rows
    for keys seen for the first time, ``events`` (key, event) to append."""
    carried: dict[str, str]
    first: list[tuple[str, str, dict]]
    events: list[tuple[str, dict]]


def plan_rewrite(old_rows: list[dict], bundles: list, states_of, source: str, at: str) -> FilePlan:
    """Give every lesson of ``bundles`` its key and current status, and say what state to move.

    ``old_rows``: the file's lesson rows before the rewrite; ``states_of(keys)``: the store's
    ``lesson_states``.  A lesson whose key has state keeps it; an edited one inherits the state of
    the vanished lesson it matches (``carry_over``); any other is new, in its extracted status.
    """
    lessons = []
    for b in bundles:
        ident = document_ident(b.document)
        for les in b.lessons:
            if not getattr(les, "key", None):
                les.key = lesson_key(ident, les)
            lessons.append(les)
    if not lessons:
        return FilePlan({}, [], [])
    carried = carry_over(old_rows, lessons)
    states = states_of(sorted({les.key for les in lessons} | set(carried.values())))
    plan = FilePlan({}, [], [])
    seen: set[str] = set()
    for les in lessons:
        if les.key in seen:
            continue
        seen.add(les.key)
        state = states.get(les.key)
        old = carried.get(les.key)
        if state is None and old in states:
            state = states[old]
            plan.carried[les.key] = old
            plan.events.append((les.key, Change("key", old, les.key).event(
                "ingest", f"its text changed when {source} was ingested again; status and history carried over", at)))
        if state is not None:
            les.status = state["status"]
        else:
            les.status = les.status or INITIAL
            plan.first.append((les.key, les.status, Change("status", None, les.status).event(
                "ingest", f"extracted from {source}", at)))
    for b in bundles:   # a repeated key within the file: every row shows the one state
        for les in b.lessons:
            les.status = (states.get(les.key) or states.get(plan.carried.get(les.key, ""))
                          or {"status": les.status})["status"]
    return plan
