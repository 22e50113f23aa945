"""The ontology's page at /page/ontology (where its IRI and hash IRIs send a browser): pyLODE's documentation
(kg.build.ontodoc), made once and kept on disk under the hash of its inputs; the in-house list of its terms
(entity.ontology_page) where that cannot be made."""
from __future__ import annotations

import hashlib
import logging

from flask import request

from kg.build import ontodoc
from kg.config import Config
from kg.server import responses
from kg.server.pages import entity, links
from kg.server.reply import Reply
from kg.server.services import Services, services

log = logging.getLogger("kg.server")


def document(config: Config) -> bytes | None:
    """pyLODE's page for the configured ontology (from the cache when it is there), or None if it fails."""
    if not config.ontology_files:
        return None
    try:
        return ontodoc.cached(config.ontology_files, config.doc_cache)
    except Exception as err:       # pyLODE's own failures are of every kind; the page falls back, logged
        log.error("the ontology's documentation could not be made: %s", err, exc_info=err)
        return None


def html(parts: Services) -> bytes | None:
    """The page's bytes, made on the first request where the server did not make them at start."""
    if parts.ontology_html is None:
        parts.ontology_html = document(parts.config)
    return parts.ontology_html


def page() -> Reply:
    """The ontology's documentation, with a strong ETag and the links to its data."""
    parts = services()
    body = html(parts)
    if body is None:
        return entity.ontology_page()
    etag = "sha256-" + hashlib.sha256(body).hexdigest()
    headers = [("ETag", f'"{etag}"'), ("Link", links.alternates(links.base_url(parts.config, request.url_root),
                                                                  links.ONTOLOGY_LOCAL))]
    if request.if_none_match.contains(etag):
        return responses.empty(304)._replace(headers=headers)
    reply = responses.ok(body, links.HTML_TYPE)
    return reply._replace(headers=reply.headers + headers)
