"""Exceptions that carry a message a researcher can act on; the CLI turns them into one line."""
from __future__ import annotations

import re


class KgError(Exception):
    """Base class: anything the user can fix by changing input or configuration."""

    exit_code = 2


class InputError(KgError):
    """A file that is missing, unreadable or not valid RDF; names the file and line."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column = path, line, column
        where = path if line is None else f"{path}:{line}" + (f":{column}" if column else "")
        super().__init__(f"{where}: {message}")


class InconsistentOntology(KgError):
    """The reasoner found the ontology together with the data unsatisfiable."""


class ValidationFailed(KgError):
    """The data violates the SHACL shapes; carries the report for printing."""

    exit_code = 1

    def __init__(self, report):
        self.report = report
        super().__init__(f"SHACL validation failed: {report.violation_count} violation(s)")


class ProvenanceError(KgError):
    """A quote in the data does not match the source text at its offsets."""


class UpdateError(KgError):
    """An update the engine refused or could not apply; the store is unchanged."""


class QueryError(KgError):
    """A SPARQL query that the engine rejected, with the parser's message."""


def redact(message: str) -> str:
    """An engine error without the body a remote endpoint sent (it may hold anything that host chooses)."""
    return re.sub(r"\s*with payload:.*", " (the remote response body is not shown)", message, flags=re.S)
