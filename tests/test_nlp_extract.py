"""Extraction on real shared documents and small hand-written strings."""

from __future__ import annotations

import pytest

from missiongraph.errors import InputError
from nlp.extract import split_text, squeeze
from nlp.resolution import clauses, lead_verb

R94 = "unsc-resolutions-1946-1994"


def _read(shared_dir, rel):
    return (shared_dir / "corpus" / rel).read_text(encoding="utf-8")


@pytest.mark.shared
def test_resolution_2779(shared_dir, extractor):
    f = extractor.extract(_read(shared_dir, "unsc-2025/text/resolutions/S_RES_2779.txt"), {"source": "S_RES_2779.txt"})
    assert f.kind == "resolution" and f.symbol == "S/RES/2779 (2025)" and f.date == "2025-05-08"
    r = f.resolution
    assert "UNMISS" in r.missions and "UNMISS" in f.missions
    assert r.action == "extend" and r.mandate_until == "2026-04-30" and r.chapter_vii
    assert "S/RES/2677 (2023)" in [c.symbol for c in r.cites] and "S/RES/2779 (2025)" not in [c.symbol for c in r.cites]
    tasks = {t.task for t in r.tasks}
    assert "protection_of_civilians" in tasks and "use_of_force_authorization" in tasks
    by = {c.paragraph: c for c in r.clauses}
    assert by["1"].verb == "decides" and by["3(a)(i)"].verb == "decides" and by["PP1"].verb == "recalling"
    assert by["5"].verb == "demands" and not by["5"].tasks  # "demands" gives no mandate
    for m in f.mentions[:50]:
        assert m.start < m.end


@pytest.mark.shared
def test_sg_report_403(shared_dir, extractor):
    f = extractor.extract(_read(shared_dir, "unsc-2025/text/s_documents/S_2025_403.txt"), {"source": "S_2025_403.txt"})
    assert f.kind == "sg_report" and f.symbol == "S/2025/403" and f.date == "2025-06-23"
    assert [(r.symbol, r.paragraph) for r in f.pursuant_to][:1] == [("S/RES/2765 (2024)", "49")]
    assert f.missions[0] == "MONUSCO"
    ids = {m.entity_id for m in f.mentions}
    assert {"armedgroup:m23", "armedgroup:adf", "armedgroup:codeco"} <= ids
    assert any(i.actors for i in f.incidents)
    text = _read(shared_dir, "unsc-2025/text/s_documents/S_2025_403.txt")
    for m in f.mentions:
        assert " ".join(text[m.start:m.end].split()) == " ".join(m.text.split())


@pytest.mark.shared
def test_resolution_425_unifil(shared_dir, extractor):
    f = extractor.extract(_read(shared_dir, f"{R94}/S_RES_0425_1978_EN_GOLD.txt"))
    assert f.symbol == "S/RES/425 (1978)" and f.date == "1978-03-19"
    assert f.resolution.action == "establish" and f.resolution.missions == ["UNIFIL"]
    assert not f.resolution.chapter_vii


@pytest.mark.shared
def test_somalia_resolutions(shared_dir, extractor):
    names = {733: "S_RES_0733_1992_EN_GOLD.txt", 751: "S_RES_0751_1992_EN_GOLD.txt",
             794: "S_RES_0794_1992_EN_GOLD.txt", 814: "S_RES_0814_1993_EN_GOLD.txt"}
    got = extractor.extract_many([(_read(shared_dir, f"{R94}/{n}"), {"source": n}) for n in names.values()])
    res = {n: f.resolution for n, f in zip(names, got)}
    assert res[794].chapter_vii and res[814].chapter_vii and res[733].chapter_vii   # 733: "Decides, under Chapter VII"
    assert "use_of_force_authorization" in {t.task for t in res[794].tasks}
    assert res[751].action == "establish" and "UNOSOM" in res[751].missions
    assert "S/RES/733 (1992)" in [c.symbol for c in res[794].cites]


