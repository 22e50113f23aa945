"""What the server asks of a query evaluator: answer one query within its time, and let go of its resources.

Two evaluators keep that promise: kg.query.executor.ExecutorPool (forked query processes, which a runaway query's
deadline kills) and kg.query.inline.InlineEvaluator (threads in the HTTP process, which a deadline retires with
its process). pyoxigraph cannot cancel a running query, so the deadline must end a process either way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kg.query.executor import Answer


class Evaluator(Protocol):
    """Evaluates SPARQL queries against the store it was given, within a deadline."""

    timeout: float

    def evaluate(self, text: str, default_graphs: list[str], named_graphs: list[str], base_iri: str | None,
                 accept: str | None, requested: str | None) -> Answer:
        """The answer to one query; raises kg.query.executor.QueryTimeout when its time runs out."""

    def close(self) -> None:
        """Release what the evaluator holds (processes, files)."""
