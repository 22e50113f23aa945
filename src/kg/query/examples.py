"""The example SPARQL queries shipped in kg/query/queries/: the questions the graph must answer."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent / "queries"


@lru_cache(maxsize=1)
def names() -> list[str]:
    """Names of the shipped queries (file names without .rq), sorted."""
    return sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


def text(name: str) -> str:
    """The query text of one shipped example."""
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")


def title(name: str) -> str:
    """The question a query answers: its first comment line."""
    first = text(name).splitlines()[0]
    return first.lstrip("# ").strip()
