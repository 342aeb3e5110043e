"""Lessons: from record fields (NASA LLIS) and from free text (headed sections, "should" sentences)."""

from __future__ import annotations

import re

from nlp.facts import Lesson
from nlp.structure import Para

_FIELDS = {"observation": ("driving_event_text", "observation", "observation_text"),
           "lesson": ("lesson_text", "lesson"),
           "recommendation": ("recommendation_text", "recommendation", "recommendations")}
_HEAD = re.compile(r"\b(?:lessons?[- ](?:learned|learnt|identified)|lessons?|observations?|recommendations?|"
                   r"best practices?)\b", re.I)
_SENT = re.compile(r"\bshould\b|\bit is recommended\b|\brecommend(?:s|ed|ation)\b|\blessons? (?:learned|learnt)\b"
                   r"|\bmust be\b|\bneeds? to be\b", re.I)


def from_fields(text: str, fields: dict, title: str | None) -> list[Lesson]:
    """One lesson per record: observation / lesson / recommendation from the field spans."""
    spans = {k: v for k, v in (fields or {}).items() if v and v[1] > v[0]}
    if not spans:
        return []
    got = {}
    for slot, names in _FIELDS.items():
        for n in names:
            if n in spans:
                a, b = spans[n]
                got[slot] = text[a:b].strip() or None
                break
    if not any(got.values()):
        return []
    if title is None and "title" in spans:
        a, b = spans["title"]
        title = text[a:b].strip()
    start = min(a for a, _ in spans.values())
    end = max(b for _, b in spans.values())
    return [Lesson(start, end, title, got.get("observation"), got.get("recommendation"), got.get("lesson"),
                   origin="record")]


def from_text(text: str, paras: list[Para], sentences: list[tuple[int, int]], *, sentence_rules: bool) -> list[Lesson]:
    """Headed sections ("Lessons learned", "Observations", "Recommendations") and advice sentences."""
    out: list[Lesson] = []
    covered: list[tuple[int, int]] = []
    groups: dict[str, list[Para]] = {}
    for p in paras:
        if p.heading and _HEAD.search(p.heading) and p.heading != " ".join(text[p.start:p.end].split()):
            groups.setdefault(p.heading, []).append(p)
    for heading, ps in groups.items():
        a, b = ps[0].start, ps[-1].end
        body = " ".join(text[a:b].split())
        h = heading.lower()
        lesson = Lesson(a, b, heading)
        if "recommend" in h:
            lesson.recommendation = body
        elif "observ" in h:
            lesson.observation = body
        else:
            lesson.lesson = body
        out.append(lesson)
        covered.append((a, b))
    if sentence_rules:
        run: list[tuple[int, int]] = []
        for s, e in sentences + [(len(text) + 1, len(text) + 1)]:
            hit = s <= len(text) and _SENT.search(text[s:e]) and not any(a <= s < b for a, b in covered)
            if hit and (not run or not text[run[-1][1]:s].count("\n\n")):
                run.append((s, e))
                continue
            if run:
                a, b = run[0][0], run[-1][1]
                body = " ".join(text[a:b].split())
                rec = body if re.search(r"recommend|should", body, re.I) else None
                out.append(Lesson(a, b, None, None, rec, body))
                run = [(s, e)] if hit else []
    out.sort(key=lambda x: x.start)
    return out
