"""The server's parts in one typed object: create_app makes a Services and keeps it in the app; every handler
reaches it through services() (a Flask view) or is handed it (the fast path, the RSGI front)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, current_app

from kg.build.downloads import Download
from kg.config import Config
from kg.query.cache import ResultCache
from kg.query.evaluator import Evaluator
from kg.server import limits, observe
from kg.store.protocol import Store

KEY = "kg"       # the one entry of the Flask app's `extensions` that kg uses


@dataclass
class Services:
    """Everything a request handler may need: the configuration, the store, and what create_app made around it."""

    config: Config
    store: Store
    metrics: observe.Metrics
    throttle: limits.Admission
    cap: limits.Cap
    evaluator: Evaluator | None = None        # None: a remote store, which evaluates its queries itself
    cache: ResultCache | None = None          # None: a remote store, whose data can change without our knowing
    built_version: tuple[int, str] | None = None   # (store version at start, the version `kg build` writes for it)
    processes: int = 1                        # HTTP processes forked from this app, sharing limits and metrics
    void: tuple[tuple[int | None, str], bytes] | None = field(default=None, repr=False)  # VoID per (version, URL)
    # /download/: the dataset's files per data version, and their VoID per (version, endpoint URL)
    published: tuple[int | None, dict[str, Download]] | None = field(default=None, repr=False)
    void_file: tuple[tuple[int | None, str], Download] | None = field(default=None, repr=False)
    ontology_html: bytes | None = field(default=None, repr=False)   # pyLODE's page, once made (kg.build.ontodoc)


def services(app: Flask | None = None) -> Services:
    """The services of `app`, or of the app answering the current request."""
    return (app if app is not None else current_app).extensions[KEY]
