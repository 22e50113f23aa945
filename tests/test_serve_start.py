"""`kg serve` on a port that is taken: one line and exit 2 at once, never a shared port or a traceback (issue 11)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

from conftest import start_kg_serve, stop


def _serve_on(port: int) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KG_WRITE_TOKEN"}
    return subprocess.run([sys.executable, "-m", "kg", "serve", "--port", str(port)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_port_another_kg_serve_holds_is_refused_before_the_build():
    proc, port = start_kg_serve("--empty", writable=False)
    try:
        second = _serve_on(port)
    finally:
        stop(proc)
    lines = second.stderr.strip().splitlines()
    assert second.returncode == 2 and len(lines) == 1, second.stderr
    assert lines[0].startswith(f"kg: error: cannot listen on 127.0.0.1:{port}") and "another server" in lines[0]


def test_a_port_another_program_holds_is_one_line_too():
    with socket.create_server(("127.0.0.1", 0)) as held:
        second = _serve_on(held.getsockname()[1])
    assert second.returncode == 2 and len(second.stderr.strip().splitlines()) == 1, second.stderr
    assert "Traceback" not in second.stderr
