"""The files the dataset is published as, made as bytes: the whole dataset in TriG, N-Quads and JSON-LD, and its
VoID/DCAT description. `kg build` writes them and the server serves the same bytes under /download/."""
from __future__ import annotations

import functools
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox
from rdflib import Graph

from kg.build import describe
from kg.query import formats
from kg.rdfconv import quad_of
from kg.vocab import PREFIXES, bind_prefixes

DATASET_FORMATS = tuple(formats.BY_NAME[name] for name in ("trig", "nquads", "jsonld"))
DATASET_NAMES = tuple(f"dataset.{fmt.rdf_format.file_extension}" for fmt in DATASET_FORMATS)
NQUADS_FILE = "dataset.nq"
VOID_FILE = "void.ttl"
VOID_FORMAT = formats.BY_NAME["turtle"]


@dataclass(frozen=True)
class Download:
    """A published file: its name, media type and bytes."""

    name: str
    media_type: str
    body: bytes

    @property
    def etag(self) -> str:
        """A strong entity tag: the SHA-256 of the bytes, so that the same file has the same tag on every server."""
        return "sha256-" + hashlib.sha256(self.body).hexdigest()

    @functools.cached_property
    def gzipped(self) -> bytes:
        """The bytes gzipped (made once, without a time stamp, so the same on every server)."""
        return gzip.compress(self.body, compresslevel=9, mtime=0)

    @property
    def distribution(self) -> describe.Distribution:
        """The file as the VoID/DCAT description names it."""
        return describe.Distribution(self.name, self.media_type, len(self.body))


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with blank nodes labelled by W3C RDF Dataset Canonicalization (RDFC-1.0) and sorted, so that the
    same graph is written byte for byte the same by every build."""
    dataset = ox.Dataset(list(quads))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def dataset_files(store: ox.Store) -> dict[str, Download]:
    """The whole dataset, canonical, in each published format, by file name."""
    quads = canonical(store)
    files = {}
    for name, fmt in zip(DATASET_NAMES, DATASET_FORMATS):
        body = ox.serialize(quads, format=fmt.rdf_format,
                            prefixes=None if fmt.rdf_format == ox.RdfFormat.N_QUADS else dict(PREFIXES))
        assert body is not None          # serialize() returns None only when given an output to write to
        files[name] = Download(name, fmt.media_type, body)
    return files


def void_file(store: ox.Store, files: Iterable[Download], endpoint: str, metadata: Path) -> Download:
    """The VoID/DCAT description of the dataset and its files, with its recorded description (`metadata`) and the
    SPARQL endpoint at `endpoint`, in canonical Turtle."""
    published = list(files)
    nquads = next(f for f in published if f.name == NQUADS_FILE)
    run = describe.selecting(store)
    void = describe.void_graph(describe.counts(store), [f.distribution for f in published],
                               describe.nquads_hash(nquads.body), endpoint=endpoint,
                               about=recorded(metadata), derived_from=describe.sources(run))
    return Download(VOID_FILE, VOID_FORMAT.media_type, turtle(void))


def recorded(metadata: Path) -> Graph:
    """The dataset's recorded description (metadata/dataset.ttl); empty for a project root without one."""
    return Graph().parse(metadata, format="turtle") if Path(metadata).is_file() else Graph()


def turtle(graph: Graph) -> bytes:
    """A graph in Turtle, its blank nodes canonical and its triples sorted, with only the prefixes it uses."""
    bind_prefixes(graph)
    triples = [q.triple for q in canonical(quad_of(triple) for triple in graph)]
    used = {str(iri): prefix for prefix, iri in graph.namespaces()
            if any(str(t).startswith(f"<{iri}") for triple in triples for t in triple)}
    body = ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                        prefixes={prefix: iri for iri, prefix in sorted(used.items())})
    assert body is not None
    return body
