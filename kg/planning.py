"""Planning topics: the areas of a mission plan a lesson can be filed under.

The default list is ``nlp/data/planning_topics.json`` (the areas a mission plan covers, from
situational analysis to DDR); the ``planning_topics`` setting names a JSON file of the same
shape that replaces it, so an office can use its own list.  Suggesting a topic needs the
embedding model and lives in ``search.planning_topics``; this module only knows the list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from missiongraph.errors import ConfigError, InputError

DEFAULT = Path(__file__).resolve().parent.parent / "nlp" / "data" / "planning_topics.json"


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    description: str
    cues: tuple[str, ...]


def topics_file() -> Path:
    from missiongraph import settings

    value = (settings.get("planning_topics") or "").strip()
    return Path(value).expanduser() if value else DEFAULT


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> tuple[Topic, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = data["topics"]
        out = tuple(Topic(str(r["id"]), str(r["label"]), str(r["description"]),
                          tuple(str(c).lower() for c in r.get("cues", []))) for r in rows)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ConfigError(f"planning topics file {path}: cannot be read as a list of topics with id, label and "
                          f"description ({type(e).__name__}: {e})", input=path) from e
    ids = [t.id for t in out]
    if not out or len(set(ids)) != len(ids) or not all(ids):
        raise ConfigError(f"planning topics file {path}: topic ids must be present and distinct", input=path)
    return out


def topics() -> tuple[Topic, ...]:
    path = topics_file()
    try:
        mtime = path.stat().st_mtime
    except OSError as e:
        raise ConfigError(f"planning topics file {path} not found (setting planning_topics)", input=str(path)) from e
    return _load(str(path), mtime)


def check_topic(value: str) -> str:
    """A topic id as given by a user (its id or its label, any case), or a clear error."""
    want = " ".join((value or "").split()).lower().replace(" ", "_")
    for t in topics():
        if want in (t.id, t.label.lower().replace(" ", "_")):
            return t.id
    raise InputError(f"unknown planning topic {value!r}; use one of {', '.join(t.id for t in topics())}", input=value)


def label_of(topic_id: str | None) -> str | None:
    return next((t.label for t in topics() if t.id == topic_id), topic_id)
