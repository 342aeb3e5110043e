"""The lessons-learned lifecycle: allowed and refused moves, recorded changes, re-ingest, CLI, export."""

from __future__ import annotations

import json
from itertools import product

import pytest
from click.testing import CliRunner

from kg import lifecycle, open_store
from kg.lesson_views import lesson_list, lesson_view
from missiongraph.cli import cli
from missiongraph.errors import InputError, NotFoundError

RECORDS = [
    {"id": "L-101", "title": "Convoy escorts arrived after the convoy left",
     "driving_event": "Escorts were tasked by a separate cell and reached the staging area two hours late.",
     "lesson": "Escort tasking must sit with the cell that schedules the convoy.",
     "recommendation": "Merge convoy scheduling and escort tasking in one movement control cell.",
     "mission": "MINUSMA", "date": "2016-03-02"},
    {"id": "L-102", "title": "Interpreters were not vetted before community meetings",
     "driving_event": "Two meetings were cancelled when the interpreters' affiliation became known.",
     "lesson": "Community engagement depends on interpreters the community trusts.",
     "recommendation": "Vet and rotate interpreters with civil affairs before each meeting cycle.",
     "mission": "MONUSCO", "date": "2018-09-14"},
]


def write_records(path, records) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture()
def ingested(tmp_path, extractor):
    """A lessons file (two records) ingested into a fresh store, without embeddings."""
    from ingest import IngestOptions, ingest_paths

    src = tmp_path / "lessons.jsonl"
    write_records(src, RECORDS)
    store = open_store(str(tmp_path / "store"))
    opts = IngestOptions(id_field="id", title_field="title", text_fields=["driving_event", "lesson", "recommendation"])
    report = ingest_paths(store, [src], extractor=extractor, options=opts)
    assert not report.errors, report.errors
    yield store, src, opts
    store.close()


def _key_titled(store, words: str) -> str:
    return next(r["key"] for r in store.lessons() if words in (r["title"] or ""))


def test_transitions_are_exactly_the_table(ingested):
    """Every (from, to) pair: allowed where TRANSITIONS says so, refused with the allowed moves named."""
    store, _, _ = ingested
    key = _key_titled(store, "Convoy escorts")
    for current, target in product(lifecycle.STATES, lifecycle.STATES):
        store.write_lesson_state(key, {"status": current, "owner": "Movement Control", "action_plan": "One cell",
                                       "due": None, "updated_at": None, "updated_by": None}, [])
        allowed = target in lifecycle.TRANSITIONS[current]
        if allowed:
            state = lifecycle.set_status(store, key, target, author="tester", reason="checking the table")
            assert state["status"] == target == store.lessons_by(keys=[key])[0]["status"]
        else:
            with pytest.raises(InputError) as e:
                lifecycle.set_status(store, key, target, author="tester", reason="checking the table")
            assert (f"already {current!r}" in e.value.message if target == current
                    else f"cannot go from {current!r} to {target!r}" in e.value.message)


def test_a_change_needs_an_author_and_moves_back_need_a_reason(ingested):
    store, _, _ = ingested
    key = _key_titled(store, "Interpreters")
    with pytest.raises(InputError, match="author"):
        lifecycle.set_status(store, key, "analysis", author="  ")
    with pytest.raises(InputError, match="unknown status 'done'"):
        lifecycle.set_status(store, key, "done", author="a")
    lifecycle.set_status(store, key, "analysis", author="analyst")
    with pytest.raises(InputError, match="needs a reason"):
        lifecycle.set_status(store, key, "rejected", author="analyst")
    with pytest.raises(InputError, match="needs a reason"):
        lifecycle.set_status(store, key, "observation", author="analyst")
    lifecycle.set_status(store, key, "identified", author="analyst")
    with pytest.raises(InputError, match="action body and an action plan"):
        lifecycle.set_status(store, key, "action_planned", author="chief")
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        lifecycle.assign(store, key, author="chief", due="next month")
    with pytest.raises(InputError, match="nothing to assign"):
        lifecycle.assign(store, key, author="chief")
    lifecycle.assign(store, key, author="chief", owner="Civil Affairs", action_plan="Vetting roster", due="2019-01-31")
    assert lifecycle.assign(store, key, author="chief", owner="Civil Affairs")["owner"] == "Civil Affairs"  # no change
    lifecycle.set_status(store, key, "action_planned", author="chief")
    with pytest.raises(NotFoundError, match="no lesson 'ls-000000000000'"):
        lifecycle.set_status(store, "ls-000000000000", "analysis", author="a")
    events = lifecycle.history(store, key)
    assert [(e["author"], e["field"], e["old"], e["new"]) for e in events] == [
        ("ingest", "status", None, "observation"), ("analyst", "status", "observation", "analysis"),
        ("analyst", "status", "analysis", "identified"), ("chief", "owner", None, "Civil Affairs"),
        ("chief", "action_plan", None, "Vetting roster"), ("chief", "due", None, "2019-01-31"),
        ("chief", "status", "identified", "action_planned")]   # refused attempts left no trace
    lifecycle.set_status(store, key, "implemented", author="chief")
    lifecycle.set_status(store, key, "learned", author="validator", reason="two cycles without a cancellation")
    with pytest.raises(InputError, match="reopen it"):
        lifecycle.assign(store, key, author="chief", owner="Someone else")