def test_small_resolution_text(extractor):
    text = ("Resolution 9001 (2030)\n\nAdopted by the Security Council at its 9999th meeting, on 1 May 2030\n\n"
            "The Security Council,\n\nRecalling its resolution 2779 (2025),\n\n"
            "Acting under Chapter VII of the Charter of the United Nations,\n\n"
            "1. Decides to extend the mandate of UNMISS for a period of six months;\n\n"
            "2. Requests UNMISS to support disarmament, demobilization and reintegration and security sector "
            "reform, and to monitor the cessation of hostilities;\n\n"
            "3. Condemns attacks against civilians and the use of mines;\n\n"
            "4. Urgently calls upon all parties to respect the arms embargo.\n")
    f = extractor.extract(text)
    r = f.resolution
    assert f.symbol == "S/RES/9001 (2030)" and f.date == "2030-05-01"
    assert r.action == "extend" and r.mandate_period == "P6M" and r.chapter_vii
    assert {t.task for t in r.tasks} == {"ddr", "ssr", "ceasefire_monitoring"}
    assert [c.verb for c in r.clauses if c.part == "operative"] == ["decides", "requests", "condemns", "calls upon"]
    assert [c.symbol for c in r.cites] == ["S/RES/2779 (2025)"]


def test_hints_override(extractor):
    f = extractor.extract("Some notes about a patrol.", {"kind": "after_action", "mission": "MONUC",
                                                          "date": "2024-01-02", "title": "Patrol"})
    assert (f.kind, f.missions, f.date, f.title) == ("after_action", ["MONUSCO"], "2024-01-02", "Patrol")
    with pytest.raises(InputError):
        extractor.extract("x", {"kind": "novel"})
    with pytest.raises(InputError):
        extractor.extract("x", {"mission": "NOT-A-MISSION"})
    with pytest.raises(InputError):
        extractor.extract(b"bytes")


def test_incident_rules(extractor):
    text = ("On 12 April 2025, ADF combatants attacked Oicha in Beni territory, killing 12 civilians. "
            "Three peacekeepers were injured.")
    f = extractor.extract(text, {"kind": "sg_report"})
    inc = f.incidents[0]
    assert inc.type == "attack" and inc.date == "2025-04-12" and inc.killed == 12
    assert "armedgroup:adf" in inc.actors


def test_lessons_from_fields_and_text(extractor):
    obs, les, rec = "The inverter failed.", "Controls should cover deployed units.", "Ensure modifications apply."
    text = f"Title here\n\n{obs}\n\n{les}\n\n{rec}"
    spans = {"title": (0, 10)}
    for name, part in (("driving_event_text", obs), ("lesson_text", les), ("recommendation_text", rec)):
        a = text.index(part)
        spans[name] = (a, a + len(part))
    f = extractor.extract(text, {"fields": spans, "meta": {"lesson_date": "1991-04-09"}})
    assert f.kind == "lesson" and f.date == "1991-04-09"
    [lesson] = f.lessons
    assert (lesson.origin, lesson.observation, lesson.lesson, lesson.recommendation, lesson.title) == (
        "record", obs, les, rec, "Title here")
    aar = "After action review\n\nThe convoy left late. Patrols should leave before dawn. It is recommended that radios be checked."
    g = extractor.extract(aar)
    assert g.kind == "after_action" and g.lessons and g.lessons[0].origin == "text"
    assert "before dawn" in (g.lessons[0].recommendation or "")


def test_split_and_squeeze():
    text = ("para one.\n\n" * 30000)
    pieces = split_text(text, 100_000)
    assert "".join(p for _, p in pieces) == text and all(len(p) <= 100_000 for _, p in pieces)
    s, where = squeeze("a \n  b")
    assert s == "a b" and where[2] == 5


def test_long_text_offsets(extractor):
    chunk = "UNMISS patrolled Juba. " * 5000 + "\n\n"
    text = chunk * 2  # over 100k characters: split and shifted
    f = extractor.extract(text, {"kind": "other"})
    hits = [m for m in f.mentions if m.entity_id == "mission:unmiss"]
    assert len(hits) == 10000 and all(text[m.start:m.end] == "UNMISS" for m in hits)


def test_lead_verb():
    assert lead_verb("3. Strongly condemns all attacks")[0] == "condemns"
    assert lead_verb("9. Urgently calls upon the parties")[0] == "calls upon"
    assert lead_verb("Further recalling its resolutions")[0] == "recalling"
    assert clauses("") == []


def test_field_labels_and_lettered_headings_are_not_names(extractor):
    """A record's field label on its own line ("Recommendation") runs into the first word of the
    line below once whitespace is folded; neither that nor a lettered heading is an actor."""
    text = ("Observation\nHerders moved cattle through the valley before the patrol arrived.\n\n"
            "Recommendation\nWrite the route plan with the elders of Bor.\n\n"
            "B. Humanitarian access\n\nConvoys reached Malakal after the rains.\n")
    names = {m.name for m in extractor.extract(text).mentions}
    assert not any(n.startswith(("Observation", "Recommendation", "B. ")) for n in names), names
