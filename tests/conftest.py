"""Shared fixtures: the project's configuration, one build of the real graph, and data patching."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import build
from kg.config import Config
from kg.namespaces import PREFIXES

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def config() -> Config:
    return Config(root=ROOT)


@pytest.fixture(scope="session")
def built(config: Config) -> build.Built:
    """The real build (HermiT, pySHACL, quote check), run once per session."""
    return build.check(config)


def patched_store(config: Config, patch: Path) -> ox.Store:
    """The shipped data in a store, with a SPARQL Update fixture applied."""
    _, data = build.load_sources(config)
    store = ox.Store()
    store.extend(data)
    store.update(patch.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
    return store


def expectation(patch: Path) -> tuple[str, str]:
    """The `# expect: SHAPE PATH` line of a negative fixture."""
    match = re.search(r"^# expect: (\S+) (\S+)$", patch.read_text(encoding="utf-8"), re.M)
    assert match, f"{patch.name} has no '# expect: SHAPE PATH' line"
    return match.group(1), match.group(2)
