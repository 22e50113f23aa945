"""Files served as they are, from the package's static/ folder (the vendored YASGUI, the pages' stylesheet): each
read once per process, with a strong ETag of its content, and its gzip form made once rather than per request.

Not send_from_directory: Flask's ETag would name the gzip form the envelope makes and the plain file alike, while
a strong ETag must differ between encodings (RFC 9110 §8.8.3), and the envelope would compress a 1 MB script
on every request. Paths under a versioned folder (vendor/NAME-VERSION/) never change, so they are cached for a
year; the rest must be revalidated (cheap: 304 on If-None-Match)."""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import request

from kg.server import responses
from kg.server.reply import Reply

ROOT = Path(__file__).resolve().parent / "static"
PATH = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"     # versioned folders: vendor/yasgui-4.6.2/…
REVALIDATE = "no-cache"                               # may change with a new release of kg: ask each time
GZIP_LEVEL = 9                                        # made once per file and process, so the smallest
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    """One file as it is sent: its bytes, their gzip form, and the ETag of each."""

    body: bytes
    packed: bytes
    etag: str
    media_type: str
    cache_control: str


# The files there, listed once: a request names one of them or gets a 404 without the file system being asked
# (a name too long for it, or one that climbs out of the folder, cannot reach a system call).
SHIPPED = frozenset(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*") if p.is_file())
_LOADED: dict[str, Asset] = {}


def asset(name: str) -> Asset | None:
    """The file static/NAME, read on first use; None if the package ships no such file."""
    if name in _LOADED:
        return _LOADED[name]
    if name not in SHIPPED:
        return None
    _LOADED[name] = made = of_bytes((ROOT / name).read_bytes(), content_type(name),
                                    IMMUTABLE if name.startswith("vendor/") else REVALIDATE)
    return made


def of_bytes(body: bytes, media_type: str, cache_control: str = REVALIDATE) -> Asset:
    """An Asset of bytes made here (a generated script too): its gzip form and an ETag of its content."""
    return Asset(body, gzip.compress(body, GZIP_LEVEL, mtime=0), hashlib.sha256(body).hexdigest()[:32], media_type,
                 cache_control)


def content_type(name: str) -> str:
    """The media type a file is served with, by its extension."""
    suffix = Path(name).suffix
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def file(name: str) -> Reply:
    """GET /static/NAME: the file, gzipped when the client accepts it, 304 when its ETag matches."""
    found = asset(name)
    if found is None:
        return responses.not_found(f"No file {name} here.")
    return send(found)


def send(sent: Asset) -> Reply:
    """An asset with its ETag (one per encoding), Cache-Control and Vary; 304 when If-None-Match names it."""
    gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
    tag = f"{sent.etag}-gzip" if gzipped else sent.etag
    headers = [("ETag", f'"{tag}"'), ("Cache-Control", sent.cache_control), ("Vary", "Accept-Encoding")]
    if request.if_none_match.contains(tag):
        return responses.empty(304)._replace(headers=headers)
    reply = responses.ok(sent.packed if gzipped else sent.body, sent.media_type)
    return reply._replace(headers=reply.headers + headers + ([("Content-Encoding", "gzip")] if gzipped else []))
