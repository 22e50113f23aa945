"""The negative fixtures applied to the built data, each validated in full once per test session.

tests/test_shapes.py checks that the right shape catches each mistake; tests/test_gate.py checks that the gate's
delta check agrees with that same full report. Both read it from here, so the whole graph is validated once per
fixture, not once per test.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.build import pipeline
from kg.build import shapes
from kg.config import Config
from kg.build.loading import parse_files
from kg.vocab import GRAPH_INFERRED, GRAPH_ONTOLOGY, PREFIXES
from kg.rdfconv import graph_of

_JUDGED: dict[Path, "Judged"] = {}
_CONTEXT: dict[str, tuple] = {}


@dataclass(frozen=True)
class Judged:
    """A fixture's exact delta on the asserted data, the data after it, and the full SHACL report."""

    added: list[ox.Quad]
    removed: list[ox.Quad]
    store: ox.Store
    report: shapes.Report


def asserted(built: pipeline.Built) -> list[ox.Quad]:
    """The built store's asserted quads (neither the ontology nor the inferences)."""
    return [q for q in built.store if q.graph_name.value not in (str(GRAPH_INFERRED), str(GRAPH_ONTOLOGY))]


def judged(config: Config, built: pipeline.Built, patch: Path) -> Judged:
    """The fixture applied to a copy of the asserted quads (so untouched blank nodes compare equal), validated."""
    if patch not in _JUDGED:
        if "shapes" not in _CONTEXT:
            _CONTEXT["shapes"] = (pipeline.load_shapes(config.shapes_files), graph_of(parse_files(config.ontology_files)))
        shapes_graph, ontology = _CONTEXT["shapes"]
        before = asserted(built)
        copy = ox.Store()
        copy.extend(before)
        copy.update(patch.read_text(encoding="utf-8"), prefixes=dict(PREFIXES))
        after = set(copy)
        report = shapes.validate(graph_of(after), shapes_graph, ontology)
        _JUDGED[patch] = Judged(list(after - set(before)), list(set(before) - after), copy, report)
    return _JUDGED[patch]
