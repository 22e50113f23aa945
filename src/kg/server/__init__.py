"""The Flask application: create_app(config) builds it; every route is in the ROUTES table below."""
from __future__ import annotations

import gzip

from flask import Flask, Response, request

from kg.config import Config
from kg.server import ops, protocol

# Every HTTP route the server answers, in one place: (rule, endpoint name, view, methods).
ROUTES = [
    ("/sparql", "sparql", protocol.sparql, protocol.SPARQL_METHODS + ["PUT", "DELETE", "PATCH"]),
    ("/store", "store", protocol.graph_store, protocol.STORE_METHODS + ["PATCH"]),
    ("/.well-known/void", "void", ops.void, ["GET", "HEAD"]),
    ("/health", "health", ops.health, ["GET", "HEAD"]),
]

GZIP_MIN_BYTES = 1024   # smaller bodies are sent as they are


def create_app(config: Config, store=None) -> Flask:
    """The application for one store; `store` defaults to the one the configuration names."""
    app = Flask(__name__)
    app.extensions["kg.config"] = config
    app.extensions["kg.store"] = store if store is not None else ops.open_store(config)
    for rule, endpoint, view, methods in ROUTES:
        app.add_url_rule(rule, endpoint, view, methods=methods, strict_slashes=False)
    app.after_request(_cors)
    app.after_request(_gzip)
    return app


def _cors(response: Response) -> Response:
    """Any origin may read and query (notebooks, YASGUI); credentials are never allowed."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type, Authorization"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Content-Type, Content-Encoding"
    response.vary.add("Accept")
    return response


def _gzip(response: Response) -> Response:
    if (response.direct_passthrough or response.status_code < 200 or response.status_code in (204, 304)
            or "gzip" not in request.headers.get("Accept-Encoding", "") or "Content-Encoding" in response.headers):
        return response
    body = response.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response
