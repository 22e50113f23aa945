"""The one configuration object: where the ontology, data and shapes are, where builds go, and how `kg serve` serves.

A serving setting that `kg serve` can change carries its command-line option in its field's metadata
(`option(...)`): the help text, the flag where it is not `--` + the field name with dashes, and the type where the
annotation is not it. The command line makes its options from those fields, so a new limit is one edit here.
"""
from __future__ import annotations

import os
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from kg.vocab import WIKIDATA_API, WIKIDATA_SPARQL

_PACKAGE_DIR = Path(__file__).resolve().parent


def default_root() -> Path:
    """The folder holding ontology/, data/ and shapes/: $KG_HOME, the checkout, or the installed copy."""
    if os.environ.get("KG_HOME"):
        return Path(os.environ["KG_HOME"]).resolve()
    checkout = _PACKAGE_DIR.parents[1]
    if (checkout / "ontology").is_dir() and (checkout / "data").is_dir():
        return checkout
    return _PACKAGE_DIR / "resources"


def option(help: str, *, flag: str | None = None, type: Any = None, metavar: str | None = None,
           auto: bool = False) -> Mapping[str, Any]:
    """Field metadata making the field a `kg serve` option; `{default}` in the help is the field's default.

    flag: when not `--` + the field name with dashes; type: the converter of one value when not the annotation's
    (a tuple field is a repeatable option, a bool one a switch); auto: unset on the command line, `kg serve` then
    picks the value when it starts (as the help says)."""
    spec = {"help": help, "flag": flag, "type": type, "metavar": metavar, "auto": auto}
    return MappingProxyType({k: v for k, v in spec.items() if v is not None and v is not False})


@dataclass(frozen=True)
class Config:
    """Paths, switches and limits shared by build, validate, query and serve."""

    root: Path = field(default_factory=default_root)
    build_dir: Path = Path("build")
    reason: bool = True
    # serving: the fields with option(...) metadata are `kg serve`'s options, in this order
    host: str = field(default="127.0.0.1", metadata=option("address to listen on (default: {default})"))
    port: int = field(default=5000, metadata=option("port to listen on (default: {default})"))
    store: str = field(default="memory", metadata=option(
        "memory (build the graph into memory) or an Oxigraph store directory"))
    empty: bool = field(default=False, metadata=option(
        "start on an empty in-memory store, without the shape gate"))
    threads: int = field(default=8, metadata=option(
        "request threads per HTTP process (default: 2 when there are several processes, else {default})", auto=True))
    http_workers: int = field(default=2, metadata=option(
        "HTTP processes for a read-only server on memory or a remote store (writable or on-disk: always 1)",
        flag="--workers"))
    preload: tuple[Path, ...] = field(default=(), metadata=option(
        "with --empty: load this RDF file into the store at start (repeatable; no reasoning, no shape gate)",
        metavar="FILE"))
    max_query_length: int = 100_000   # characters in a query or update
    query_timeout: float = field(default=30.0, metadata=option(
        "seconds a query may run (then 503)", flag="--timeout"))
    executors: int = field(default=2, metadata=option(
        "query processes; 0 evaluates in the HTTP processes (default for a read-only in-memory server, "
        "which retires a process whose query overran), else {default}", auto=True))
    max_rows: int = field(default=100_000, metadata=option(
        "solutions per answer (more are cut, with a header saying so)"))
    max_upload_bytes: int = 256 * 1024 * 1024   # request bodies (Graph Store uploads)
    max_concurrent: int = field(default=16, metadata=option("SPARQL/store requests in flight (more: 503)"))
    client_rate: float = field(default=50.0, metadata=option(
        "requests/s one client may sustain (more: 429); inf turns throttling off"))
    client_burst: int = field(default=100, metadata=option("requests one client may send at once"))
    allow_service: tuple[str, ...] = field(default=(), metadata=option(
        "an endpoint SERVICE and LOAD may reach (repeatable; none by default), e.g. https://query.wikidata.org/sparql",
        metavar="URL"))
    trust_proxy: tuple[str, ...] = field(default=(), metadata=option(
        "a reverse proxy (address or network) whose X-Forwarded-For names the client, for the "
        "per-client rate (repeatable; none by default: the peer address is the client)", metavar="ADDR"))
    base_url: str | None = field(default=None, metadata=option(
        "public base URL that https://w3id.org/casd/ redirects to; redirects and pages link under it (default: the "
        "address the request came to, e.g. http://127.0.0.1:5000)", metavar="URL"))
    # the option names the file that holds the token; `kg serve` reads it (or $KG_WRITE_TOKEN)
    write_token: str | None = field(default=None, repr=False, metadata=option(
        "file holding the write token (else $KG_WRITE_TOKEN; without one the endpoint is read-only)",
        flag="--write-token-file", type=Path))
    # Wikidata (kg link, kg enrich)
    wikidata_api: str = WIKIDATA_API
    wikidata_sparql: str = WIKIDATA_SPARQL
    wikidata_cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "casd-kg" / "wikidata")
    # the ontology's HTML documentation, kept under the hash of its inputs (kg.build.ontodoc): made once
    doc_cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "casd-kg" / "ontology-doc")

    def replace(self, **changes: Any) -> "Config":
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @property
    def ontology_files(self) -> list[Path]:
        """The ontology's Turtle files, sorted."""
        return sorted((self.root / "ontology").glob("*.ttl"))

    @property
    def data_files(self) -> list[Path]:
        """The data files (TriG, Turtle, N-Quads) of data/ and of the series' documents in data/series/, sorted."""
        folders = (self.root / "data", self.root / "data" / "series")
        return sorted(p for folder in folders for ext in ("*.trig", "*.ttl", "*.nq") for p in folder.glob(ext))

    @property
    def sources_dir(self) -> Path:
        """The source texts (data/sources/*.txt) that quotes point into and the full-text index reads."""
        return self.root / "data" / "sources"

    @property
    def metadata_file(self) -> Path:
        """The dataset's own recorded description (publisher, dates, rights), which its VoID carries."""
        return self.root / "metadata" / "dataset.ttl"

    @property
    def shapes_files(self) -> list[Path]:
        """The SHACL shapes files, sorted."""
        return sorted((self.root / "shapes").glob("*.ttl"))


def serve_options() -> list[dataclasses.Field]:
    """The Config fields that are `kg serve` options (those with option(...) metadata), in declaration order."""
    return [f for f in dataclasses.fields(Config) if "help" in f.metadata]
