"""A deterministic scale corpus: peace-operations documents of any size from our own templates.

Benchmarks at 10k to 1M passages need text that behaves like ours (mission acronyms, towns,
numbers, report and clause phrasing) without embedding every passage for real.  So the corpus
is built in two layers:

1. a *sentence pool*: for each mission and template family, ``per_group`` sentences filled
   from the templates in ``corpus/scale_templates.py``.  The pool is small enough to embed
   once with the real model (``corpus/scale_vectors.py``);
2. *documents*: each passage is a few pool sentences of one mission and family, so every
   passage text, and (by derivation) its vector, comes from real embedded sentences.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same pool and the
same documents, on any machine.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from corpus import scale_templates as T

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
GAZETTEER = Path(__file__).resolve().parent.parent / "nlp" / "data" / "gazetteer.json"
FAMILIES = tuple(T.TEMPLATES)
LAST_YEAR = 2025


@dataclass(frozen=True)
class Mission:
    acronym: str
    country: str
    start: int
    end: int


@dataclass(frozen=True)
class ScaleDocument:
    """One generated document; passages are tuples of sentence ids into the pool."""
    number: int
    kind: str
    mission: str
    date: str
    title: str
    passages: tuple[tuple[int, ...], ...]


def missions() -> list[Mission]:
    """Missions with towns in ``PLACES``, their country and years from the project's gazetteer."""
    entries = json.loads(GAZETTEER.read_text(encoding="utf-8"))["entries"]
    found = {e["acronym"]: e for e in entries if e.get("type") == "Mission" and e.get("acronym") in T.PLACES}
    return [Mission(a, found[a]["country"], max(1990, int(found[a]["start"])),
                    min(LAST_YEAR, int(found[a].get("end") or LAST_YEAR)))
            for a in sorted(found)]


class SentencePool:
    """Filled template sentences, grouped by (mission, family); ids are list positions."""

    def __init__(self, per_group: int = 300, seed: int = 0):
        self.per_group, self.seed = per_group, seed
        self.missions = missions()
        self.texts: list[str] = []
        self.groups: dict[tuple[str, str], list[int]] = {}
        rng = random.Random(f"pool:{seed}")
        for m in self.missions:
            for family in FAMILIES:
                seen: set[str] = set()
                ids = self.groups.setdefault((m.acronym, family), [])
                for _ in range(per_group * 20):  # small families run out of distinct fillings
                    if len(ids) >= per_group:
                        break
                    text = fill(rng.choice(T.TEMPLATES[family]), m, rng)
                    if text not in seen:
                        seen.add(text)
                        ids.append(len(self.texts))
                        self.texts.append(text)

    def __len__(self) -> int:
        return len(self.texts)

    def passage_text(self, sentence_ids: tuple[int, ...]) -> str:
        return " ".join(self.texts[i] for i in sentence_ids)

    def document_texts(self, doc: "ScaleDocument") -> list[str]:
        """A document's passage texts; a resolution's operative paragraphs carry their numbers,
        as chunked resolutions do, so a clause repeated across renewals is one passage per text."""
        texts = [self.passage_text(p) for p in doc.passages]
        if doc.kind == "resolution":
            texts = [f"{n}. {t}" for n, t in enumerate(texts, start=1)]
        return texts


def _date(m: Mission, rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(m.start, m.end), rng.randint(1, 12), rng.randint(1, 28)


def fill(template: str, m: Mission, rng: random.Random) -> str:
    """A template with its slots filled for mission ``m``; unused slots cost nothing."""
    places = T.PLACES[m.acronym]
    place, place2 = rng.sample(places, 2)
    y, mo, d = _date(m, rng)
    y2, mo2, d2 = _date(m, rng)
    values = {
        "mission": m.acronym, "country": m.country, "place": place, "place2": place2,
        "date": f"{d} {MONTHS[mo - 1]} {y}", "date2": f"{d2} {MONTHS[mo2 - 1]} {y2}",
        "actor": rng.choice(T.ACTORS + T.GROUPS.get(m.acronym, ())),
        "group": rng.choice(T.GROUPS.get(m.acronym, T.ACTORS[:3])),
        "nat": rng.choice(T.NATIONALITIES), "unit": rng.choice(T.UNITS), "weapon": rng.choice(T.WEAPONS),
        "task": rng.choice(T.TASKS), "n": rng.randint(3, 250), "k": rng.randint(2, 12), "k2": rng.randint(1, 9),
        "h": rng.randint(2, 30), "d": rng.choice((60, 90, 120, 180)), "big": f"{rng.randint(1, 250) * 100:,}",
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def iter_documents(pool: SentencePool, n_passages: int, seed: int = 0, first_number: int = 0) -> Iterator[ScaleDocument]:
    """Documents until exactly ``n_passages`` passages are made (the last one may be cut short)."""
    rng = random.Random(f"docs:{seed}")
    kinds = list(T.KINDS)
    shares = [T.KINDS[k][0] for k in kinds]
    made, number = 0, first_number
    while made < n_passages:
        kind = rng.choices(kinds, shares)[0]
        m = rng.choice(pool.missions)
        _, fewest, most = T.KINDS[kind]
        count = min(rng.randint(fewest, most), n_passages - made)
        passages = tuple(_passage(pool, m.acronym, kind, rng) for _ in range(count))
        y, mo, d = _date(m, rng)
        title = T.TITLES[kind].format(mission=m.acronym, country=m.country, place=rng.choice(T.PLACES[m.acronym]),
                                      month=MONTHS[mo - 1], year=y)
        yield ScaleDocument(number, kind, m.acronym, f"{y:04d}-{mo:02d}-{d:02d}", title, passages)
        made += count
        number += 1


def _passage(pool: SentencePool, mission: str, kind: str, rng: random.Random) -> tuple[int, ...]:
    ids: list[int] = []
    for family, fewest, most in T.RECIPES[kind]:
        ids.extend(rng.sample(pool.groups[(mission, family)], rng.randint(fewest, most)))
    return tuple(ids)


def queries(n: int, seed: int = 0) -> list[str]:
    """``n`` search queries filled from ``QUERY_TEMPLATES`` (planners' wording, our missions and towns)."""
    rng = random.Random(f"queries:{seed}")
    ms = missions()
    out = []
    for _ in range(n):
        m = rng.choice(ms)
        out.append(rng.choice(T.QUERY_TEMPLATES).format(
            mission=m.acronym, country=m.country, place=rng.choice(T.PLACES[m.acronym]),
            group=rng.choice(T.GROUPS.get(m.acronym, T.ACTORS[:3]))))
    return out
