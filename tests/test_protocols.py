"""The duck-typed pairs keep one interface, written down as a typing.Protocol: each member has every method of
the protocol, with the same parameters."""
from __future__ import annotations

import inspect

import pytest

from kg.query.evaluator import Evaluator
from kg.query.executor import ExecutorPool
from kg.query.inline import InlineEvaluator
from kg.server.limits import Admission, Cap, ConcurrencyCap, SharedCap, SharedThrottle, Throttle
from kg.store.embedded import EmbeddedStore
from kg.store.protocol import Store
from kg.store.remote import RemoteStore

PAIRS = [(Evaluator, ExecutorPool), (Evaluator, InlineEvaluator), (Store, EmbeddedStore), (Store, RemoteStore),
         (Cap, ConcurrencyCap), (Cap, SharedCap), (Admission, Throttle), (Admission, SharedThrottle)]


def _methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if inspect.isfunction(value) and not name.startswith("_")]


@pytest.mark.parametrize("protocol, cls", PAIRS, ids=[f"{p.__name__}-{c.__name__}" for p, c in PAIRS])
def test_each_member_keeps_the_protocol(protocol, cls):
    assert _methods(protocol)
    for name in _methods(protocol):
        mine, theirs = inspect.signature(getattr(protocol, name)), inspect.signature(getattr(cls, name))
        assert list(mine.parameters) == list(theirs.parameters), (cls.__name__, name)


@pytest.mark.parametrize("elapsed, tokens, expected", [(0.0, 2.0, (1.0, 0.0)), (0.0, 0.5, (0.5, 0.25)),
                                                         (10.0, 0.0, (2.0, 0.0)), (-1.0, 1.5, (0.5, 0.0))])
def test_the_token_bucket_step(elapsed, tokens, expected):
    """Refill at rate 2/s up to a burst of 3 (a clock that went back refills nothing), then take one token."""
    from kg.server.limits import take_token
    assert take_token(tokens, 100.0, 100.0 + elapsed, 2.0, 3) == expected


def test_a_per_process_start_runs_once_here_and_again_in_a_forked_child():
    """kg.forking.PerProcess: started once in this process; a forked child starts it anew on first use."""
    import os
    from kg.forking import PerProcess
    started: list[int] = []
    once = PerProcess(lambda: started.append(os.getpid()))
    once.ensure()
    once.ensure()
    assert started == [os.getpid()] and once.here
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # the child: not started here yet, then started once
        ok = not once.here
        once.ensure()
        once.ensure()
        os.write(write, b"1" if ok and started[-1] == os.getpid() and len(started) == 2 else b"0")
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1" and started == [os.getpid()]
