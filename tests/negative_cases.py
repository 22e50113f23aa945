"""The negative fixtures applied to the founding data, each validated in full once per test session.

tests/test_shapes.py checks that the right shape catches each mistake; tests/test_gate.py checks that the gate's
delta check agrees with that same full report. Both read it from here, so the data is validated once per
fixture, not once per test. The base is conftest.FOUNDING (the founding document and the Wikidata graphs), a
quarter of the data: validating the whole series once per fixture would take minutes. Without the series the
base has violations of its own (the days of the 1st and 2nd meetings are the series'), so a fixture is judged by
the violations it adds: those in its report and not in the base's.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from conftest import founding_quads
from kg.build import pipeline
from kg.build import shapes
from kg.config import Config
from kg.build.loading import parse_files
from kg.vocab import PREFIXES
from kg.rdfconv import graph_of

_JUDGED: dict[Path, "Judged"] = {}
_CONTEXT: dict[str, tuple] = {}


@dataclass(frozen=True)
class Judged:
    """A fixture's exact delta on the base, the data after it, its full SHACL report and the violations it adds."""

    added: list[ox.Quad]
    removed: list[ox.Quad]
    store: ox.Store
    report: shapes.Report
    new: list[shapes.Result]


def key(result: shapes.Result) -> tuple[str, str, str]:
    """What makes a violation the same one in two reports: focus node, path and shape."""
    return (result.focus, result.path, result.source_shape)


def base(config: Config) -> tuple[list[ox.Quad], set[tuple[str, str, str]]]:
    """The base quads and the violations they already have (validated once)."""
    if "base" not in _CONTEXT:
        store = ox.Store()
        store.extend(founding_quads())
        quads = list(store)          # as a store gives them back ("1.000"^^xsd:decimal is read as 1)
        report = shapes.validate(graph_of(quads), *context(config))
        _CONTEXT["base"] = (quads, {key(r) for r in report.results if r.severity == "Violation"})
    return _CONTEXT["base"]


def context(config: Config) -> tuple:
    """The shapes and the ontology, read once."""
    if "shapes" not in _CONTEXT:
        _CONTEXT["shapes"] = (pipeline.load_shapes(config.shapes_files), graph_of(parse_files(config.ontology_files)))
    return _CONTEXT["shapes"]


def judged(config: Config, patch: Path) -> Judged:
    """The fixture applied to a copy of the base quads (so untouched blank nodes compare equal), validated."""
    if patch not in _JUDGED:
        before, known = base(config)
        copy = ox.Store()
        copy.extend(before)
        copy.update(patch.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
        after = set(copy)
        report = shapes.validate(graph_of(after), *context(config))
        new = [r for r in report.results if r.severity == "Violation" and key(r) not in known]
        _JUDGED[patch] = Judged(list(after - set(before)), list(set(before) - after), copy, report, new)
    return _JUDGED[patch]
