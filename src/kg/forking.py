"""What a forked process must make anew: locks another thread may have held at the fork, and the background
threads a process runs (threads do not survive fork). One os.register_at_fork for the whole project.
"""
from __future__ import annotations

import os
import threading
from typing import Callable

_renewals: list[Callable[[], None]] = []
_lock = threading.Lock()            # guards every PerProcess start; made anew in each child


def renew_after_fork(renew: Callable[[], None]) -> None:
    """Call `renew` in every child forked from now on, before anything else runs there (for module-level locks)."""
    _renewals.append(renew)


def _in_child() -> None:
    global _lock
    _lock = threading.Lock()        # a lock held by another thread at fork time would stay held in the child
    for renew in _renewals:
        renew()


os.register_at_fork(after_in_child=_in_child)


class PerProcess:
    """Something to start once in each process that needs it (background threads): in the process that makes it,
    and again in a forked child the first time it is wanted there."""

    def __init__(self, start: Callable[[], None]):
        self._start = start
        self._pid: int | None = None

    @property
    def here(self) -> bool:
        """Whether it has been started in this process."""
        return self._pid == os.getpid()

    def ensure(self) -> None:
        """Start it in this process unless that is done already."""
        if self._pid == os.getpid():
            return
        with _lock:
            if self._pid != os.getpid():
                self._start()
                self._pid = os.getpid()
