"""The guard against the engine on 1,500 generated SERVICE/LOAD requests: no connection to a forbidden host."""
from __future__ import annotations

import time

from fuzz_guard import run


def test_no_admitted_request_reaches_a_forbidden_host():
    started = time.monotonic()
    summary = run(1500, seed=20251202)
    assert summary.forbidden == 0, summary.line() + "\n" + "\n---\n".join(summary.culprits)
    assert summary.allowed > 50, "positive control: allowed SERVICE calls must reach the allowed listener"
    assert summary.admitted > 300 and summary.refused > 300, summary.line()
    assert time.monotonic() - started < 25
