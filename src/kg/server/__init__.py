"""The Flask application: create_app(config) builds it; every route is in the ROUTES table below."""
from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any, Callable, NamedTuple

from flask import Flask, Response, g, request
from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException

from kg.config import Config
from kg.errors import KgError
from kg.query.cache import ResultCache
from kg.query.evaluator import Evaluator
from kg.query.executor import ExecutorPool
from kg.query.inline import InlineEvaluator
from kg.build import describe
from kg.server import downloads, envelope, graphstore, limits, observe, ops, protocol, proxies, responses, static
from kg.server.envelope import Exchange
from kg.server.fastpath import QueryFastPath
from kg.server.pages import deref, entity, ontology, querypage
from kg.server.reply import Reply
from kg.server.services import KEY, Services, services
from kg.store.embedded import EmbeddedStore
from kg.store.protocol import Store

log = logging.getLogger("kg.server")


class Route(NamedTuple):
    """One route: its URL rule, endpoint name (in metrics and logs), handler and methods."""

    rule: str
    endpoint: str
    view: Callable
    methods: list[str]
    front: bool = False     # answered before Flask by fastpath.QueryFastPath, for the requests `view` picks


# Every HTTP route the server answers, in one place. A front row is served by the WSGI fast path in front of Flask;
# what its handler does not pick goes on to the Flask row of the same rule, which answers every request there.
ROUTES = [
    # plain queries (GET ?query=, POST form or application/sparql-query): protocol.answer, without Flask
    Route("/sparql", "sparql", protocol.plain_query, ["GET", "POST"], front=True),
    Route("/sparql", "sparql", protocol.sparql, protocol.SPARQL_METHODS + ["PUT", "DELETE", "PATCH"]),
    Route(graphstore.PATH, "store", graphstore.graph_store, graphstore.METHODS + ["PATCH"]),
    # a URL under /store names the graph whose IRI it is (direct graph identification; see graphstore.py)
    Route(graphstore.PATH + "/<path:name>", "store_direct", graphstore.graph_store, graphstore.METHODS + ["PATCH"]),
    Route("/.well-known/void", "void", ops.void, ["GET", "HEAD"]),
    Route("/health", "health", ops.health, ["GET", "HEAD"]),
    Route("/metrics", "metrics", ops.metrics, ["GET"]),
    # the query page (YASGUI, its script and configuration), the full-text search (entities, quotes, sources:
    # kg.server.search over kg.query.fulltext), the files it loads
    Route("/", "home", querypage.home, ["GET", "HEAD"]),
    Route(querypage.SCRIPT_PATH, "query_script", querypage.script, ["GET", "HEAD"]),
    Route("/search", "search", querypage.search_page, ["GET", "HEAD"]),
    Route(static.PATH + "/<path:name>", "asset", static.file, ["GET", "HEAD"]),
    # pages: every IRI under https://w3id.org/casd/ has its local path here (the w3id rules redirect to it)
    Route("/ontology", "ontology", deref.ontology, ["GET", "HEAD"]),     # and its hash IRIs' terms
    Route("/page/ontology", "ontology_page", ontology.page, ["GET", "HEAD"]),   # pyLODE's documentation
    Route("/download/", "downloads", downloads.index, ["GET", "HEAD"]),   # the files, licences and citation
    Route("/download/<name>", "download", downloads.file, ["GET", "HEAD"]),
    Route("/page/<path:local>", "page", entity.page, ["GET", "HEAD"]),
    Route("/data/<path:local>", "data", deref.data, ["GET", "HEAD"]),
    Route("/<path:local>", "resource", deref.resource, ["GET", "HEAD"]),  # 303 to the page or the data; else 404
]
# Every route is behind the per-client throttle and the concurrency cap but these, which monitoring polls: a
# new route is limited unless it is named here.
EXEMPT = {"health", "metrics"}


def create_app(config: Config, store: Store | None = None, *, processes: int = 1) -> Flask:
    """The application for one store; `store` defaults to the one the configuration names. `processes` is the
    number of HTTP processes that will be forked from it (kg.server.wsgi.http_workers): over one, they share
    their limits and metrics."""
    return app_of(make_services(config, store, processes))


