"""The topics a document's own record gives it, read from the record's metadata.

Both stores filter passages by topic and report each passage's topics, so the rule lives here
once.  A record's topics are the values of its ``topic``, ``topics``, ``nasa_topics``,
``category`` or ``categories`` field (a string or a list of strings; the NASA LLIS export
calls the field ``nasa_topics``, the sample lessons ``topic``), which the record loaders keep
in ``documents.meta``.  Placeholders are not topics: the NASA export writes ``"None"`` for a
record without topics and sometimes leaves its list heading ``"Categories"`` as a first value.
Documents without such fields (reports, resolutions, lessons extracted from prose) have none.
"""

from __future__ import annotations

import re

TOPIC_FIELDS = ("topic", "topics", "nasa_topics", "category", "categories")
_PLACEHOLDERS = frozenset({"", "none", "n/a", "na", "categories", "not applicable", "not specified"})
_ASCII_WORD = re.compile(r"[a-z0-9]+")


def fold(topic: str) -> str:
    """The form two topics are compared in: case and spacing ignored."""
    return " ".join(topic.split()).lower()


def topics_of(meta: dict | None) -> list[str]:
    """The record's topics, first spelling of each kept, in field order."""
    out: dict[str, str] = {}
    for field in TOPIC_FIELDS:
        value = (meta or {}).get(field)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and fold(v) not in _PLACEHOLDERS:
                out.setdefault(fold(v), " ".join(v.split()))
    return list(out.values())


def has_topic(meta: dict | None, topic: str) -> bool:
    want = fold(topic)
    return any(fold(t) == want for t in topics_of(meta))


def prefilter_word(topic: str) -> str:
    """A lower-case ASCII word that the stored JSON of any record with this topic contains.

    Stores use it to skip most documents before parsing their metadata.  ASCII only because
    metadata is stored as JSON with non-ASCII characters escaped; empty when there is none.
    """
    words = _ASCII_WORD.findall(topic.lower())
    return max(words, key=len) if words else ""
