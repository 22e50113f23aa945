"""The ontology's HTML documentation, made by pyLODE (3.3.4, pinned: what follows relies on how it works), the
same bytes every time, and kept on disk under the hash of its inputs so that it is made once.

pyLODE as it comes would not do, for four reasons, each met here without changing its code:
- it shows one label of a term where it links it and runs the Turkish and the English label together in a
  heading ("ZirveSummit"): its input gets one label per term, "Turkish · English" (`bilingual`);
- it names a term's anchor after its first label with the non-ASCII letters dropped ("Katlm" for
  casd:Participation), so a hash IRI would not land: its anchors are set to the IRIs' own names first;
- it leaves alignments out (skos:exactMatch, skos:closeMatch), and owl:inverseOf and skos:editorialNote: they are
  added to the lists of properties it shows, for the time of one generation;
- it writes the members of an owl:unionOf in the order of a Python set of HTML elements, which changes from one
  process to the next: they are put in the order of their text afterwards (`_ordered_unions`).
Importing pyLODE sets the root logger to DEBUG (logging.basicConfig); the logging set-up is restored after it.
pyLODE pickles its background ontologies into its own folder on first use, and fails where that folder is
read-only; there it is given a copy of them in a temporary folder (`_writable_background`).
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from importlib.metadata import version as installed_version
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS

from kg.files import write_atomically
from kg.vocab import CASD

PYLODE = "pylode"
SHOWN_TOO = (SKOS.exactMatch, SKOS.closeMatch, OWL.inverseOf, SKOS.editorialNote)   # beside pyLODE's own
LANGUAGES = ("tr", "en")                   # a term's labels, in this order, make its one label for pyLODE
JOINER = " · "
DOC_FILE = "ontology.html"


def key(ontology_files: list[Path]) -> str:
    """The hash of what the document is made from: pyLODE's version, this module (its changes to pyLODE's page)
    and the ontology's files, names and bytes."""
    digest = hashlib.sha256(f"{PYLODE} {installed_version(PYLODE)}\n".encode())
    digest.update(hashlib.sha256(Path(__file__).read_bytes()).digest())
    for path in ontology_files:
        digest.update(f"{Path(path).name}\n".encode())
        digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def cached(ontology_files: list[Path], cache_dir: Path) -> bytes:
    """The document from the cache, or made and kept there (a cache that cannot be written is done without)."""
    path = Path(cache_dir) / f"ontology-{key(ontology_files)[:32]}.html"
    try:
        return path.read_bytes()
    except OSError:
        pass
    html = document(ontology_files)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, html)
    except OSError as err:
        logging.getLogger("kg.build").warning("the ontology's documentation is not cached: %s", err)
    return html


# pyLODE's marks of a term's kind (orange, light sky blue on white) and its own badge (grey, green, yellow) fall
# below WCAG AA's 4.5:1 contrast (axe-core in tests/browser): the same hues, dark enough
CONTRAST = (".sup-c,.sup-con{color:#8a4500}.sup-fp{color:#00557f}"
            "#pylode{color:#555}#pylode #p{color:#1d6b2c}#pylode #y{color:#6b5000}")


def document(ontology_files: list[Path]) -> bytes:
    """The HTML documentation of the ontology, made by pyLODE from a bilingual copy of it."""
    pylode = _import_pylode()
    graph = Graph()
    for path in ontology_files:
        graph.parse(path, format="turtle")
    names = {str(term): str(term)[len(str(CASD)):] for term in set(graph.subjects())
             if isinstance(term, URIRef) and str(term).startswith(str(CASD))}
    bilingual(graph)
    with _showing(pylode, SHOWN_TOO), _writable_background(pylode):
        maker = pylode.OntPub(graph)
        maker.fids.update(names)                         # anchors named after the IRIs: #Summit, #hostState
        for prop in SHOWN_TOO:
            maker.props_labeled[prop] = _property_label(maker, prop)
        html = maker.make_html()
    html = html.replace("<html>", '<html lang="en">', 1)   # pyLODE's own words are English
    html = html.replace("</head>", f"<style>{CONTRAST}</style></head>", 1)
    return _ordered_unions(html).encode("utf-8")