def app_of(parts: Services) -> Flask:
    """The Flask application around the services create_app makes (make_services)."""
    config = parts.config
    app = Flask(__name__, static_folder=None)      # static files are a row of ROUTES (server/static.py)
    app.config["MAX_CONTENT_LENGTH"] = config.max_upload_bytes
    app.register_error_handler(413, lambda _e: responses.body_too_large(config.max_upload_bytes))
    app.register_error_handler(HTTPException, _plain_http_error)
    app.register_error_handler(Exception, _plain_server_error)
    app.extensions[KEY] = parts
    for route in ROUTES:
        if route.front:
            # Flask's documented way to add WSGI middleware; its typing declares wsgi_app a method (python/mypy#7347)
            app.wsgi_app = QueryFastPath(  # type: ignore[method-assign]
                app.wsgi_app, parts, route.rule, route.methods, route.endpoint, route.view)
        else:
            app.add_url_rule(route.rule, route.endpoint, route.view, methods=route.methods, strict_slashes=False)
    app.before_request(_admit)
    app.after_request(_finish)
    app.teardown_request(_release)
    if config.trust_proxy:                  # outermost, so the fast path and Flask see the same client
        app.wsgi_app = proxies.ForwardedFor(  # type: ignore[method-assign]   # as above
            app.wsgi_app, proxies.parse_networks(config.trust_proxy))
    return app


def make_services(config: Config, store: Store | None = None, processes: int = 1) -> Services:
    """The parts of one app: the store, its evaluator and answer cache (embedded stores), and the metrics and
    limits of `processes` HTTP processes."""
    built = published = page = None
    if store is None:
        store = ops.open_store(config)
        if isinstance(store, EmbeddedStore) and config.store == "memory" and not config.empty:   # the built graph
            # made before the HTTP processes are forked, which share them: the files `kg build` writes, whose
            # N-Quads give the build's version, and the ontology's documentation (from its cache on disk)
            files = downloads.published_files(store)
            built, published = (store.version, describe.nquads_hash(files["dataset.nq"].body)), (store.version, files)
            page = ontology.document(config)
    evaluator = _evaluator(store, config) if isinstance(store, EmbeddedStore) else None
    if evaluator is not None:
        atexit.register(_close_pool, weakref.ref(evaluator))      # without keeping the store alive
    return Services(config, store, evaluator=evaluator, cache=ResultCache() if evaluator is not None else None,
                    built_version=built, published=published, ontology_html=page, **limits_for(config, processes))


def limits_for(config: Config, processes: int) -> dict[str, Any]:
    """The metrics, throttle and cap of `processes` HTTP processes (Services fields): with several, they share
    their limits through a temporary folder, made now, before they are forked, and their metrics are summed
    by prometheus_client's multiprocess mode, which must have been chosen before it was imported."""
    if processes <= 1:
        return {"metrics": observe.Metrics(), "throttle": limits.Throttle(config.client_rate, config.client_burst),
                "cap": limits.ConcurrencyCap(config.max_concurrent), "processes": 1}
    if not observe.multiprocess_mode():
        raise KgError(f"an app for {processes} HTTP processes sums their metrics with prometheus_client's "
                      "multiprocess mode: set PROMETHEUS_MULTIPROC_DIR to an empty folder before kg.server is "
                      "imported (kg serve does)")
    share = Path(tempfile.mkdtemp(prefix="kg-shared-"))
    atexit.register(shutil.rmtree, share, True)
    return {"metrics": observe.Metrics(),
            "throttle": limits.SharedThrottle(config.client_rate, config.client_burst, share / "throttle"),
            "cap": limits.SharedCap(config.max_concurrent, share / "in-flight", processes), "processes": processes}


def _evaluator(store: EmbeddedStore, config: Config) -> Evaluator:
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


def _plain_http_error(err: HTTPException) -> Reply:
    """Werkzeug's errors (404, 405 …) as plain text, never its HTML page."""
    allowed = getattr(err, "valid_methods", None)          # MethodNotAllowed's (405)
    return responses.error(err.code or 500, err.description or err.name,
                           **({"Allow": ", ".join(allowed)} if allowed else {}))


def _plain_server_error(err: Exception) -> Reply:
    """A fault of ours: logged with its traceback, answered in plain text without it."""
    log.error("error answering %s %s", request.method, request.path, exc_info=err)
    return responses.server_error()


def _exchange() -> Exchange:
    return Exchange(request.method, request.path, request.endpoint or "unknown", request.remote_addr,
                    request.headers.get("Accept-Encoding"))


def _admit() -> Reply | None:
    """Before a Flask view: the request's Exchange, and admission for the endpoints behind the limits."""
    g.exchange = _exchange()
    if request.endpoint is None or request.endpoint in EXEMPT or request.method == "OPTIONS":
        return None
    refused = envelope.admit(services(), request.remote_addr)
    g.admitted = refused is None
    return refused


def _release(_exc: BaseException | None) -> None:
    if g.pop("admitted", False):
        services().cap.leave()


def _finish(response: Response) -> Response:
    """Flask's response through the one finisher, envelope.finish, as a Reply and back."""
    body = response.get_data()
    reply = envelope.finish(services(), Reply(body, response.status_code, response.headers.to_wsgi_list()),
                            g.get("exchange") or _exchange())
    response.headers = Headers(reply.headers)
    if reply.body is not body:
        response.set_data(reply.body)       # compressed: Content-Length follows
    return response
