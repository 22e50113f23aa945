"""The Flask application: create_app(config) builds it; every route is in the ROUTES table below."""
from __future__ import annotations

import atexit
import gzip
import time
import weakref

from flask import Flask, Response, current_app, g, request

from kg.config import Config
from kg.cache import ResultCache
from kg.errors import KgError
from kg.executor import ExecutorPool
from kg.inline import InlineEvaluator
from kg.store import EmbeddedStore
from kg.server import limits, observe, ops, protocol, responses

# Every HTTP route the server answers, in one place: (rule, endpoint name, view, methods).
ROUTES = [
    ("/sparql", "sparql", protocol.sparql, protocol.SPARQL_METHODS + ["PUT", "DELETE", "PATCH"]),
    ("/store", "store", protocol.graph_store, protocol.STORE_METHODS + ["PATCH"]),
    ("/.well-known/void", "void", ops.void, ["GET", "HEAD"]),
    ("/health", "health", ops.health, ["GET", "HEAD"]),
    ("/metrics", "metrics", ops.metrics, ["GET"]),
]
ADMITTED = {"sparql", "store"}   # endpoints behind the throttle and the concurrency cap

CORS_HEADERS = [("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type, Authorization"),
                ("Access-Control-Expose-Headers", f"ETag, Content-Type, Content-Encoding, {protocol.TRUNCATED_HEADER}")]
GZIP_MIN_BYTES = 1024   # smaller bodies are sent as they are


def create_app(config: Config, store=None) -> Flask:
    """The application for one store; `store` defaults to the one the configuration names."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_upload_bytes
    app.register_error_handler(413, lambda _e: responses.error(413, f"The request body is larger than {config.max_upload_bytes} bytes."))
    app.extensions["kg.config"] = config
    app.extensions["kg.store"] = store if store is not None else ops.open_store(config)
    if isinstance(app.extensions["kg.store"], EmbeddedStore):
        app.extensions["kg.pool"] = _evaluator(app.extensions["kg.store"], config)
        app.extensions["kg.cache"] = ResultCache()
        atexit.register(_close_pool, weakref.ref(app.extensions["kg.pool"]))   # without keeping the store alive
    app.extensions["kg.metrics"] = observe.Metrics()
    app.extensions["kg.cap"] = limits.ConcurrencyCap(config.max_concurrent)
    app.extensions["kg.throttle"] = limits.Throttle(config.client_rate, config.client_burst)
    for rule, endpoint, view, methods in ROUTES:
        app.add_url_rule(rule, endpoint, view, methods=methods, strict_slashes=False)
    app.before_request(_admit)
    app.after_request(_cors)
    app.after_request(_gzip)
    app.after_request(_observe)
    app.teardown_request(_release)
    return app


def _evaluator(store: EmbeddedStore, config: Config) -> ExecutorPool | InlineEvaluator:
    """Query processes, or (executors=0, read-only servers only) evaluation threads in the HTTP process."""
    if config.executors == 0:
        if config.write_token:
            raise KgError("executors=0 needs a read-only server: a writable store must not be dropped with its process")
        return InlineEvaluator(store, config.threads, config.query_timeout, config.max_rows)
    return ExecutorPool(store, config.executors, config.query_timeout, config.max_rows)


def _close_pool(ref: weakref.ref) -> None:
    """At exit: stop idle query processes and remove checkpoints, if the pool still exists."""
    pool = ref()
    if pool is not None:
        pool.close()


def _admit() -> Response | None:
    """Throttle each client, then cap the requests in flight; both answer at once with Retry-After."""
    g.started = time.perf_counter()
    if request.endpoint not in ADMITTED or request.method == "OPTIONS":
        return None
    wait = current_app.extensions["kg.throttle"].admit(request.remote_addr or "?")
    if wait > 0:
        return responses.error(429, "Too many requests from this client; slow down.", Retry_After=limits.retry_after(wait))
    if not current_app.extensions["kg.cap"].enter():
        return responses.error(503, "The server is answering as many requests as it may; try again shortly.",
                               Retry_After="1")
    g.admitted = True
    return None


def _release(_exc) -> None:
    if g.pop("admitted", False):
        current_app.extensions["kg.cap"].leave()


def _observe(response: Response) -> Response:
    seconds = time.perf_counter() - g.get("started", time.perf_counter())
    route = request.endpoint or "unknown"
    current_app.extensions["kg.metrics"].observe(route, request.method, response.status_code, seconds)
    query = g.get("operation_text")
    observe.log_request(request.method, request.path, response.status_code, seconds,
                        response.calculate_content_length(), request.remote_addr, query, g.get("rows"))
    return response


def _cors(response: Response) -> Response:
    """Any origin may read and query (notebooks, YASGUI); credentials are never allowed."""
    response.headers.extend(CORS_HEADERS)
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
