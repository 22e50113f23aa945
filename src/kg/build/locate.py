"""Where in a set of RDF files each resource was written, so that a report can say `file:line`.

The parsers give no positions for triples, so the files are read again as text. Turtle, TriG, N-Triples and
N-Quads are tokenised (the SPARQL tokeniser reads their terms: IRIs, prefixed names, strings, comments), prefixed
names are expanded with the file's own prefixes, and the first place a resource stands as a subject wins; failing
that, its first mention. Other formats (JSON-LD, RDF/XML) are searched for the IRI's text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kg.sparql.lexer import Token, lex, resolve

TOKENISED = {".ttl", ".trig", ".nt", ".nq"}
_SUBJECT_AFTER = {".", "{", "}"}


@dataclass(frozen=True)
class Place:
    """A file and a 1-based line."""

    file: Path
    line: int

    def __str__(self) -> str:
        """file:line, the file relative to the working folder when it lies under it."""
        file = self.file
        if file.is_absolute():
            try:
                file = file.relative_to(Path.cwd())
            except ValueError:
                pass
        return f"{file}:{self.line}"


def places(files: Iterable[Path], iris: Iterable[str]) -> dict[str, Place]:
    """For each IRI written in the files, where it was first written as a subject (else first mentioned)."""
    wanted = set(iris)
    subject: dict[str, Place] = {}
    mention: dict[str, Place] = {}
    for path in files:
        path = Path(path)
        text = path.read_text(encoding="utf-8", errors="replace")
        found = _tokenised(path, text, wanted) if path.suffix.lower() in TOKENISED else _searched(path, text, wanted)
        for iri, (line, as_subject) in found.items():
            target = subject if as_subject else mention
            target.setdefault(iri, Place(path, line))
        wanted -= set(subject)
    return {iri: subject.get(iri) or mention[iri] for iri in set(subject) | set(mention)}


def _tokenised(path: Path, text: str, wanted: set[str]) -> dict[str, tuple[int, bool]]:
    """First (line, whether as a subject) of each wanted IRI in a Turtle-family file."""
    prefixes: dict[str, str] = {}
    base = path.resolve().as_uri()
    found: dict[str, tuple[int, bool]] = {}
    toks = [t for t in lex(text) if t.kind not in ("ws", "comment")]
    previous: Token | None = None
    for i, tok in enumerate(toks):
        directive = tok.text.lower() in ("@prefix", "prefix", "@base", "base")
        if directive:
            base = _declare(toks, i, prefixes, base)
        elif tok.kind in ("iri", "pname"):
            iri = resolve(tok, prefixes, base)
            if iri in wanted:
                as_subject = previous is None or previous.text in _SUBJECT_AFTER or _ends_directive(toks, i)
                line = text.count("\n", 0, tok.start) + 1
                if iri not in found or (as_subject and not found[iri][1]):
                    found[iri] = (line, as_subject)
        previous = tok
    return found


def _declare(toks: list[Token], i: int, prefixes: dict[str, str], base: str) -> str:
    """Record the prefix or base that the directive at toks[i] declares; return the base in force."""
    word = toks[i].text.lower().lstrip("@")
    rest = toks[i + 1:i + 3]
    if word == "base" and rest and rest[0].kind == "iri":
        return resolve(rest[0], prefixes, base) or base
    if word == "prefix" and len(rest) == 2 and rest[1].kind == "iri":
        iri = resolve(rest[1], prefixes, base)
        if iri is not None:
            prefixes[rest[0].text.split(":")[0]] = iri
    return base


def _ends_directive(toks: list[Token], i: int) -> bool:
    """Whether toks[i] follows a SPARQL-style PREFIX or BASE directive, which ends without a dot."""
    if i >= 2 and toks[i - 2].text.upper() == "BASE" and toks[i - 1].kind == "iri":
        return True
    return i >= 3 and toks[i - 3].text.upper() == "PREFIX" and toks[i - 1].kind == "iri"


def _searched(path: Path, text: str, wanted: set[str]) -> dict[str, tuple[int, bool]]:
    """First line of each wanted IRI's text in a file of another format (a mention, not known as a subject)."""
    found = {}
    for iri in wanted:
        at = text.find(iri)
        if at >= 0:
            found[iri] = (text.count("\n", 0, at) + 1, False)
    return found
