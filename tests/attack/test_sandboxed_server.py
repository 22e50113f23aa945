"""The HTTP processes of a server that may fetch nothing run under the seccomp filter; others do not."""
from __future__ import annotations

import pytest

from conftest import start_kg_serve, stop
from deep_texts import children


def _seccomp_modes(pid: int) -> set[str]:
    modes = set()
    for worker in children(pid):
        status = open(f"/proc/{worker}/status", encoding="utf-8").read()
        modes.add(status.split("Seccomp:")[1].split()[0])
    return modes


@pytest.mark.parametrize("args, mode", [((), "2"), (("--allow-service", "http://127.0.0.1:9/sparql"), "0")])
def test_workers_are_filtered_unless_something_may_be_fetched(args, mode):
    proc, _ = start_kg_serve("--empty", "--workers", "2", *args, writable=False)
    try:
        assert _seccomp_modes(proc.pid) == {mode}          # 2: a seccomp filter is in force; 0: none
    finally:
        stop(proc)
