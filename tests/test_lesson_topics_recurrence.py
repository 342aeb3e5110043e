"""Planning-topic suggestions, recurrence clusters and the lessons report, on a small lessons file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg import lifecycle, open_store
from kg.lesson_views import lesson_list, lesson_view
from missiongraph.errors import ConfigError, InputError

# three tellings of one lesson (escorts tasked apart from the convoy), in three missions and years,
# one lesson on DDR, one on ballots, two unrelated engineering lessons
RECORDS = [
    {"id": "R-1", "title": "Escorts were tasked by a different cell than the convoy", "mission": "MINUSMA",
     "date": "2014-05-02", "lesson": "Convoy escorts arrive late when escort tasking and convoy scheduling sit in "
     "different cells.", "recommendation": "Put convoy scheduling and escort tasking in one movement control cell."},
    {"id": "R-2", "title": "Convoy left before its escort was ready", "mission": "MINUSCA", "date": "2017-11-20",
     "lesson": "When the escort is tasked separately from the convoy schedule, convoys wait for escorts or leave "
               "without them.",
     "recommendation": "Schedule convoys and their escorts together in a single movement control cell."},
    {"id": "R-3", "title": "Escort tasking separated from convoy planning", "mission": "UNMISS", "date": "2021-03-08",
     "lesson": "Convoy escorts were late again because escort tasking was done by another cell than the one "
               "scheduling convoys.", "recommendation": "Merge escort tasking into the convoy scheduling cell."},
    {"id": "R-4", "title": "Ex-combatants waited months for reinsertion kits", "mission": "MINUSCA",
     "date": "2019-06-01", "lesson": "Ex-combatants left cantonment sites when demobilisation and reinsertion "
     "support were delayed.", "recommendation": "Fund reinsertion kits before disarmament and demobilisation start."},
    {"id": "R-5", "title": "Ballot papers reached polling stations late", "mission": "MONUSCO", "date": "2018-12-10",
     "lesson": "Ballot papers and polling kits need a delivery plan agreed with the electoral commission.",
     "recommendation": "Agree the electoral material delivery plan with the electoral commission."},
    {"id": "R-6", "title": "Bearing lubricant froze in thermal vacuum testing <script>alert(1)</script>",
     "mission": None, "date": "2009-02-02", "lesson": "A grease qualified at room temperature stiffened at low "
     "temperature.", "recommendation": "Qualify lubricants over the full thermal range."},
    {"id": "R-7", "title": "Software patch loaded to the wrong flight computer", "mission": None,
     "date": "2011-08-19", "lesson": "Configuration records did not show which unit held which load.",
     "recommendation": "Verify the configuration of each unit before and after a software load."},
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, extractor, embedder):
    from ingest import IngestOptions, ingest_paths

    root = tmp_path_factory.mktemp("lessons")
    src = root / "lessons.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    s = open_store(str(root / "store"))
    opts = IngestOptions(id_field="id", title_field="title", text_fields=["lesson", "recommendation"])
    report = ingest_paths(s, [src], extractor=extractor, embedder=embedder, options=opts)
    assert not report.errors, report.errors
    yield s
    s.close()


def _key(store, words: str) -> str:
    return next(r["key"] for r in store.lessons() if words in (r["title"] or ""))


def test_ingest_suggests_a_topic_for_every_lesson(store):
    states = store.lesson_states()
    assert len(states) == len(RECORDS)
    assert all(s["topic_by"] == lifecycle.SUGGESTION and s["topic"] and s["topic_score"] > 0 for s in states.values())
    assert states[_key(store, "reinsertion kits")]["topic"] == "ddr"
    assert states[_key(store, "Ballot papers")]["topic"] == "elections_political"
    events = lifecycle.history(store, _key(store, "reinsertion kits"))
    assert [(e["author"], e["field"], e["new"]) for e in events][-1] == ("suggestion", "topic", "ddr")


def test_a_person_sets_the_topic_and_suggestions_leave_it(store):
    from search.planning_topics import suggest_store

    key = _key(store, "wrong flight computer")
    lifecycle.set_topic(store, key, "Monitoring and evaluation", author="analyst", reason="a verification gap")
    again = suggest_store(store, refresh=True)
    assert again["confirmed_kept"] >= 1
    view = lesson_view(store, key)
    assert (view["topic"], view["topic_by"], view["topic_label"]) == ("monitoring_evaluation", "analyst",
                                                                     "Monitoring and evaluation")
    assert lesson_list(store, topic="monitoring_evaluation")["lessons"][0]["key"] == key
    with pytest.raises(InputError, match="unknown planning topic 'logistics'"):
        lifecycle.set_topic(store, key, "logistics", author="analyst")


def test_the_topic_list_is_configurable(tmp_path, monkeypatch):
    from kg.planning import check_topic, topics

    own = tmp_path / "topics.json"
    own.write_text(json.dumps({"topics": [{"id": "medical", "label": "Medical support",
                                           "description": "Casualty evacuation and field hospitals."}]}))
    monkeypatch.setenv("MISSIONGRAPH_PLANNING_TOPICS", str(own))
    assert [t.id for t in topics()] == ["medical"] and check_topic("medical support") == "medical"
    own.write_text("{not json")
    import os
    os.utime(own, (1, 1))
    with pytest.raises(ConfigError, match="topics.json"):
        topics()
    monkeypatch.setenv("MISSIONGRAPH_PLANNING_TOPICS", str(tmp_path / "none.json"))
    with pytest.raises(ConfigError, match="not found"):
        topics()


def test_the_same_lesson_in_three_missions_is_one_cluster(store):
    from search.recurrence import find_clusters

    got = find_clusters(store)
    [cluster] = [c for c in got["clusters"] if c["size"] >= 3]
    titles = {t["title"] for t in cluster["timeline"]}
    assert titles == {r["title"] for r in RECORDS[:3]}
    assert cluster["missions"] == ["MINUSCA", "MINUSMA", "UNMISS"] and cluster["times_identified"] == 3
    assert (cluster["first_year"], cluster["last_year"]) == ("2014", "2021")
    assert cluster["sentence"] == "Identified 3 times since 2014, never learned"
    assert [t["date"] for t in cluster["timeline"]] == sorted(t["date"] for t in cluster["timeline"])
    assert all(len(c["timeline"]) >= 2 for c in got["clusters"])
    assert not any("Ballot" in t["title"] or "flight computer" in t["title"]
                   for c in got["clusters"] for t in c["timeline"])
    # one of them reaches learned: the sentence says so
    key = cluster["timeline"][0]["key"]
    lifecycle.assign(store, key, author="chief", owner="Movement Control", action_plan="One cell")
    for s in ("analysis", "identified", "action_planned", "implemented", "learned"):
        lifecycle.set_status(store, key, s, author="chief")
    again = [c for c in find_clusters(store, mission="UNMISS")["clusters"] if c["id"] == cluster["id"]][0]
    assert again["learned"] == 1 and again["sentence"] == "Identified 3 times since 2014, learned 1 time"
    assert find_clusters(store, mission="MONUSCO")["count"] == 0


def test_the_report_as_csv_and_as_escaped_html(store):
    from search.lesson_report import build, write_csv, write_html

    report = build(store)
    assert report["count"] == len(RECORDS)
    buf = io.StringIO()
    write_csv(report, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == len(RECORDS) and rows[0]["date"] <= rows[-1]["date"]
    assert sum(1 for r in rows if r["recurrence"].startswith("Identified 3 times")) == 3
    page = io.StringIO()
    write_html(build(store), page)
    html = page.getvalue()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Identified 3 times since 2014" in html
    only = build(store, mission="MONUSCO")
    assert [x["title"] for x in only["lessons"]] == ["Ballot papers reached polling stations late"]
    with pytest.raises(InputError, match="unknown status"):
        build(store, status="closed")
