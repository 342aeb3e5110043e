"""CLI behaviour that needs no models: help, docs, lazy imports, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from missiongraph import __version__
from missiongraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("torch", "sentence_transformers", "spacy", "faiss", "neo4j", "transformers", "pypdf", "docx")


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    runner = CliRunner()
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"
        assert f"missiongraph {name}" in readme, f"{name} is missing from README.md"
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_light_commands_import_no_heavy_library(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from missiongraph.cli import cli\n"
        "import kg, ingest, nlp, search, webapp, kg.views\n"
        f"r = CliRunner().invoke(cli, ['--store', {str(tmp_path / 's')!r}, 'stats', '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_stats_on_empty_store(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "stats", "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["documents"] == 0 and data["backend"] == "sqlite"


def test_store_from_environment(tmp_path):
    result = CliRunner().invoke(cli, ["stats", "--json"], env={"MISSIONGRAPH_STORE": str(tmp_path / "env-store")})
    assert json.loads(result.output)["store"] == str((tmp_path / "env-store").resolve())


def test_unknown_resolution_is_a_json_error(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "resolution", "S/RES/9999 (2031)", "--json"])
    assert result.exit_code == 1
    err = json.loads(result.stderr)
    assert set(err) == {"error", "input"} and err["input"] == "S/RES/9999 (2031)"
    assert "S/RES/9999 (2031)" in err["error"]


def test_bad_symbol_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "resolution", "not-a-symbol"])
    assert result.exit_code == 1 and "not a resolution symbol" in result.stderr


def test_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "search"])
    assert result.exit_code == 2


def test_check_on_healthy_store(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "check", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == {"ok": True, "problems": []}


def test_unknown_backend_url(tmp_path):
    result = CliRunner().invoke(cli, ["--store", "redis://x", "stats", "--json"])
    assert result.exit_code == 1 and "unknown store backend" in json.loads(result.stderr)["error"]
