"""The embedding device choice: a GPU is optional, never required, and a wrong ask fails early."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from missiongraph.cli import cli
from missiongraph.errors import ConfigError
from search.embeddings import resolve_device


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def test_cpu_and_auto_resolve():
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("CPU ") == "cpu"
    assert resolve_device("auto") == ("cuda" if _cuda() else "cpu")


def test_unknown_device_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown embedding device 'tpu'"):
        resolve_device("tpu")


def test_device_setting_from_environment(monkeypatch):
    monkeypatch.setenv("MISSIONGRAPH_DEVICE", "auto")
    assert resolve_device() == ("cuda" if _cuda() else "cpu")


@pytest.mark.skipif(_cuda(), reason="torch sees a GPU here: cuda is a valid choice")
def test_cuda_without_a_gpu_fails_before_reading_any_file(tmp_path):
    store = tmp_path / "store"
    doc = tmp_path / "note.txt"
    doc.write_text("A convoy was delayed at the river crossing for six hours.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--store", str(store), "ingest", str(doc), "--device", "cuda"])
    assert result.exit_code == 1
    assert "torch sees no CUDA GPU" in result.output
    from kg import open_store

    with open_store(str(store)) as st:
        assert st.stats()["documents"] == 0
