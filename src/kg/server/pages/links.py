"""Where an IRI under https://w3id.org/casd/ lives on this server, and in which formats its data is written.

An IRI's local path is what follows the base (https://w3id.org/casd/summit/X → /summit/X); its page is
/page/summit/X and its data /data/summit/X.ttl (one extension per format, pyoxigraph's). The RDF formats are the
triple formats of the one format table (kg.query.formats), so a format added there is offered here too.
"""
from __future__ import annotations

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kg.config import Config
from kg.query import formats
from kg.query.formats import Format
from kg.vocab import BASE, ONTOLOGY_IRI

HTML = "text/html"
HTML_TYPE = "text/html; charset=utf-8"
ONTOLOGY_LOCAL = ONTOLOGY_IRI[len(BASE):]          # "ontology": hash IRIs under it go to one document
# The triple formats of the one table (named graphs are not part of one IRI's description).
DOCUMENT_FORMATS: tuple[Format, ...] = tuple(f for f in formats.of_kind("rdf") if not f.datasets)
BY_EXTENSION = {f.rdf_format.file_extension: f for f in DOCUMENT_FORMATS}


def extension(fmt: Format) -> str:
    """The file extension of a data document in this format (pyoxigraph's: ttl, nt, jsonld, rdf)."""
    return fmt.rdf_format.file_extension


def iri_of(local: str) -> ox.NamedNode | None:
    """The IRI a local path names, or None if it is no valid IRI (so nothing unescaped reaches a query)."""
    try:
        return ox.NamedNode(BASE + local.lstrip("/"))
    except ValueError:
        return None


def local_of(iri: str) -> str | None:
    """The local path of an IRI under the base (without its fragment), or None for any other IRI."""
    if not iri.startswith(BASE):
        return None
    return iri[len(BASE):].split("#", 1)[0]


def base_url(config: Config, url_root: str) -> str:
    """The public base of this server without a trailing slash: --base-url, else the address the client used."""
    return (config.base_url or url_root).rstrip("/")


def page_url(base: str, local: str) -> str:
    """The HTML page of a local path."""
    return f"{base}/page/{local}"


def data_url(base: str, local: str, fmt: Format) -> str:
    """The data document of a local path in one format."""
    return f"{base}/data/{local}.{extension(fmt)}"


def href(base: str, iri: str) -> str:
    """Where a page links an IRI: our own IRIs to their page here (keeping the fragment), others as they are."""
    local = local_of(iri)
    if local is None:
        return iri
    fragment = iri[len(BASE) + len(local):]
    return page_url(base, local) + fragment


def alternates(base: str, local: str) -> str:
    """The Link header naming the page and every data document of a local path (rel="alternate")."""
    links = [f'<{page_url(base, local)}>; rel="alternate"; type="{HTML}"']
    links += [f'<{data_url(base, local, f)}>; rel="alternate"; type="{f.media_type}"' for f in DOCUMENT_FORMATS]
    return ", ".join(links)


def requested_format(name: str) -> Format | None | str:
    """A ?format= value: a data format, None for the HTML page, or the value itself when it names neither."""
    key = name.strip().lower()
    if key in ("html", HTML):
        return None
    fmt = formats.lookup(key, "rdf")
    return fmt if fmt in DOCUMENT_FORMATS else name


def negotiate(accept: str | None) -> Format | None:
    """The data format the Accept header prefers, or None for the HTML page (also for */* and unknown types)."""
    accepted = parse_accept_header(accept or "", MIMEAccept)
    offered = [HTML, *(f.media_type for f in DOCUMENT_FORMATS)]
    best = accepted.best_match(offered)            # ties go to the first offered: the page
    if best is None or best == HTML:
        return None
    return formats.BY_MEDIA_TYPE[best]


def wants_html(accept: str | None) -> bool:
    """Whether a client prefers an HTML page to plain text (a browser), for error pages."""
    return parse_accept_header(accept or "", MIMEAccept).best_match(["text/plain", HTML]) == HTML


def htaccess(public_base: str) -> str:
    """The w3id.org redirect rules (the .htaccess of w3id.org's folder casd/): every path, its query string kept,
    303 to the same path under the public base."""
    return ("# w3id.org/casd → the CASD knowledge graph server (written by kg.server.pages.links.htaccess)\n"
            f"# public base: {public_base.rstrip('/')}\n"
            "Options +FollowSymLinks\n"
            "RewriteEngine on\n"
            f"RewriteRule ^(.*)$ {public_base.rstrip('/')}/$1 [R=303,L]\n")
