"""Build the dataset: load, check quotes, reason, validate, and write it out whole or not at all."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rdflib import Graph

from kg.build import downloads, ontodoc
from kg.build import provenance
from kg.build import reasoning
from kg.build import shapes
from kg.config import Config
from kg.errors import KgError, ValidationFailed
from kg.build.loading import one_home, parse_files
from kg.vocab import ENDPOINT, GRAPH_INFERRED, GRAPH_ONTOLOGY
from kg.rdfconv import graph_of, quad_of
from kg.store.embedded import DATASET_FILE, memory_store
from kg.files import umask

OUTPUTS = (*downloads.DATASET_NAMES, downloads.VOID_FILE, ontodoc.DOC_FILE)
assert DATASET_FILE in OUTPUTS     # the file kg serve and kg query open


@dataclass
class Built:
    """The outcome of a build: the store with every graph, the SHACL report and the time each step took."""

    store: ox.Store
    report: shapes.Report
    quotes_checked: int
    timings: dict[str, float] = field(default_factory=dict)


def load_sources(config: Config) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The ontology's quads (in the ontology graph) and the data's quads (in their documents' graphs, each triple
    in one graph only: loading.one_home)."""
    ontology = parse_files(config.ontology_files, ox.NamedNode(str(GRAPH_ONTOLOGY)))
    data = one_home(parse_files(config.data_files), ontology)
    return ontology, data


def load_shapes(paths: list[Path]) -> Graph:
    """The shapes graph from Turtle files, parsed strictly."""
    return graph_of(parse_files(paths, ox.NamedNode("urn:kg:shapes")))


STEPS = {"load": "reading the ontology, data and shapes", "quotes": "checking every quote against its source",
         "reason": "reasoning with HermiT", "validate": "validating with SHACL", "store": "loading the store"}


def check(config: Config, on_step: Callable[[str], None] | None = None) -> Built:
    """Everything `kg build` does short of writing files; raises on the first failing stage. `on_step` is told
    the description (STEPS) of each step as it begins, for a progress display."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    steps = iter(STEPS)
    announce = on_step or (lambda _: None)
    announce(STEPS[next(steps)])

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        following = next(steps, None)
        if following is not None:
            announce(STEPS[following])

    ontology_quads, data_quads = load_sources(config)
    ontology, data = graph_of(ontology_quads), graph_of(data_quads)
    shapes_graph = load_shapes(config.shapes_files)
    lap("load")
    quotes = provenance.check_quotes(data, config.root)
    lap("quotes")
    inferred = reasoning.infer(ontology, data) if config.reason else Graph()
    lap("reason")
    report = shapes.validate(data, shapes_graph, ontology)
    lap("validate")
    if not report.conforms:
        raise ValidationFailed(report)
    inferred_graph = ox.NamedNode(str(GRAPH_INFERRED))
    inferred_quads = [quad_of(triple, inferred_graph) for triple in inferred]
    store = memory_store(ontology_quads + data_quads + inferred_quads)
    lap("store")
    return Built(store, report, quotes, timings)


def check_writable(out_dir: Path) -> None:
    """Raise KgError at once if the output folder cannot be made there (not after a whole build)."""
    parent = Path(out_dir).resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        os.rmdir(tempfile.mkdtemp(prefix=f".{Path(out_dir).name}-", dir=parent))
    except OSError as err:
        raise KgError(f"{out_dir}: the build cannot be written there ({err.strerror or err})") from None


def write(built: Built, out_dir: Path, config: Config | None = None) -> dict[str, Path]:
    """Write every output into a fresh folder, then swap it in; a failure leaves `out_dir` untouched. The
    published files are downloads.py's; beside them the ontology's documentation (ontodoc.py)."""
    config = config or Config()
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~umask())          # mkdtemp makes it private (0700); the output is for everyone
    try:
        files = downloads.dataset_files(built.store)
        endpoint = f"{config.base_url.rstrip('/')}/sparql" if config.base_url else ENDPOINT
        void = downloads.void_file(built.store, files.values(), endpoint, config.metadata_file)
        for file in [*files.values(), void]:
            (staging / file.name).write_bytes(file.body)
        (staging / ontodoc.DOC_FILE).write_bytes(ontodoc.cached(config.ontology_files, config.doc_cache))
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {name: out_dir / name for name in OUTPUTS}


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with renames only."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