def bilingual(graph: Graph) -> None:
    """Give each of the ontology's terms one rdfs:label, its Turkish and English labels joined (tr · en)."""
    for term in {s for s in graph.subjects(RDFS.label) if str(s).startswith(str(CASD))}:
        labels = {label.language: str(label) for label in graph.objects(term, RDFS.label)
                  if isinstance(label, Literal)}
        if all(lang in labels for lang in LANGUAGES):
            graph.remove((term, RDFS.label, None))
            graph.add((term, RDFS.label, Literal(JOINER.join(labels[lang] for lang in LANGUAGES))))


def _import_pylode() -> ModuleType:
    """pyLODE, imported with the root logger's level and handlers kept as they were."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import pylode
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers
    return pylode


@contextmanager
def _showing(pylode: ModuleType, props: tuple[URIRef, ...]) -> Iterator[None]:
    """pyLODE's lists of the properties it shows for classes and properties, with `props` added for a while."""
    from pylode import rdf_elements
    lists = (rdf_elements.CLASS_PROPS, rdf_elements.PROP_PROPS)
    before = [list(shown) for shown in lists]
    try:
        for shown in lists:
            shown.extend(p for p in props if p not in shown)
        yield
    finally:
        for shown, kept in zip(lists, before):
            shown[:] = kept


@contextmanager
def _writable_background(pylode: ModuleType) -> Iterator[None]:
    """pyLODE reads its background ontologies from its own folder and pickles them there on first use, and fails
    (PermissionError) where that folder is read-only: there, for a while, it reads copies in a temporary folder."""
    from pylode import utils
    folder = Path(utils.RDF_FOLDER)
    if os.access(folder, os.W_OK) or all((folder / n).is_file() for n in ("refs.pickle", "refs_titles.pickle")):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="kg-pylode-") as copy:
        for source in folder.glob("*.ttl"):
            shutil.copyfile(source, Path(copy) / source.name)
        utils.RDF_FOLDER = Path(copy)
        try:
            yield
        finally:
            utils.RDF_FOLDER = folder


def _property_label(maker: Any, prop: URIRef) -> dict[str, object]:
    """How pyLODE heads the row of a property it does not list: the title and description its background
    ontologies give the property, and the title of the ontology that defines it (as pyLODE finds them)."""
    background = maker.back_onts
    from pylode.utils import make_title_from_iri
    title = background.value(prop, DCTERMS.title)
    if title is None or " " not in str(title):                 # "inverseOf": pyLODE would head it "Inverseof"
        title = Literal(make_title_from_iri(prop))
    defined_in = [name for iri, name in maker.back_onts_titles.items() if str(prop).startswith(iri)]
    return {"title": title, "description": background.value(prop, DCTERMS.description),
            "ont_title": defined_in[-1] if defined_in else None}


_MEMBER = r'<span>\s*<a href="[^"]*">[^<]*</a>\s*<sup class="[^"]*" title="[^"]*">[^<]*</sup>\s*</span>'
_JOIN = r'\s*<span class="cardinality">(?:or|and)</span>\s*'
_UNION = re.compile(f"{_MEMBER}(?:{_JOIN}{_MEMBER})+")


def _ordered_unions(html: str) -> str:
    """The members of each union or intersection in the order of their text, joined as pyLODE joined them."""
    def ordered(match: re.Match[str]) -> str:
        text = match.group(0)
        members = re.findall(_MEMBER, text)
        joins = re.split(_MEMBER, text)[1:-1]
        members.sort(key=lambda m: (re.sub(r"<[^>]*>|\s+", "", m), m))
        return "".join(m + j for m, j in zip(members, [*joins, ""]))
    return _UNION.sub(ordered, html)
