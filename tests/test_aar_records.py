"""After-action reports read by their own structure (nlp.aar), on the sample reports we wrote."""

from __future__ import annotations

import pytest

from corpus import sample_dir
from nlp.aar import records

SAMPLE = sample_dir()


def _read(name: str) -> str:
    return (SAMPLE / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name, titles, fields", [
    ("aar_jllis_patrol_djugu.md",
     ["Night presence at displacement sites", "Early warning from community alert networks", "Interpreters on patrol"],
     [{"observation", "discussion", "conclusion", "recommendation"},
      {"observation", "discussion", "conclusion", "recommendation"},
      {"observation", "discussion", "recommendation"}]),
    ("lessons_study_findings_unmiss.md",
     ["Residents learned of the redesignation from rumours", "Police handover without joint patrols",
      "Services kept running where partners were consulted early"],
     [{"observation", "discussion", "recommendation"},
      {"observation", "discussion", "conclusion", "recommendation"},
      {"observation", "recommendation"}]),
    ("aar_oil_election_logistics_bangui.txt", [None, None, None], [{"observation", "discussion", "lesson"}] * 3),
    ("eoa_sector_commander_west.txt", [None, None, None], [{"observation", "recommendation"}] * 3),
])
def test_one_lesson_per_labelled_block(name, titles, fields):
    text = _read(name)
    got = records(text)
    assert [r.title for r in got] == titles
    for r, want in zip(got, fields):
        have = {f for f in ("observation", "discussion", "conclusion", "lesson", "recommendation") if getattr(r, f)}
        assert have == want, (r.title, have)
        span = " ".join(text[r.start:r.end].split())
        for f in have:   # every field's words lie inside the record's span (provenance)
            assert " ".join(getattr(r, f).split()[:6]) in span.replace("**", "").replace("Recommendation 1.1: ", "")


def test_fields_hold_their_own_text_and_nothing_after_the_last_record():
    [first, *_] = records(_read("lessons_study_findings_unmiss.md"))
    assert first.recommendation.startswith("Agree the messages") and "open meetings at each site" in first.recommendation
    assert "Finding 2" not in first.recommendation and first.discussion.startswith("The communication plan")
    *_, last = records(_read("eoa_sector_commander_west.txt"))
    assert last.recommendation.endswith("county headquarters.")   # "4. HANDOVER NOTES" ends the record
    oil = records(_read("aar_oil_election_logistics_bangui.txt"))
    assert oil[1].lesson.startswith("Every hub needs a second way in")


def test_a_report_of_single_sections_is_left_to_the_section_rules():
    """One Observations, one Lessons learned and one Recommendations section: not records."""
    assert records(_read("aar_convoy_gao_kidal.md")) == []


def test_labels_in_prose_are_not_labels():
    text = ("Observation of the ceasefire was uneven across the sector.\n\n"
            "Recommendations were made by the panel in 2019, and a discussion followed.\n\n"
            "Lessons from earlier missions were not read.\n")
    assert records(text) == []


def test_ingest_stores_every_field_with_its_span(sample_store):
    docs = {d["source"].rsplit("/", 1)[-1]: d for d in sample_store.find_documents(limit=1000)}
    doc = docs["aar_jllis_patrol_djugu.md"]
    lessons = sample_store.lessons(doc_id=doc["id"])
    assert [x["title"] for x in lessons] == ["Night presence at displacement sites",
                                             "Early warning from community alert networks", "Interpreters on patrol"]
    night = lessons[0]
    assert night["conclusion"].startswith("A presence that leaves at dusk")
    assert night["discussion"].startswith("The patrol orders allowed")
    text = sample_store.get_document(doc["id"])["text"]
    assert "Night presence" in text[night["start"]:night["end"]] and night["key"].startswith("ls-")


def test_a_lesson_links_to_the_mandate_in_force_and_the_actors_it_names(sample_store):
    from kg.lesson_views import lesson_view

    docs = {d["source"].rsplit("/", 1)[-1]: d for d in sample_store.find_documents(limit=1000)}
    eoa = sample_store.lessons(doc_id=docs["eoa_sector_commander_west.txt"]["id"])
    view = lesson_view(sample_store, eoa[-1]["key"])   # Wau coordination meetings, UNMISS, 2025-02-20
    assert view["missions"] == ["UNMISS"]
    [mandate] = view["mandate_in_force"]
    assert mandate["mission"] == "UNMISS" and mandate["resolution"].startswith("S/RES/900")
    assert mandate["tasks"] and all(t["clause_id"] for t in mandate["tasks"])
    assert "Wau" in {a["name"] for a in view["actors"]}


def test_a_lessons_file_with_its_own_field_names_is_mapped_by_option(tmp_path):
    from click.testing import CliRunner

    from kg import open_store
    from missiongraph.cli import cli

    src = tmp_path / "office_lessons.csv"
    src.write_text("Ref,Heading,What happened,Why,Takeaway,Action\n"
                   'LL-7,Generators ran dry,"Two team sites ran out of fuel in week three.","Resupply was planned '
                   'monthly, use was weekly.","Fuel plans must follow use, not the calendar.","Set a minimum stock '
                   'and reorder at it."\n', encoding="utf-8")
    store = str(tmp_path / "store")
    args = ["--store", store, "ingest", str(src), "--id-field", "Ref", "--title-field", "Heading", "--lesson-fields",
            "observation=What happened,discussion=Why,lesson=Takeaway,recommendation=Action", "--json"]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 0, out.output
    with open_store(store) as s:
        [les] = s.lessons()
    assert (les["title"], les["observation"], les["discussion"]) == (
        "Generators ran dry", "Two team sites ran out of fuel in week three.", "Resupply was planned monthly, use was weekly.")
    assert les["lesson"].startswith("Fuel plans") and les["recommendation"].startswith("Set a minimum stock")
    bad = CliRunner().invoke(cli, [*args[:-2], "observation=What happened,moral=Takeaway", "--json"])
    assert bad.exit_code == 1 and "unknown lesson field 'moral'" in bad.stderr
    fresh = ["--store", str(tmp_path / "other"), *args[2:-2]]   # a new store: the file is not "unchanged" there
    missing = CliRunner().invoke(cli, [*fresh, "observation=Narrative", "--json"])
    assert missing.exit_code == 1 and "Narrative" in missing.output + missing.stderr
