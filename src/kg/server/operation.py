"""Reading a SPARQL Protocol request to /sparql: the one reader, which the /sparql view and the fast path both call.

It needs the WSGI environ alone: the query string, and for a POST the media type and the body, read as Flask
would read it (its Content-Length, the upload limit, a stream the server terminates) and decoded once, at C
speed where it can (kg.server.urlform). What it read is kept in the environ, so a request that the fast path
reads and leaves to Flask is not read twice.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Mapping

from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.wsgi import get_content_length, get_input_stream

from kg.query import formats
from kg.server import responses, urlform
from kg.server.reply import Reply

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
CACHE = "kg.operation"       # the environ key under which read() keeps what it read

Fields = Mapping[str, list[str]]
DATASET = {"query": ("default-graph-uri", "named-graph-uri"), "update": ("using-graph-uri", "using-named-graph-uri")}


@dataclass
class Operation:
    """What a request to /sparql asks: a query, an update, or (a GET with neither) the service description."""

    kind: str                                              # "query", "update" or "description"
    text: str = ""
    graphs: list[str] = field(default_factory=list)        # default-graph-uri / using-graph-uri
    named: list[str] = field(default_factory=list)         # named-graph-uri / using-named-graph-uri
    requested: str | None = None                           # ?format=, ?output=, ?results= (formats.requested)


def read(environ: dict, max_body: int) -> Operation | Reply:
    """The operation a GET or POST to /sparql carries, or the error response that says why it cannot be read."""
    done = environ.get(CACHE)
    if done is None:
        done = environ[CACHE] = _read(environ, max_body)
    return done


def _read(environ: dict, max_body: int) -> Operation | Reply:
    args = query_args(environ)
    if environ.get("REQUEST_METHOD") == "GET":
        if "update" in args:
            return responses.method_not_allowed(["POST"])
        found = _single(args, ("query",), args, {})
        return Operation("description", requested=_requested(args, {})) if found is None else found
    media, params = parse_options_header(environ.get("CONTENT_TYPE", ""))
    media = media.lower()
    if media == FORM:
        body = read_body(environ, max_body)
        if isinstance(body, Reply):
            return body
        form = _form(body)
        found = _single(form, ("query", "update"), args, form)
        return responses.bad_request("The form has neither a query= nor an update= field.") if found is None else found
    if media in (QUERY, UPDATE):
        charset = params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return responses.unsupported_media_type(f"SPARQL in a request body must be UTF-8, not {charset}.")
        body = read_body(environ, max_body)
        if isinstance(body, Reply):
            return body
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as err:
            return responses.bad_request(f"The request body is not valid UTF-8: {err}")
        return _operation("query" if media == QUERY else "update", text, args, {})
    return responses.unsupported_media_type(
        f"POST a query as {QUERY}, an update as {UPDATE}, or either as a form ({FORM}); got {media or 'no Content-Type'}.")


def query_args(environ: Mapping) -> dict[str, list[str]]:
    """The fields of the request URL's query string (its bytes decoded as UTF-8)."""
    text = environ.get("QUERY_STRING", "")
    if text.isascii():
        return urlform.parse(text)
    try:
        return urlform.parse(text.encode("latin-1"))      # the bytes as sent (PEP 3333)
    except UnicodeEncodeError:
        return urlform.parse(text)                        # a server that decoded them already


def read_body(environ: dict, max_body: int) -> bytes | Reply:
    """The whole request body, read as Flask reads it, or the error response (413 over `max_body` bytes)."""
    length = get_content_length(environ)               # werkzeug's reading: None without one, or chunked
    if length is not None and length > max_body:
        return responses.body_too_large(max_body)
    stream = environ["wsgi.input"]
    if type(stream) is io.BytesIO:       # in memory (kg.server.bodies, test clients): read at once, same result
        if "wsgi.input_terminated" in environ:         # the server ended the stream: all of it, up to the limit
            body = stream.read(max_body + 1)
            return body if len(body) <= max_body else responses.body_too_large(max_body)
        body = stream.read(length or 0)                # else as much as Content-Length says (none without it)
        return body if len(body) == (length or 0) else responses.error(400, ClientDisconnected.description)
    try:
        return get_input_stream(environ, max_content_length=max_body).read()
    except RequestEntityTooLarge:
        return responses.body_too_large(max_body)
    except HTTPException as err:                          # a body that ended before its Content-Length
        return responses.error(err.code or 400, err.description or err.name)


def _form(body: bytes) -> dict[str, list[str]]:
    """The fields of a URL-encoded form; none if the body is not UTF-8 (as Flask reads it)."""
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return {}
    return urlform.parse(body)


def _single(fields: Fields, kinds: tuple[str, ...], args: Fields, form: Fields) -> Operation | Reply | None:
    """The operation of exactly one query= (or update=) field given once; None when there is none."""
    found = [(kind, text) for kind in kinds for text in fields.get(kind, ())]
    if not found:
        return None
    if len(found) > 1:
        return responses.bad_request("Give exactly one query= or update= parameter.")
    return _operation(*found[0], args, form)


def _operation(kind: str, text: str, args: Fields, form: Fields) -> Operation:
    """The operation with the dataset the URL and the form name (the URL's first) and the formats they ask for."""
    default, named = DATASET[kind]
    return Operation(kind, text, [*args.get(default, ()), *form.get(default, ())],
                     [*args.get(named, ()), *form.get(named, ())], _requested(args, form))


def _requested(args: Fields, form: Fields) -> str | None:
    return formats.requested(v for name in formats.FORMAT_PARAMETERS
                             for v in (*args.get(name, ()), *form.get(name, ())))
