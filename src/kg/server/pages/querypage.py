"""The query page at /: YASGUI (vendored, static/vendor/) on this server's /sparql, with the project's prefixes
and example queries, and nothing that reaches another host; a plain form for browsers without JavaScript.

The page has no inline script: its configuration is /query-page.js, made once from querypage.js (our code) and
the configuration below, so the page can be sent with a Content-Security-Policy that allows only this server.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import request

from kg.query import examples, formats
from kg.query.fulltext import index as fulltext
from kg.server import responses, search, static
from kg.server.pages import deref, entity, links, querypage_html, views
from kg.server.reply import Reply
from kg.server.services import services
from kg.vocab import PREFIXES

YASGUI_VERSION = "4.6.2"
YASGUI = f"vendor/yasgui-{YASGUI_VERSION}"
SCRIPT_PATH = "/query-page.js"
SCRIPT_SOURCE = Path(__file__).with_name("querypage.js")
CONFIG_MARK = "/*CONFIG*/null"           # where the configuration goes in querypage.js
JSON = "application/json"
ENDPOINT = "sparql"                      # resolved against the script's own URL, so any host and path prefix work
# YASQE's completers: "variables" reads the editor; ours lists PREFIXES. Left out: its "prefixes" (a prefix.cc
# snapshot, or prefix.cc itself when prefixCcApi is set) and "property" and "class", which ask lov.linkeddata.es.
AUTOCOMPLETERS = ["variables", "casd-prefixes"]
# Everything from this server only. YASGUI sets most of its styles through the DOM, which a style-src without
# 'unsafe-inline' allows; the one library in it that writes <style> elements (column-resizer, for the results
# table's column grips and the cursor while dragging one) is allowed those two texts by their hashes
# (tests/test_query_page.py computes them from the vendored bundle). Checked in Chromium: no CSP violation.
STYLE_HASHES = ("sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=", "sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg=")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' " + " ".join(f"'{h}'" for h in STYLE_HASHES) + "; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
DEFAULT_QUERY = """SELECT ?summit ?label WHERE {
  ?summit a casd:Summit ; rdfs:label ?label .
  FILTER (LANG(?label) = "en")
}
ORDER BY ?summit"""


def prologue() -> str:
    """The PREFIX lines of every prefix the project declares (vocab.PREFIXES), for the editor's first query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """What /query-page.js hands YASGUI: endpoint, prefixes, the first query, the completers and the examples."""
    return {"endpoint": ENDPOINT, "prefixes": PREFIXES, "defaultQuery": prologue() + "\n" + DEFAULT_QUERY,
            "autocompleters": AUTOCOMPLETERS,
            "examples": [{"name": name, "title": examples.title(name), "query": examples.text(name)}
                         for name in examples.names()]}


@lru_cache(maxsize=1)
def script_asset() -> static.Asset:
    """/query-page.js: querypage.js with the configuration written into it, made once."""
    source = SCRIPT_SOURCE.read_text(encoding="utf-8")
    assert CONFIG_MARK in source, f"{SCRIPT_SOURCE} lost its {CONFIG_MARK} mark"
    body = source.replace(CONFIG_MARK, json.dumps(config(), ensure_ascii=False, indent=1))
    return static.of_bytes(body.encode("utf-8"), static.TYPES[".js"])


def script() -> Reply:
    """GET /query-page.js: the page's script and configuration, with an ETag."""
    return static.send(script_asset())


def home() -> Reply:
    """GET /: the query page, in Turkish or English, with CSP; ?query= or ?example= fills the plain form."""
    lang = entity.language()
    words = querypage_html.WORDS[lang]
    body = querypage_html.render(
        "home", **frame(lang, words["title"]), initial=initial_query(),
        examples=config()["examples"], result_formats=[f.name for f in formats.of_kind("results")])
    return page(body, lang)


def frame(lang: str, title: str, q: str = "", editor: bool = True) -> dict[str, Any]:
    """What every page of this kind shows around its content: styles, scripts (YASGUI's with the editor), the
    language switch, the search box and the footer's links (all under this server's root, so behind a path
    prefix too)."""
    root = request.script_root
    keep = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    return {"lang": lang, "t": querypage_html.WORDS[lang], "title": title, "root": root, "q": q,
            "languages": views.LANGUAGES, "keep": keep + "&" if keep else "",
            "max_search": search.MAX_QUERY_CHARS,
            "styles": [f"{root}/static/{YASGUI}/yasgui.min.css"] * editor + [f"{root}/static/query-page.css"],
            "scripts": [f"{root}/static/{YASGUI}/yasgui.min.js", root + SCRIPT_PATH] * editor}


