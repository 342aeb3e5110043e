"""The sample corpus: small, marked as ours, invented symbols only, shipped as package data."""

from __future__ import annotations

import configparser
import json
import re
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest

import corpus
from corpus import sample_dir, shared_dir

ROOT = Path(__file__).resolve().parent.parent
MARK = "written for the missiongraph demo"
EXPECTED = {
    "S_RES_9001_2024.txt", "S_RES_9002_2025.txt", "S_RES_9003_2024.txt", "S_2099_1.txt", "S_2099_2.md",
    "aar_convoy_gao_kidal.md", "aar_community_engagement_bor.html", "aar_ied_menaka.docx", "sample_lessons.jsonl",
    "aar_jllis_patrol_djugu.md", "aar_oil_election_logistics_bangui.txt", "lessons_study_findings_unmiss.md",
    "eoa_sector_commander_west.txt",
}
LESSON_FIELDS = {"lesson_id", "title", "date", "mission", "observation", "lesson", "recommendation", "topic"}


def _files() -> list[Path]:
    return sorted(p for p in sample_dir().rglob("*") if p.is_file())


def _docx_text(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _text(path: Path) -> str:
    return _docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8")


def test_sample_is_complete_and_small():
    files = _files()
    assert {p.name for p in files} == EXPECTED
    assert sum(p.stat().st_size for p in files) < 100_000


@pytest.mark.parametrize("name", sorted(EXPECTED - {"sample_lessons.jsonl"}))
def test_every_document_says_it_is_a_sample(name):
    head = _text(sample_dir() / name)[:600]
    assert "SAMPLE" in head and MARK in head and "Not an official" in head


def test_every_lesson_record_says_it_is_a_sample():
    for line in (sample_dir() / "sample_lessons.jsonl").read_text().splitlines():
        assert MARK in json.loads(line)["note"]


def test_symbols_stay_in_the_invented_ranges():
    """Resolutions S/RES/9001-9004, reports S/2099/N: nothing can collide with a real document."""
    for path in _files():
        text = _text(path)
        for number in re.findall(r"S/RES/(\d+)", text) + re.findall(r"[Rr]esolutions? (\d{3,5}) \(\d{4}\)", text):
            assert 9001 <= int(number) <= 9004, (path.name, number)
        for year in re.findall(r"\bS/(\d{4})/\d+", text):
            assert year == "2099", (path.name, year)


def test_resolutions_follow_the_un_layout():
    for name, number, year in (("S_RES_9001_2024.txt", 9001, 2024), ("S_RES_9002_2025.txt", 9002, 2025),
                               ("S_RES_9003_2024.txt", 9003, 2024)):
        text = (sample_dir() / name).read_text()
        assert f"S/RES/{number} ({year})" in text.splitlines()[0]
        assert f"Resolution {number} ({year})" in text
        assert re.search(r"Adopted by the Security Council at its \d+\w\w meeting, on \d{1,2} \w+ \d{4}", text)
        assert "The Security Council," in text and "Acting under Chapter VII" in text
        assert re.search(r"^1\. Decides to (establish|extend)", text, re.M)
        assert re.search(r"^\(i\) To (protect|ensure the effective protection of) civilians", text, re.M)
    assert "resolution 9001 (2024)" in (sample_dir() / "S_RES_9002_2025.txt").read_text()


def test_reports_name_the_resolution_and_period():
    one = (sample_dir() / "S_2099_1.txt").read_text()
    assert "paragraph 20 of Security Council\nresolution 9001 (2024)" in one
    assert re.search(r"^20\. Requests the Secretary-General to report", (sample_dir() / "S_RES_9001_2024.txt").read_text(),
                     re.M)
    assert "covers\ndevelopments from 1 March to 31 May 2024" in one


@pytest.mark.parametrize("name", ["aar_convoy_gao_kidal.md", "aar_community_engagement_bor.html",
                                  "aar_ied_menaka.docx"])
def test_after_action_reports_have_the_three_sections(name):
    text = _text(sample_dir() / name)
    for heading in ("Observations", "Lessons learned", "Recommendations"):
        assert heading in text


def test_lessons_records():
    rows = [json.loads(line) for line in (sample_dir() / "sample_lessons.jsonl").read_text().splitlines()]
    assert len(rows) == 12
    assert len({r["lesson_id"] for r in rows}) == 12
    for r in rows:
        assert LESSON_FIELDS <= set(r) and all(r[f] for f in LESSON_FIELDS)
        date.fromisoformat(r["date"])
        assert r["mission"] in {"UNMISS", "MONUSCO", "MINUSMA", "UNIFIL"}


def test_docx_matches_its_generator(tmp_path):
    from corpus.make_docx import build

    rebuilt = build(tmp_path / "again.docx")
    assert _docx_text(rebuilt) == _docx_text(sample_dir() / "aar_ied_menaka.docx")


def test_sample_files_are_package_data():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = [p.strip() for p in cfg["options.package_data"]["corpus"].split(",")]
    base = Path(corpus.__file__).parent
    for path in _files():
        rel = path.relative_to(base).as_posix()
        assert any(fnmatch(rel, pat) for pat in patterns), rel


def test_shared_dir_from_environment(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setenv("MISSIONGRAPH_SHARED", str(tmp_path))
    assert shared_dir() == tmp_path
    monkeypatch.setenv("MISSIONGRAPH_SHARED", str(tmp_path / "missing"))
    assert shared_dir() is None


def test_shared_dir_beside_a_project(tmp_path, monkeypatch):
    monkeypatch.delenv("MISSIONGRAPH_SHARED", raising=False)
    project = tmp_path / "project"
    project.mkdir()
    assert shared_dir(project) is None
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    assert shared_dir(project) == tmp_path / "shared"


def test_ingest_with_a_worker_process_gives_the_same_graph(tmp_path, extractor):
    """Extraction in a separate process (spawned, its own spaCy) writes what in-process does."""
    from ingest import ingest_paths
    from kg import open_store

    src = Path(__file__).resolve().parents[1] / "corpus" / "sample"
    files = sorted(p for p in src.iterdir() if p.suffix in (".txt", ".md"))[:3]
    counts = []
    for workers in (0, 1):
        with open_store(str(tmp_path / f"w{workers}")) as store:
            report = ingest_paths(store, files, extractor=extractor, workers=workers)
            assert not report.errors and report.files == len(files)
            s = store.stats()
            counts.append((report.documents, report.passages, report.entities, s["resolutions"], s["clauses"]))
    assert counts[0] == counts[1]
