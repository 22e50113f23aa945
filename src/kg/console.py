"""The command line's console: output that outlives a reader who left, and progress for slow steps.

Only the CLI (the top layer) prints; these are its helpers.
"""
from __future__ import annotations

import os
import sys
import threading

PROGRESS_AFTER_SECONDS = 2.0     # a step that takes longer is named on the console


class Progress:
    """Names on standard error, on a terminal only, each step that has run for PROGRESS_AFTER_SECONDS."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.timer: threading.Timer | None = None

    def __call__(self, what: str) -> None:
        """The step that begins now (the previous one, if any, has ended)."""
        self.close()
        if self.enabled:
            self.timer = threading.Timer(PROGRESS_AFTER_SECONDS, lambda: print(f"kg: {what}…", file=sys.stderr, flush=True))
            self.timer.daemon = True
            self.timer.start()

    def close(self) -> None:
        """No step is running any more."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


def out(*values: object, sep: str | None = None, end: str | None = None) -> None:
    """print() to standard output that outlives a reader who left (`kg validate … | head -1`): the rest is
    discarded, and the command still ends with its own exit code (1 for violations), not 0."""
    try:
        print(*values, sep=sep, end=end)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