def page(body: str, lang: str, status: int = 200) -> Reply:
    """An HTML page of this kind with its language, CSP and Vary headers."""
    reply = responses.ok(body, links.HTML_TYPE, status=status)
    return reply._replace(headers=reply.headers + [("Content-Language", lang), ("Vary", "Accept-Language"),
                                                   ("Content-Security-Policy", CSP)])


def initial_query() -> str:
    """The plain form's query: ?query= (a share link) if not too long, else ?example=NAME's text, else the first
    query of the editor."""
    asked = request.args.get("query", "")
    if asked and len(asked) <= services().config.max_query_length:
        return asked
    name = request.args.get("example", "")
    if name in examples.names():
        return examples.text(name)
    return str(config()["defaultQuery"])


@deref.store_answers
def search_page() -> Reply:
    """GET /search?q=WORDS[&kind=entity|quote|source][&page=N]: entities, quotes and source documents ranked by
    the full-text index (kg.server.search), as JSON for a client that asks for it (Accept or ?format=json), else
    as a page. Nothing to search for (empty, too long, only stop words): 400, in plain text or on the page; the
    index past the query timeout: 503. Refused, a client that does not name text/html (curl's */*) is told in
    plain text."""
    asked = request.args.get("format")
    if asked not in (None, "json", "html"):
        return responses.bad_request(f"Unknown format {asked!r}; use json or html.")
    kind = request.args.get("kind") or None
    if kind is not None and kind not in search.KINDS:
        return responses.bad_request(f"Unknown kind {kind!r}; use one of {', '.join(search.KINDS)}.")
    number = request.args.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,6}", number) or not 1 <= int(number) <= search.MAX_PAGES:   # ASCII digits only
        return responses.bad_request(f"page must be a whole number from 1 to {search.MAX_PAGES}.")
    as_json = asked == "json" or (asked is None and request.accept_mimetypes.best_match([links.HTML, JSON]) == JSON)
    q, lang, parts = request.args.get("q", ""), entity.language(), services()
    base = links.base_url(parts.config, request.url_root)
    try:
        found = search.find(parts, q, base, lang, (kind,) if kind else search.KINDS, int(number))
    except fulltext.SearchTimeout as err:
        return responses.error(503, f"The search took too long: {err}")
    except fulltext.SearchRefused as err:         # a browser (it names text/html) is shown the page, others told
        if as_json or not (asked == "html" or any(kind_ == links.HTML for kind_, _ in request.accept_mimetypes)):
            return responses.bad_request(str(err))
        return page(querypage_html.render("search", **search_context(q, kind, lang, None), refused=str(err)),
                    lang, status=400)
    if as_json:
        body = json.dumps({"q": q, "hits": [hit.as_json() for hit in found.hits], "more": found.more},
                          ensure_ascii=False)
        reply = responses.ok(body, JSON)
        return reply._replace(headers=reply.headers + [("Vary", "Accept")])
    return page(querypage_html.render("search", **search_context(q, kind, lang, found), refused=None), lang)


def search_context(q: str, kind: str | None, lang: str, found: search.Results | None) -> dict[str, Any]:
    """What the results page shows: the hits of this page grouped by kind, the links that keep to one kind, and
    the links to the pages before and after."""
    words = querypage_html.WORDS[lang]
    where = request.script_root + "/search?"

    def link(kind_: str | None, number: int = 1) -> str:
        """This search's page `number`, among one kind or all."""
        return where + urlencode([("q", q)] + [("kind", kind_)] * bool(kind_) + [("page", str(number))] * (number > 1))

    number = found.number if found else 1
    return {**frame(lang, f"{words['results']} “{q}”", q, editor=False),
            "kind": kind, "kinds": [(k, words["kind_" + (k or "all")], link(k)) for k in (None, *search.KINDS)],
            "groups": [(k, [hit for hit in found.hits if hit.hit.kind == k]) for k in search.KINDS
                       if found and any(hit.hit.kind == k for hit in found.hits)],
            "number": number, "previous": link(kind, number - 1) if number > 1 else None,
            "next": link(kind, number + 1) if found and found.more else None}
