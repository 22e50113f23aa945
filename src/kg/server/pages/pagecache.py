"""Rendered pages kept in the query answers' cache (kg.query.cache.ResultCache), keyed by the data version.

A page is a function of the data version, the language, the public base and the request's path and query string:
while the data are unchanged, a page asked again is the same bytes, and a meeting's page costs about ten store
queries (8 ms). The answers' cache already bounds memory by what an entry costs and admits an entry only on its
second sighting, so a crawl of distinct pages cannot fill it. A remote store has no version: nothing is kept.
"""
from __future__ import annotations

from flask import request

from kg.server.services import Services
from kg.store.embedded import EmbeddedStore

HTML = "text/html; charset=utf-8"


def key(parts: Services, lang: str, base: str) -> str | None:
    """The cache key of this request's page, or None where pages are not kept."""
    if parts.cache is None or not isinstance(parts.store, EmbeddedStore):
        return None
    return f"page\x00{parts.store.version}\x00{lang}\x00{base}\x00{request.full_path}"


def get(parts: Services, page_key: str | None) -> bytes | None:
    """The page kept under the key, if any."""
    if page_key is None or parts.cache is None:
        return None
    hit = parts.cache.get(page_key)
    return hit[1] if hit is not None else None


def put(parts: Services, page_key: str | None, body: bytes) -> None:
    """Keep a page made for this key (the cache admits it on its second sighting)."""
    if page_key is not None and parts.cache is not None:
        parts.cache.put(page_key, HTML, body)
