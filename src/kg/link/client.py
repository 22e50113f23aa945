"""Speak to the Wikidata API and query service politely: a descriptive User-Agent, retries with backoff on
429 and 5xx (honouring Retry-After), and a local cache so that a re-run sends no request at all."""
from __future__ import annotations

import hashlib
import json
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from kg import __version__
from kg.errors import KgError
from kg.vocab import WIKIDATA_API
from kg import http
from kg.files import write_atomically

USER_AGENT = (f"casd-kg/{__version__} (https://w3id.org/casd; knowledge graph of Central Asian summit diplomacy) "
              f"python-urllib")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 120.0          # seconds: a longer Retry-After is reported, not slept through
MAXLAG = "5"                     # seconds of replica lag past which the API asks us to come back (its advice)
BATCH = 50                       # ids per wbgetentities request (the API's limit for ordinary clients)


class WikidataError(KgError):
    """Wikidata (or the service configured in its place) could not be read; says which request and why."""


@dataclass
class Response:
    """A decoded JSON answer and when it was retrieved (from the service, or when the cached copy was)."""

    data: dict
    retrieved: str                # ISO 8601 UTC, seconds
    cached: bool


@dataclass
class WikidataClient:
    """The API (wbsearchentities, wbgetentities) and the SPARQL endpoint, behind a cache folder."""

    api_url: str
    sparql_url: str
    cache_dir: Path | None = None
    retries: int = 4
    backoff: float = 1.0          # seconds before the first retry; doubled each time
    timeout: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    requests_sent: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        for url in (self.api_url, self.sparql_url):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise WikidataError(f"{url!r} is not an http(s) URL of a Wikidata service (e.g. {WIKIDATA_API})")

    def search(self, text: str, language: str, limit: int = 10) -> Response:
        """Items whose label or alias starts with `text` in `language` (wbsearchentities)."""
        return self._get(self.api_url, {"action": "wbsearchentities", "search": text, "language": language,
                                        "uselang": language, "type": "item", "limit": str(limit), "format": "json",
                                        "maxlag": MAXLAG})

    def entities(self, ids: list[str], languages: list[str] | None = None) -> dict[str, tuple[dict, str]]:
        """Each id's entity JSON (a redirect answers under its target, marked `redirects`; a deleted item has
        `missing`) and its retrieval time, fetched in batches."""
        out: dict[str, tuple[dict, str]] = {}
        for start in range(0, len(ids), BATCH):
            batch = sorted(set(ids[start:start + BATCH]))
            params = {"action": "wbgetentities", "ids": "|".join(batch), "props": "info|labels|aliases|claims",
                      "redirects": "yes", "format": "json", "maxlag": MAXLAG}
            if languages:
                params["languages"] = "|".join(languages)
            response = self._get(self.api_url, params)
            entities = response.data.get("entities", {})
            for entity in entities.values():
                redirect = entity.get("redirects")
                asked = redirect["from"] if redirect else entity.get("id")
                out[asked] = (entity, response.retrieved)
        return out

    def sparql(self, query: str) -> Response:
        """SPARQL 1.1 JSON results of a query to the configured query service."""
        return self._get(self.sparql_url, {"query": query}, accept="application/sparql-results+json")

    # -- transport

    def _get(self, url: str, params: dict[str, str], accept: str = "application/json") -> Response:
        full = f"{url}?{urllib.parse.urlencode(sorted(params.items()))}"
        cached = self._cached(full)
        if cached is not None:
            return cached
        data = self._fetch(full, accept)
        if "error" in data and isinstance(data["error"], dict):
            error = data["error"]
            raise WikidataError(f"{url} refused {params.get('action', 'the query')}: "
                                f"{error.get('code', '?')}: {error.get('info', '')}")
        retrieved = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self._store(full, data, retrieved)
        return Response(data, retrieved, cached=False)

    def _fetch(self, full: str, accept: str) -> dict:
        wait = self.backoff
        for attempt in range(self.retries + 1):
            self.requests_sent += 1
            try:
                answer = http.exchange("GET", full, None, {"User-Agent": USER_AGENT, "Accept": accept}, self.timeout)
            except http.Unreachable as err:
                if attempt == self.retries:
                    raise WikidataError(f"{_short(full)}: {err.reason}") from None
            else:
                if answer.status >= 400:
                    if answer.status not in RETRY_STATUSES or attempt == self.retries:
                        raise WikidataError(f"{_short(full)}: HTTP {answer.status} {answer.reason}"
                                            + (f" after {attempt + 1} attempts" if attempt else "")) from None
                    wait = _retry_after(answer.headers.get("Retry-After"), wait)
                    if wait > MAX_RETRY_AFTER:
                        raise WikidataError(f"{_short(full)}: HTTP {answer.status}; the service asks to wait {wait:.0f} s "
                                            f"(more than {MAX_RETRY_AFTER:.0f} s): try again later") from None
                else:
                    try:
                        data = json.loads(answer.body.decode("utf-8"))
                    except (ValueError, UnicodeDecodeError) as err:
                        raise WikidataError(f"{_short(full)}: the answer is not JSON ({err})") from None
                    lagged = isinstance(data, dict) and (data.get("error") or {}).get("code") == "maxlag"
                    if not lagged or attempt == self.retries:
                        return data
                    wait = _retry_after(answer.headers.get("Retry-After"), wait)   # replicas lag: come back later
            self.sleep(wait)
            wait *= 2
        raise AssertionError("unreachable")

    def _path(self, full: str) -> Path | None:
        if self.cache_dir is None:
            return None
        digest = hashlib.sha256(full.encode("utf-8")).hexdigest()
        return self.cache_dir / digest[:2] / f"{digest}.json"

    def _cached(self, full: str) -> Response | None:
        path = self._path(full)
        if path is None or not path.is_file():
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None                      # a damaged entry is fetched again
        if record.get("url") != full:
            return None
        return Response(record["data"], record["retrieved"], cached=True)

    def _store(self, full: str, data: dict, retrieved: str) -> None:
        path = self._path(full)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps({"url": full, "retrieved": retrieved, "data": data}, ensure_ascii=False))
        except OSError as err:
            raise WikidataError(f"cannot write the cache in {self.cache_dir}: {err.strerror or err}; "
                                "give another folder with --cache") from None


def _retry_after(header: str | None, default: float) -> float:
    """Seconds from a Retry-After header (delta-seconds form), else the current backoff."""
    try:
        return max(0.0, float(header)) if header else default
    except ValueError:
        return default


def _short(url: str) -> str:
    return url if len(url) <= 160 else url[:157] + "…"
