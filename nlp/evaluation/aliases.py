"""Alias resolution on the Security Council consolidated sanctions list.

Every listed entity and individual has a name and aliases.  Given any of them, written as in
the list or as running prose writes it (title case), the resolver must name the same actor, and
must not name a different one (a false merge).  Two settings: the list's aliases are known (as
in our gazetteer, which takes names and aliases from the list), and unseen aliases (only the
primary names are known), which shows how far normalisation alone goes.  The baseline is
string identity: a name is the actor whose known name it spells exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

from nlp.evaluation.report import Table
from nlp.names import NameIndex, normalise


def load(shared: Path) -> list[tuple[str, str, list[str]]]:
    """(actor id, primary name, aliases) for each listed entity and individual, Latin script only."""
    data = json.loads((shared / "gold" / "sanctions" / "UNSCR_SANCTION_LIST.json").read_text(encoding="utf-8"))
    root = data["CONSOLIDATED_LIST"]
    out = []
    for kind, key, alias_key in (("entity", "ENTITIES", "ENTITY_ALIAS"), ("individual", "INDIVIDUALS", "INDIVIDUAL_ALIAS")):
        rows = root[key][kind.upper()]
        for r in rows if isinstance(rows, list) else [rows]:
            parts = [r.get(k) for k in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            name = " ".join(str(p).strip() for p in parts if p and str(p).strip())
            aliases = r.get(alias_key) or []
            aliases = [aliases] if isinstance(aliases, dict) else aliases
            names = [a.get("ALIAS_NAME") for a in aliases if a.get("ALIAS_NAME")]
            names = [n.strip() for n in names if _latin(n) and normalise(n) and n.strip() != name]
            if _latin(name) and normalise(name):
                out.append((f"{kind}:{r.get('REFERENCE_NUMBER') or r.get('DATAID')}", name, list(dict.fromkeys(names))))
    return out


def _latin(s: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’‘–" for ch in s)


def as_prose(name: str) -> str:
    """How running text writes a listed name: title case, particles in lower case."""
    words = [w.capitalize() if w.isupper() and len(w) > 4 else w for w in name.split()]
    return " ".join(w.lower() if w.lower() in {"of", "the", "and", "al", "for", "de", "du"} and i else w
                    for i, w in enumerate(words))


def _score(actors, index_names, resolve) -> dict:
    queries = correct = wrong = 0
    for actor_id, name, aliases in actors:
        for alias in aliases:
            for q in dict.fromkeys((alias, as_prose(alias))):
                queries += 1
                got = resolve(q)
                correct += got == actor_id
                wrong += got is not None and got != actor_id
    return {"queries": queries, "accuracy": round(correct / queries, 4) if queries else 0.0,
            "false_merges": round(wrong / queries, 4) if queries else 0.0, "correct": correct, "wrong": wrong}


def _systems(known: list[tuple[str, str]]):
    exact: dict[str, set[str]] = {}
    index = NameIndex()
    for actor_id, n in known:
        exact.setdefault(n, set()).add(actor_id)
        index.add(actor_id, n)

    def baseline(q: str) -> str | None:
        ids = exact.get(q)
        return next(iter(ids)) if ids and len(ids) == 1 else None

    def ours(q: str) -> str | None:
        r = index.resolve(q)
        return r.id if r else None

    return baseline, ours


def run(shared: Path, **_: object) -> list[Table]:
    """Accuracy and false-merge rate, string identity vs ``NameIndex``, in two settings."""
    actors = [a for a in load(shared) if a[2]]
    data, rows = {"actors": len(actors)}, []
    settings = {"listed aliases known": [(i, n) for i, name, al in actors for n in (name, *al)],
                "unseen aliases": [(i, name) for i, name, _ in actors]}
    for setting, known in settings.items():
        baseline, ours = _systems(known)
        b, o = _score(actors, known, baseline), _score(actors, known, ours)
        data[setting] = {"baseline": b, "ours": o}
        rows.append([setting, b["queries"], b["accuracy"], b["false_merges"], o["accuracy"], o["false_merges"]])
    return [Table("Alias resolution on the sanctions list: string identity vs ours",
                  ["setting", "queries", "base acc", "base false", "our acc", "our false"], rows, data,
                  f"{len(actors)} listed actors with aliases; each alias asked as listed and in title case")]
