"""The duck-typed pairs keep one interface, written down as a typing.Protocol: each member has every method of
the protocol, with the same parameters."""
from __future__ import annotations

import inspect

import pytest

from kg.query.evaluator import Evaluator
from kg.query.executor import ExecutorPool
from kg.query.inline import InlineEvaluator
from kg.store.embedded import EmbeddedStore
from kg.store.protocol import Store
from kg.store.remote import RemoteStore

PAIRS = [(Evaluator, ExecutorPool), (Evaluator, InlineEvaluator), (Store, EmbeddedStore), (Store, RemoteStore)]


def _methods(protocol: type) -> list[str]:
    return [name for name, value in vars(protocol).items() if inspect.isfunction(value) and not name.startswith("_")]


@pytest.mark.parametrize("protocol, cls", PAIRS, ids=[f"{p.__name__}-{c.__name__}" for p, c in PAIRS])
def test_each_member_keeps_the_protocol(protocol, cls):
    assert _methods(protocol)
    for name in _methods(protocol):
        mine, theirs = inspect.signature(getattr(protocol, name)), inspect.signature(getattr(cls, name))
        assert list(mine.parameters) == list(theirs.parameters), (cls.__name__, name)