def test_reingest_keeps_status_and_history_and_edits_carry_over(ingested, extractor):
    """The file is changed and ingested again: a new record, one record's wording edited, one as it was."""
    from ingest import ingest_paths

    store, src, opts = ingested
    convoy, interp = _key_titled(store, "Convoy escorts"), _key_titled(store, "Interpreters")
    lifecycle.set_status(store, convoy, "analysis", author="analyst", reason="recurring in Sahel missions")
    lifecycle.set_status(store, interp, "rejected", author="analyst", reason="duplicate of an older lesson")
    before = {k: lifecycle.history(store, k) for k in (convoy, interp)}
    edited = [dict(RECORDS[0], recommendation="Merge convoy scheduling and escort tasking in a single movement "
                                              "control cell."), RECORDS[1],
              {"id": "L-103", "title": "Generators ran dry at a team site", "lesson": "Fuel stocks need a floor.",
               "mission": "UNMISS"}]
    write_records(src, edited)
    report = ingest_paths(store, [src], extractor=extractor, options=opts)
    assert not report.errors and report.files == 1
    rows = {r["title"]: r for r in store.lessons()}
    assert len(rows) == 3
    assert rows["Interpreters were not vetted before community meetings"]["key"] == interp
    assert rows["Interpreters were not vetted before community meetings"]["status"] == "rejected"
    assert lifecycle.history(store, interp) == before[interp]
    new_convoy = rows["Convoy escorts arrived after the convoy left"]
    assert new_convoy["key"] != convoy and new_convoy["status"] == "analysis"
    carried = lifecycle.history(store, new_convoy["key"])
    assert carried[:-1] == before[convoy] and carried[-1]["field"] == "key"
    assert rows["Generators ran dry at a team site"]["status"] == "observation"


def test_views_list_and_show(ingested):
    store, _, _ = ingested
    key = _key_titled(store, "Convoy escorts")
    lifecycle.set_status(store, key, "analysis", author="analyst")
    listed = lesson_list(store, status="analysis")
    assert [r["key"] for r in listed["lessons"]] == [key] and listed["lessons"][0]["source"].endswith("lessons.jsonl")
    assert lesson_list(store, mission="MONUSCO")["count"] == 1
    assert lesson_list(store, owner="nobody")["count"] == 0
    with pytest.raises(InputError, match="unknown status"):
        lesson_list(store, status="closed")
    view = lesson_view(store, key)
    assert view["status"] == "analysis" and view["next"] == ["identified", "rejected", "observation"]
    assert view["missions"] == ["MINUSMA"] and view["source"]["start"] < view["source"]["end"]
    assert view["lesson"].startswith("Escort tasking") and len(view["history"]) == 2


def test_the_command_line_moves_and_shows_a_lesson(ingested):
    store, _, _ = ingested
    key = _key_titled(store, "Interpreters")
    run = CliRunner().invoke
    base = ["--store", str(store.root), "lesson"]
    out = run(cli, [*base, "list", "--json"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.output)
    assert listed["count"] == 2 and {r["status"] for r in listed["lessons"]} == {"observation"}
    out = run(cli, [*base, "set-status", key, "analysis", "--by", "ops.analyst", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["status"] == "analysis"
    out = run(cli, [*base, "set-status", key, "learned", "--by", "ops.analyst"])
    assert out.exit_code == 1 and "cannot go from 'analysis' to 'learned'" in out.output
    out = run(cli, [*base, "assign", key, "--owner", "Civil Affairs", "--plan", "Vetting roster", "--due",
                    "2019-01-31", "--by", "chief"])
    assert out.exit_code == 0, out.output
    assert "owner: Civil Affairs" in out.output and "chief: due - -> 2019-01-31" in out.output
    shown = json.loads(run(cli, [*base, "show", key, "--json"]).output)
    assert [e["field"] for e in shown["history"]] == ["status", "status", "owner", "action_plan", "due"]
    out = run(cli, [*base, "show", "ls-ffffffffffff"])
    assert out.exit_code == 1 and "no lesson 'ls-ffffffffffff'" in out.output


def test_export_and_import_carry_the_process(ingested, tmp_path):
    from kg.transfer import export_file, import_file

    store, _, _ = ingested
    key = _key_titled(store, "Convoy escorts")
    lifecycle.set_status(store, key, "analysis", author="analyst")
    lifecycle.assign(store, key, author="chief", owner="Movement Control")
    out = export_file(store, str(tmp_path / "graph.jsonl"))
    assert out["lesson_states"] == 2
    with open_store(str(tmp_path / "copy")) as copy:
        got = import_file(copy, str(tmp_path / "graph.jsonl"))
        assert got["lesson_states"] == 2
        assert copy.lesson_states() == store.lesson_states()
        assert lifecycle.history(copy, key) == lifecycle.history(store, key)
        assert copy.lessons_by(keys=[key])[0]["status"] == "analysis"
