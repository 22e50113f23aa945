"""Run the SPARQL engine on threads with a deep stack, so that no text the server accepts can overflow it.

pyoxigraph parses and evaluates recursively on the calling thread's stack. A Rust stack overflow is not an
exception: it aborts the whole process. On an ordinary thread (8 MiB) 2,500 nested `{` or a chain of 9,346
`&&` were enough (measured, issue 10). Brackets and prefix operators are refused past `kg.sparql.nesting.MAX_NESTING`
before the engine sees a text; what remains (chains of operators, UNION, OPTIONAL, path steps) is bounded by
the request length: at most about 50,000 levels in `Config.max_query_length` characters, at the 1-3.3 KiB
per level measured for every construct, about 170 MiB. ENGINE_STACK_BYTES leaves three times that. The stack
is reserved address space; only the pages a deep text really touches are ever committed.
"""
from __future__ import annotations

import threading
from typing import Callable, ParamSpec, TypeVar
from kg import forking

ENGINE_STACK_BYTES = 512 * 1024 * 1024

T = TypeVar("T")
P = ParamSpec("P")
_local = threading.local()
_creating = threading.Lock()      # threading.stack_size is process-wide: set it only around our own thread's start


def start(target: Callable[[], object], name: str) -> threading.Thread:
    """Start a daemon thread with the engine's deep stack; code it runs may call the engine directly."""
    def marked() -> None:
        _local.deep = True
        target()
    with _creating:
        previous = threading.stack_size(ENGINE_STACK_BYTES)
        try:
            thread = threading.Thread(target=marked, name=name, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """fn(*args, **kwargs) on a deep-stack thread (this one, if it already is), with its result or exception."""
    if on_deep_stack():
        return fn(*args, **kwargs)
    value: list[T] = []
    error: list[BaseException] = []

    def run() -> None:
        try:
            value.append(fn(*args, **kwargs))
        except BaseException as err:      # noqa: BLE001 — handed back to the caller
            # without its frames: they hold engine objects that may only be dropped on the thread that made them
            error.append(err.with_traceback(None))
    start(run, "kg-engine").join()
    if error:
        raise error[0]
    return value[0]


def _fresh_lock_in_child() -> None:
    """A process forked while another thread held the lock would wait for it forever."""
    global _creating
    _creating = threading.Lock()


forking.renew_after_fork(_fresh_lock_in_child)


def on_deep_stack() -> bool:
    """Whether the current thread was started here."""
    return getattr(_local, "deep", False)
