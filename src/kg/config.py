"""The one configuration object: where the ontology, data and shapes are, and where builds go."""
from __future__ import annotations

import os
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True)
class Config:
    """Paths, switches and limits shared by build, validate, query and serve."""

    root: Path = field(default_factory=default_root)
    build_dir: Path = Path("build")
    reason: bool = True
    # serving
    host: str = "127.0.0.1"
    port: int = 5000
    store: str = "memory"             # "memory" (build into memory), a directory, or (later) a URL
    empty: bool = False               # start on an empty store, without the shape gate (conformance tests)
    threads: int = 8
    http_workers: int = 2             # HTTP processes when read-only with an in-memory or remote store; else 1
    preload: tuple[Path, ...] = ()    # RDF files loaded into an --empty store at start (no reasoning, no gate)
    max_query_length: int = 100_000   # characters in a query or update
    query_timeout: float = 30.0       # seconds a query may run before its process is killed (503)
    executors: int = 2                # query processes (one per core is a good start)
    max_rows: int = 100_000           # solutions in one answer; more are cut and the answer says so
    max_upload_bytes: int = 256 * 1024 * 1024   # request bodies (Graph Store uploads)
    max_concurrent: int = 16          # SPARQL and store requests in flight; more get 503 + Retry-After
    client_rate: float = 50.0         # requests a second one client may sustain …
    client_burst: int = 100           # … and send at once; more get 429 + Retry-After
    write_token: str | None = field(default=None, repr=False)
    allow_service: tuple[str, ...] = ()   # endpoints SERVICE and LOAD may reach; empty: none
    trust_proxy: tuple[str, ...] = ()     # proxies (addresses or networks) whose X-Forwarded-For names the client
    # Wikidata (kg link, kg enrich)
    wikidata_api: str = WIKIDATA_API
    wikidata_sparql: str = WIKIDATA_SPARQL
    wikidata_cache: Path = field(default_factory=lambda: Path.home() / ".cache" / "casd-kg" / "wikidata")

    def replace(self, **changes) -> "Config":
        """A copy with some settings changed."""
        return dataclasses.replace(self, **changes)

    @property
    def ontology_files(self) -> list[Path]:
        return sorted((self.root / "ontology").glob("*.ttl"))

    @property
    def data_files(self) -> list[Path]:
        data = self.root / "data"
        return sorted(p for ext in ("*.trig", "*.ttl", "*.nq") for p in data.glob(ext))

    @property
    def shapes_files(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))
