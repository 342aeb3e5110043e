"""Bad input: a clear message naming the input, a non-zero exit, and nothing stored is lost."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from ingest import IngestOptions, ingest_paths
from missiongraph.cli import cli
from missiongraph.errors import InputError

GOOD = """Lessons from convoy escorts

1. Convoys that left without a route reconnaissance were delayed by roadside devices.
2. Escort commanders should agree on recovery drills with the contractor before departure.
"""


def _write_pdf(path, *, encrypt=False, truncate=False):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    if encrypt:
        w.encrypt("secret")
    with open(path, "wb") as f:
        w.write(f)
    if truncate:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


@pytest.fixture()
def good_store(store, tmp_path, extractor, embedder):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    report = ingest_paths(store, [good], extractor=extractor, embedder=embedder)
    assert report.documents == 1 and not report.errors
    return store


def test_each_bad_file_is_reported_and_nothing_is_lost(good_store, tmp_path, extractor, embedder):
    before = good_store.stats()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "junk.txt").write_bytes(bytes(range(256)) * 40)
    _write_pdf(bad / "truncated.pdf", truncate=True)
    _write_pdf(bad / "locked.pdf", encrypt=True)
    (bad / "records.jsonl").write_text('{"id": 1, "text": "fine"}\n{not json\n')
    os.symlink(bad / "missing-target.txt", bad / "dangling.txt")
    report = ingest_paths(good_store, [bad], extractor=extractor, embedder=embedder)
    failed = {os.path.basename(e["path"]): e["error"] for e in report.errors}
    assert set(failed) >= {"empty.txt", "junk.txt", "truncated.pdf", "locked.pdf", "records.jsonl", "dangling.txt"}
    for name, message in failed.items():
        assert name in message or "line" in message or message, (name, message)
    assert "empty" in failed["empty.txt"].lower()
    assert "encrypt" in failed["locked.pdf"].lower()
    assert "line 2" in failed["records.jsonl"]
    after = good_store.stats()
    assert (after["documents"], after["passages"], after["vectors"]) == (before["documents"], before["passages"],
                                                                        before["vectors"])
    assert good_store.check() == []


def test_wrong_encoding_is_read_not_garbled(store, tmp_path, extractor, embedder):
    f = tmp_path / "latin.txt"
    f.write_bytes("Rapport de la MINUSMA sur la sécurité à Gao et à Tombouctou.".encode("cp1252"))
    report = ingest_paths(store, [f], extractor=extractor, embedder=embedder)
    assert report.documents == 1, report.errors
    [doc] = store.find_documents()
    assert "sécurité" in doc["text"]


def test_missing_path(store, tmp_path, extractor, embedder):
    report = ingest_paths(store, [tmp_path / "nope"], extractor=extractor, embedder=embedder)
    assert report.errors and "nope" in report.errors[0]["path"] and "no such file" in report.errors[0]["error"]


def test_bad_overrides_are_rejected_before_anything_runs(store, tmp_path):
    with pytest.raises(InputError, match="kind"):
        ingest_paths(store, [tmp_path], options=IngestOptions(kind="novel"))
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        ingest_paths(store, [tmp_path], options=IngestOptions(date="30/04/2026"))
    with pytest.raises(InputError, match="mission"):
        ingest_paths(store, [tmp_path], options=IngestOptions(missions=["NOSUCHMISSION"]))


def test_cli_ingest_with_failures_exits_1_and_prints_summary(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "good.txt").write_text(GOOD)
    (tmp_path / "docs" / "empty.md").write_text("   \n")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "ingest", str(tmp_path / "docs"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["documents"] == 1 and len(data["errors"]) == 1 and data["errors"][0]["path"].endswith("empty.md")


def test_huge_query_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "search", "convoy " * 1500, "--mode", "keyword",
                                      "--json"])
    assert result.exit_code == 1
    assert "characters" in json.loads(result.stderr)["error"]
