"""What the search index holds, read from a store: every label and alias, every quote, every source text."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.store.protocol import Store
from kg.vocab import CASD, DCTERMS, OA, RDFS, SKOS

SOURCES_PREFIX = "data/sources/"     # dcterms:identifier of a text file the graph names: data/sources/<file>.txt
LABEL_LANGS = ("tr", "en")          # the language of a document's label that a source hit shows, in order


@dataclass(frozen=True)
class Entry:
    """One searchable text: an entity's label, a quote's exact words, or a source document's whole text."""

    iri: str
    kind: str                       # "entity" | "quote" | "source"
    label: str
    lang: str | None
    text: str                       # what is indexed
    prefix: str = ""                # a quote's words before and after (for its snippet)
    suffix: str = ""


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def _lang(term: object) -> str | None:
    lang = getattr(term, "language", None)
    return str(lang) if lang else None


def labels(store: Store) -> Iterator[Entry]:
    """Every rdfs:label and skos:altLabel of every IRI, in any language."""
    text = f"""SELECT DISTINCT ?s ?l WHERE {{ ?s <{RDFS.label}>|<{SKOS.altLabel}> ?l
               FILTER(isIRI(?s) && isLiteral(?l)) }}"""
    for row in _select(store, text, ("s", "l")):
        label = _value(row["l"])
        yield Entry(_value(row["s"]), "entity", label, _lang(row["l"]), label)


def quotes(store: Store) -> Iterator[Entry]:
    """Every casd:Quote's exact words, with its prefix and suffix."""
    text = f"""SELECT ?q ?exact ?prefix ?suffix WHERE {{ ?q a <{CASD.Quote}> ; <{OA.hasSelector}> ?sel .
               ?sel <{OA.exact}> ?exact . OPTIONAL {{ ?sel <{OA.prefix}> ?prefix }}
               OPTIONAL {{ ?sel <{OA.suffix}> ?suffix }} FILTER(isIRI(?q)) }}"""
    seen = set()
    for row in _select(store, text, ("q", "exact", "prefix", "suffix")):
        iri, exact = _value(row["q"]), _value(row["exact"])
        if (iri, exact) in seen:
            continue
        seen.add((iri, exact))
        yield Entry(iri, "quote", exact, _lang(row["exact"]), exact,
                    _value(row.get("prefix", "")), _value(row.get("suffix", "")))


def sources(store: Store, sources_root: Path) -> Iterator[Entry]:
    """The whole text of every document the graph names by dcterms:identifier "data/sources/<file>", read from
    sources_root/<file>; a file that is not there (a remote store's data) is left out."""
    text = f"""SELECT ?d ?id ?label WHERE {{ ?d <{DCTERMS.identifier}> ?id FILTER(isIRI(?d)
               && STRSTARTS(STR(?id), "{SOURCES_PREFIX}")) OPTIONAL {{ ?d <{RDFS.label}> ?label }} }}"""
    docs: dict[str, tuple[str, dict[str | None, str]]] = {}
    for row in _select(store, text, ("d", "id", "label")):
        iri = _value(row["d"])
        name, found = docs.setdefault(iri, (_value(row["id"])[len(SOURCES_PREFIX):], {}))
        if "label" in row:
            found.setdefault(_lang(row["label"]), _value(row["label"]))
    root = sources_root.resolve()
    for iri, (name, found) in sorted(docs.items()):
        path = (root / name).resolve()
        if path.parent != root or not path.is_file():
            continue
        lang = next((lang for lang in LABEL_LANGS if lang in found), next(iter(found), None))
        label = found.get(lang, name)
        yield Entry(iri, "source", label, lang, path.read_text(encoding="utf-8"))


def _select(store: Store, text: str, names: tuple[str, ...]) -> Iterator[dict[str, object]]:
    """The bound variables of each solution, by name."""
    for solution in store.query(text):
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term
        yield row


def entries(store: Store, sources_root: Path) -> Iterator[Entry]:
    """Everything the index holds."""
    yield from labels(store)
    yield from quotes(store)
    yield from sources(store, sources_root)
