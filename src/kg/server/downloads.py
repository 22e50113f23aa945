"""/download/: the dataset's files (the bytes `kg build` writes), its VoID/DCAT description, the licences and the
citation, each with a strong ETag (its SHA-256) and a file name; and the page that lists them, in Turkish or
English."""
from __future__ import annotations

from flask import request

from kg.build import describe, downloads
from kg.build.downloads import Download
from kg.server import ops, responses
from kg.server.pages import deref, links, listing
from kg.server.reply import Reply
from kg.server.services import Services, services
from kg.store.embedded import EmbeddedStore

TEXT = "text/plain"
# The files served beside the dataset's, from the project's root (packaged with the wheel): name -> media type.
PROJECT_FILES = {"LICENSE": TEXT, "LICENSE-DATA": TEXT, "CITATION.cff": "application/yaml"}
ATTACHED = set(downloads.DATASET_NAMES)           # saved, not shown, by a browser
CHARSET = "; charset=utf-8"                       # every file here is UTF-8


def published(parts: Services) -> dict[str, Download] | None:
    """The dataset's files for the data served now (made once per data version), or None for a remote store."""
    store = parts.store
    if not isinstance(store, EmbeddedStore):
        return None
    made = parts.published
    if made is not None and made[0] == store.version:
        return made[1]
    files = published_files(store)
    parts.published = (store.version, files)
    return files


def published_files(store: EmbeddedStore) -> dict[str, Download]:
    """The dataset's files as `kg build` writes them, from the store's quads."""
    return downloads.dataset_files(store.oxigraph)


def void(parts: Services, files: dict[str, Download]) -> Download:
    """The VoID/DCAT description with the endpoint at this server's public base (made once per version and base)."""
    endpoint = links.base_url(parts.config, request.url_root) + "/sparql"
    made = parts.void_file
    if made is not None and made[0] == (parts.store.version, endpoint):
        return made[1]
    store = parts.store
    assert isinstance(store, EmbeddedStore)      # files are published for embedded stores only
    file = downloads.void_file(store.oxigraph, files.values(), endpoint, parts.config.metadata_file)
    parts.void_file = ((store.version, endpoint), file)
    return file


def available(parts: Services) -> dict[str, Download]:
    """Every file /download/ serves, by name: the dataset's and its VoID (embedded stores), and the project's."""
    files: dict[str, Download] = {}
    dataset = published(parts)
    if dataset is not None:
        files.update(dataset)
        files[downloads.VOID_FILE] = void(parts, dataset)
    for name, media_type in PROJECT_FILES.items():
        path = parts.config.root / name
        if path.is_file():
            files[name] = Download(name, media_type, path.read_bytes())
    return files


@deref.store_answers
def file(name: str) -> Reply:
    """One file, with its ETag; 304 when the client holds it already."""
    parts = services()
    found = available(parts).get(name)
    if found is None:
        reason = "" if published(parts) is not None or name in PROJECT_FILES else (
            " The dataset's files are published by a server on a built or on-disk store, not by one fronting a "
            "remote store.")
        return responses.not_found(f"No file {name!r} is published here.{reason} See /download/.")
    packed = "gzip" in (request.headers.get("Accept-Encoding") or "")     # gzipped once, not per request
    etag = found.etag + ("-gzip" if packed else "")      # a strong tag names one content coding
    disposition = "attachment" if name in ATTACHED else "inline"
    headers = {"ETag": f'"{etag}"', "Content-Disposition": f'{disposition}; filename="{name}"',
               "Cache-Control": "no-cache", "Vary": "Accept-Encoding",
               **({"Content-Encoding": "gzip"} if packed else {})}
    if request.if_none_match.contains(etag):
        headers.pop("Content-Encoding", None)
        return responses.empty(304, **{k.replace("-", "_"): v for k, v in headers.items()})
    reply = responses.ok(found.gzipped if packed else found.body, found.media_type + CHARSET)
    return reply._replace(headers=reply.headers + list(headers.items()))


@deref.store_answers
def index() -> Reply:
    """The page listing every file with its size, media type and licence, the licences and the citation."""
    parts = services()
    lang = listing.language()
    dataset = published(parts)            # the version of the files listed: the hash of their N-Quads
    version = describe.nquads_hash(dataset[downloads.NQUADS_FILE].body) if dataset else ops.dataset_version(parts)
    body = listing.render(lang, list(available(parts).values()), version,
                          links.base_url(parts.config, request.url_root))
    reply = responses.ok(body, links.HTML_TYPE)
    return reply._replace(headers=reply.headers + [("Content-Language", lang), ("Vary", "Accept-Language")])

