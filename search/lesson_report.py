"""A lessons report people hand on: every lesson of a topic or mission with its status, owner,
recurrence and source, as CSV (for a spreadsheet) or a printable HTML page.

HTML goes through Jinja2 with autoescaping on, so a lesson's text can never become markup.
"""

from __future__ import annotations

import csv
from typing import IO

from kg import lifecycle
from kg.planning import check_topic, label_of

COLUMNS = ("key", "id", "title", "status", "owner", "action_plan", "due", "topic", "topic_by", "missions", "date",
           "source", "symbol", "start", "end", "recurrence", "cluster", "times_identified", "lesson",
           "recommendation")


def build(store, *, topic: str | None = None, mission: str | None = None, status: str | None = None) -> dict:
    """The report's rows: lessons matching every filter given, oldest first, each with its cluster."""
    from search.recurrence import find_clusters

    topic = check_topic(topic) if topic else None
    if status is not None:
        status = status.strip().lower().replace("-", "_")
        if status not in lifecycle.STATES:
            from missiongraph.errors import InputError

            raise InputError(f"unknown status {status!r}; use one of {', '.join(lifecycle.STATES)}", input=status)
    mission = mission.strip().upper() if mission else None
    clusters = find_clusters(store)["clusters"]
    in_cluster = {t["key"]: c for c in clusters for t in c["timeline"]}
    rows, seen = [], set()
    for r in store.lessons(limit=10**9, status=status):
        if not r.get("key") or r["key"] in seen:
            continue
        seen.add(r["key"])
        rows.append(r)
    states = store.lesson_states([r["key"] for r in rows])
    docs = {d["id"]: d for d in store.lessons_by(ids=[r["id"] for r in rows])} if rows else {}
    out = []
    for r in rows:
        st = states.get(r["key"]) or {}
        missions = sorted({x["dst"].split(":", 1)[1].upper() for x in store.relations(
            src=f"lesson:{r['id']}", rel="CONCERNS", limit=50) if x["dst"].startswith("mission:")})
        if topic and st.get("topic") != topic or mission and mission not in missions:
            continue
        d = docs.get(r["id"], {})
        c = in_cluster.get(r["key"])
        out.append({"key": r["key"], "id": r["id"], "title": r.get("title") or _first(r), "status": st.get("status")
                    or r["status"], "owner": st.get("owner"), "action_plan": st.get("action_plan"),
                    "due": st.get("due"), "topic": label_of(st.get("topic")) if st.get("topic") else None,
                    "topic_by": st.get("topic_by"), "missions": missions, "date": d.get("doc_date"),
                    "source": d.get("source"), "symbol": d.get("symbol"), "start": r["start"], "end": r["end"],
                    "recurrence": c["sentence"] if c else None, "cluster": c["id"] if c else None,
                    "times_identified": c["times_identified"] if c else 1, "lesson": r.get("lesson"),
                    "recommendation": r.get("recommendation")})
    out.sort(key=lambda x: (x["date"] or "9999", x["id"]))
    counts: dict[str, int] = {}
    for x in out:
        counts[x["status"]] = counts.get(x["status"], 0) + 1
    return {"title": _heading(topic, mission, status), "filters": {"topic": topic, "mission": mission,
                                                                   "status": status},
            "count": len(out), "by_status": {s: counts[s] for s in lifecycle.STATES if s in counts},
            "generated": lifecycle.now(), "lessons": out}


def _first(r: dict) -> str:
    text = " ".join((r.get("lesson") or r.get("recommendation") or r.get("observation") or "").split())
    return text[:120]


def _heading(topic, mission, status) -> str:
    parts = [label_of(topic) if topic else None, mission, f"status {status}" if status else None]
    named = ", ".join(p for p in parts if p)
    return f"Lessons report: {named}" if named else "Lessons report: all lessons"


def write_csv(report: dict, fh: IO[str]) -> None:
    w = csv.writer(fh)
    w.writerow(COLUMNS)
    for x in report["lessons"]:
        w.writerow(["; ".join(x[c]) if isinstance(x[c], list) else ("" if x[c] is None else x[c]) for c in COLUMNS])


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ r.title }}</title>
<style>
body { font: 11pt/1.4 Georgia, serif; margin: 2em; color: #111; }
h1 { font-size: 16pt; margin-bottom: 0.2em; }
.meta { color: #555; font-size: 9pt; margin-bottom: 1.5em; }
.lesson { border-top: 1px solid #bbb; padding: 0.6em 0; page-break-inside: avoid; }
.lesson h2 { font-size: 12pt; margin: 0 0 0.3em; }
.status { font: bold 8pt sans-serif; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 5px;
          border: 1px solid #444; }
.learned { background: #dfd; } .rejected { background: #eee; color: #666; }
.recurs { color: #a30; font-weight: bold; }
dl { margin: 0.3em 0; } dt { font-weight: bold; display: inline; } dd { display: inline; margin: 0 1em 0 0.3em; }
.src { font: 8pt monospace; color: #444; }
@media print { body { margin: 1cm; } a { color: inherit; text-decoration: none; } }
</style></head><body>
<h1>{{ r.title }}</h1>
<div class="meta">{{ r.count }} lessons{% for s, n in r.by_status.items() %} &middot; {{ n }} {{ s }}{% endfor %}
 &middot; generated {{ r.generated }} by missiongraph</div>
{% for x in r.lessons %}
<div class="lesson">
 <h2>{{ x.title }} <span class="status {{ x.status }}">{{ x.status }}</span></h2>
 {% if x.recurrence %}<div class="recurs">{{ x.recurrence }}</div>{% endif %}
 <dl>
  {% if x.missions %}<dt>Missions</dt><dd>{{ x.missions|join(", ") }}</dd>{% endif %}
  {% if x.date %}<dt>Date</dt><dd>{{ x.date }}</dd>{% endif %}
  {% if x.topic %}<dt>Topic</dt><dd>{{ x.topic }}{% if x.topic_by == "suggestion" %} (suggested){% endif %}</dd>{% endif %}
  {% if x.owner %}<dt>Owner</dt><dd>{{ x.owner }}</dd>{% endif %}
  {% if x.due %}<dt>Due</dt><dd>{{ x.due }}</dd>{% endif %}
 </dl>
 {% if x.lesson %}<p><strong>Lesson.</strong> {{ x.lesson }}</p>{% endif %}
 {% if x.recommendation %}<p><strong>Recommendation.</strong> {{ x.recommendation }}</p>{% endif %}
 {% if x.action_plan %}<p><strong>Action plan.</strong> {{ x.action_plan }}</p>{% endif %}
 <div class="src">{{ x.key }} &middot; {{ x.symbol or x.source }} [{{ x.start }}-{{ x.end }}]</div>
</div>
{% endfor %}
</body></html>
"""


def write_html(report: dict, fh: IO[str]) -> None:
    from jinja2 import Environment

    fh.write(Environment(autoescape=True).from_string(_PAGE).render(r=report))
