"""A local HTTP server that answers like the Wikidata services, from the recorded facts in data/wikidata-recorded/.

It declares itself: every entity it answers carries a `recorded` member (which real Wikidata never sends) naming
the recorded facts and the public source of each of the item's facts, and no revision or modification time it
does not know; each statement cites its source as a reference URL (P854), in Wikidata's own reference format. So
`kg link` and `kg enrich` write where the facts really came from. `StandIn(impersonate=True)` answers as Wikidata
itself would (a revision, a modification time, no `recorded` member), for the tests of the path that reads the
real Wikidata; nothing it answers that way is shipped.

Same requests, same response formats (see data/wikidata-recorded/SOURCES.md, "Wire formats"):
- `GET /w/api.php?action=wbsearchentities&search=…&language=…` → `searchinfo`, `search` hits (id, title, pageid,
  display, repository, url, concepturi, label, match {type, language, text}, aliases), `success`. A hit is an item
  with a label or alias in the asked language (or English, the fallback) of which every searched word starts a word.
- `GET /w/api.php?action=wbgetentities&ids=Q1|Q2` → `entities` keyed by the asked id: the item (pageid, ns, title,
  lastrevid, modified, type, id, labels, aliases, claims with qualifiers), a redirect answered with its target
  under the asked id plus `redirects {from, to}`, a missing item as `{"id", "missing": ""}`; `success`.
- `GET|POST /sparql` → SPARQL 1.1 results (JSON by default, XML on request) evaluated by pyoxigraph over the facts
  in Wikidata's RDF model (wd:, wdt:, p:, ps:, pq:, rdfs:label; schema:version on the data node when impersonating).
- Errors as the API gives them: unknown action or malformed id → HTTP 200 with `{"error": {code, info}}`.

Tests can make it answer 429/503 first (`fail_next`), see every request (`requests`: path, params, User-Agent),
and change the facts (`redirect`, `delete`).
"""
from __future__ import annotations

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

RECORDED_DIR = Path(__file__).resolve().parent.parent / "data" / "wikidata-recorded"
FACTS = RECORDED_DIR / "facts.tsv"
SOURCES = RECORDED_DIR / "SOURCES.md"
RECORDED = "https://w3id.org/casd/wikidata-recorded/"      # our IRIs for the recorded facts and their sources
FACTS_IRI = RECORDED + "facts"
WD, WDT, P, PS, PQ = ("http://www.wikidata.org/entity/", "http://www.wikidata.org/prop/direct/",
                      "http://www.wikidata.org/prop/", "http://www.wikidata.org/prop/statement/",
                      "http://www.wikidata.org/prop/qualifier/")
DATA = "https://www.wikidata.org/wiki/Special:EntityData/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SCHEMA = "http://schema.org/"
ITEM = re.compile(r"^Q[1-9][0-9]{0,9}$")
MODIFIED = "2026-11-30T00:00:00Z"      # impersonating Wikidata only: the recorded facts have no revision history


@dataclass
class Fact:
    item: str
    prop: str
    value: str
    qualifiers: list[tuple[str, str]]
    source: str


def read_facts(path: Path = FACTS) -> list[Fact]:
    """The recorded facts: item, property (or label:xx / alias:xx), value, qualifiers (P=v;P=v), source key."""
    facts = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5 or not cols[4].strip():
            raise ValueError(f"{path}:{number}: expected 5 tab-separated columns with a source, got {cols!r}")
        item, prop, value, quals, source = (c.strip() for c in cols)
        qualifiers = [tuple(q.split("=", 1)) for q in quals.split(";") if q]
        facts.append(Fact(item, prop, value, qualifiers, source))
    return facts


def source_keys(source: str) -> list[str]:
    """The SOURCES.md keys of a fact's source column: `A+B` is two sources, `HUMAN:A` is HUMAN and A."""
    keys: list[str] = []
    for part in source.split("+"):
        keys += [k for k in part.split(":") if k]
    return keys


def read_sources(path: Path = SOURCES) -> dict[str, str]:
    """Each source key of SOURCES.md's table and the source it names (its second column)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cols) >= 3 and cols[0] not in ("key", "---") and not cols[0].startswith("-"):
            out[cols[0]] = cols[1]
    return out


def source_iri(key: str) -> str:
    """Our IRI for one source of the recorded facts."""
    return RECORDED + "source/" + key


def _datavalue(value: str) -> tuple[dict, str]:
    """Wikidata's datavalue and datatype for a recorded value: Q…, +date, @lat,lon, or text."""
    if ITEM.match(value):
        return {"value": {"entity-type": "item", "numeric-id": int(value[1:]), "id": value},
                "type": "wikibase-entityid"}, "wikibase-item"
    if value.startswith("+"):
        parts = value[1:].split("-")
        precision = {1: 9, 2: 10, 3: 11}[len(parts)]
        full = "-".join(parts + ["00"] * (3 - len(parts)))
        return {"value": {"time": f"+{full}T00:00:00Z", "timezone": 0, "before": 0, "after": 0,
                          "precision": precision, "calendarmodel": "http://www.wikidata.org/entity/Q1985727"},
                "type": "time"}, "time"
    if value.startswith("@"):
        lat, lon = (float(x) for x in value[1:].split(","))
        return {"value": {"latitude": lat, "longitude": lon, "altitude": None, "precision": 0.0001,
                          "globe": "http://www.wikidata.org/entity/Q2"}, "type": "globecoordinate"}, "globe-coordinate"
    return {"value": value, "type": "string"}, "string"


def _snak(prop: str, value: str, kind: str = "") -> dict:
    datavalue, datatype = ({"value": value, "type": "string"}, kind) if kind else _datavalue(value)
    return {"snaktype": "value", "property": prop, "datavalue": datavalue, "datatype": datatype}


def _rdf_value(value: str) -> ox.NamedNode | ox.Literal:
    if ITEM.match(value):
        return ox.NamedNode(WD + value)
    if value.startswith("+"):
        parts = value[1:].split("-")
        full = "-".join(parts + ["01"] * (3 - len(parts)))
        return ox.Literal(f"{full}T00:00:00Z", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime"))
    if value.startswith("@"):
        lat, lon = value[1:].split(",")
        return ox.Literal(f"Point({lon} {lat})", datatype=ox.NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral"))
    return ox.Literal(value)


@dataclass
class Recorded:
    """The facts as Wikidata would serve them, with the test's changes (redirects, deletions)."""

    facts: list[Fact] = field(default_factory=read_facts)
    sources: dict[str, str] = field(default_factory=read_sources)
    impersonate: bool = False           # answer as Wikidata would: a revision, no `recorded` member
    redirects: dict[str, str] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)

    def items(self) -> list[str]:
        return sorted({f.item for f in self.facts}, key=lambda q: int(q[1:]))

    def entity(self, qid: str) -> dict | None:
        facts = [f for f in self.facts if f.item == qid]
        if not facts or qid in self.deleted:
            return None
        number = int(qid[1:])
        out: dict = {"pageid": number % 1_000_000 + 100, "ns": 0, "title": qid}
        if self.impersonate:
            out.update({"lastrevid": 1, "modified": MODIFIED})
        out.update({"type": "item", "id": qid, "labels": {}, "aliases": {}, "claims": {}})
        if not self.impersonate:
            keys = list(dict.fromkeys(k for f in facts for k in source_keys(f.source)))
            unknown = [k for k in keys if k not in self.sources]
            if unknown:
                raise ValueError(f"{qid}: source key(s) {unknown} not in {SOURCES.name}")
            out["recorded"] = {"facts": FACTS_IRI, "file": "data/wikidata-recorded/facts.tsv",
                               "sources": [{"id": source_iri(k), "key": k, "source": self.sources[k]} for k in keys]}
        for n, f in enumerate(facts):
            kind, _, lang = f.prop.partition(":")
            if kind == "label":
                out["labels"][lang] = {"language": lang, "value": f.value}
            elif kind == "alias":
                out["aliases"].setdefault(lang, []).append({"language": lang, "value": f.value})
            else:
                statement = {"mainsnak": _snak(f.prop, f.value), "type": "statement",
                             "id": f"{qid}$standin-{n}", "rank": "normal"}
                if f.qualifiers:
                    statement["qualifiers"] = {}
                    for qp, qv in f.qualifiers:
                        statement["qualifiers"].setdefault(qp, []).append(_snak(qp, qv))
                    statement["qualifiers-order"] = list(statement["qualifiers"])
                if not self.impersonate:
                    statement["references"] = [{"snaks": {"P854": [_snak("P854", source_iri(k), "url")]},
                                                 "snaks-order": ["P854"]} for k in source_keys(f.source)]
                out["claims"].setdefault(f.prop, []).append(statement)
        return out

    def store(self) -> ox.Store:
        """The facts in Wikidata's RDF model, for the query service."""
        store = ox.Store()
        quads = []
        for n, f in enumerate(self.facts):
            s = ox.NamedNode(WD + f.item)
            kind, _, lang = f.prop.partition(":")
            if kind in ("label", "alias"):
                pred = RDFS_LABEL if kind == "label" else "http://www.w3.org/2004/02/skos/core#altLabel"
                quads.append(ox.Quad(s, ox.NamedNode(pred), ox.Literal(f.value, language=lang)))
                continue
            value = _rdf_value(f.value)
            node = ox.NamedNode(f"{RECORDED}statement/{f.item}-{n}")        # the stand-in's own, never Wikidata's
            quads += [ox.Quad(s, ox.NamedNode(WDT + f.prop), value), ox.Quad(s, ox.NamedNode(P + f.prop), node),
                      ox.Quad(node, ox.NamedNode(PS + f.prop), value)]
            quads += [ox.Quad(node, ox.NamedNode(PQ + qp), _rdf_value(qv)) for qp, qv in f.qualifiers]
        for qid in self.items() if self.impersonate else ():     # a revision only when posing as Wikidata
            data = ox.NamedNode(DATA + qid)
            quads += [ox.Quad(data, ox.NamedNode(SCHEMA + "about"), ox.NamedNode(WD + qid)),
                      ox.Quad(data, ox.NamedNode(SCHEMA + "version"),
                              ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))]
        store.extend(quads)
        return store

    def search(self, text: str, language: str, limit: int) -> list[dict]:
        words = _words(text)
        hits = []
        for qid in self.items():
            entity = self.entity(qid)
            if entity is None or not words:
                continue
            names = [("label", lang, v["value"]) for lang, v in entity["labels"].items()]
            names += [("alias", lang, a["value"]) for lang, vs in entity["aliases"].items() for a in vs]
            for kind, lang, name in names:
                if lang not in (language, "en"):
                    continue
                theirs = _words(name)
                if all(any(t.startswith(w) for t in theirs) for w in words):
                    hits.append((qid, kind, lang, name, entity))
                    break
        hits.sort(key=lambda h: (h[2] != language, h[1] != "label", int(h[0][1:])))
        return [_hit(qid, kind, lang, name, entity, language) for qid, kind, lang, name, entity in hits[:limit]]


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text.casefold()) if w]


def _hit(qid: str, kind: str, lang: str, name: str, entity: dict, language: str) -> dict:
    label = entity["labels"].get(language) or entity["labels"].get("en")
    hit = {"id": qid, "title": qid, "pageid": entity["pageid"], "display": {}, "repository": "wikidata",
           "url": f"//www.wikidata.org/wiki/{qid}", "concepturi": WD + qid}
    if label:
        hit["display"]["label"] = {"value": label["value"], "language": label["language"]}
        hit["label"] = label["value"]
    hit["match"] = {"type": kind, "language": lang, "text": name}
    if not label or name != label["value"]:
        hit["aliases"] = [name]
    return hit


class StandIn:
    """The server: start(), its base URL, then stop(). Thread-safe enough for one test at a time."""

    def __init__(self, recorded: Recorded | None = None, impersonate: bool = False):
        self.recorded = recorded or Recorded(impersonate=impersonate)
        self.requests: list[dict] = []
        self.fail_next: list[tuple] = []     # (status, headers[, JSON body]) answered before any real answer
        self._sparql = self.recorded.store()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.url + "/w/api.php"

    @property
    def sparql_url(self) -> str:
        return self.url + "/sparql"

    def start(self) -> "StandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def redirect(self, old: str, new: str) -> None:
        self.recorded.redirects[old] = new

    def delete(self, qid: str) -> None:
        self.recorded.deleted.add(qid)

    # -- answers

    def api(self, params: dict[str, str]) -> dict:
        action = params.get("action")
        if action == "wbsearchentities":
            if not params.get("search") or not params.get("language"):
                return _error("param-missing", "The \"search\" and \"language\" parameters must be set.")
            limit = int(params.get("limit", "7"))
            return {"searchinfo": {"search": params["search"]},
                    "search": self.recorded.search(params["search"], params["language"], limit), "success": 1}
        if action == "wbgetentities":
            ids = [i for i in params.get("ids", "").split("|") if i]
            if not ids:
                return _error("param-missing", "Either provide the item \"ids\" or pairs of \"sites\" and \"titles\".")
            if len(ids) > 50:
                return _error("toomanyvalues", "Too many values supplied for parameter \"ids\". The limit is 50.")
            bad = [i for i in ids if not ITEM.match(i)]
            if bad:
                return _error("no-such-entity", f"Could not find an entity with the ID \"{bad[0]}\".")
            entities = {}
            for asked in ids:
                target = self.recorded.redirects.get(asked, asked)
                entity = self.recorded.entity(target) if params.get("redirects", "yes") == "yes" or target == asked else None
                if entity is None:
                    entities[asked] = {"id": asked, "missing": ""}
                    continue
                if target != asked:
                    head = [k for k in ("pageid", "ns", "title", "lastrevid", "modified") if k in entity]
                    entity = {**{k: entity[k] for k in head}, "redirects": {"from": asked, "to": target},
                              **{k: v for k, v in entity.items() if k not in head}}
                entities[asked] = entity
            return {"entities": entities, "success": 1}
        return _error("badvalue", f"Unrecognized value for parameter \"action\": {action}.")

    def sparql(self, query: str, accept: str) -> tuple[int, str, bytes]:
        try:
            result = self._sparql.query(query)
        except SyntaxError as err:
            return 400, "text/plain; charset=utf-8", f"MalformedQueryException: {err}".encode()
        if "xml" in accept and "json" not in accept:
            return 200, "application/sparql-results+xml; charset=utf-8", result.serialize(format=ox.QueryResultsFormat.XML)
        return 200, "application/sparql-results+json; charset=utf-8", result.serialize(format=ox.QueryResultsFormat.JSON)

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):      # quiet
                pass

            def _params(self) -> dict[str, str]:
                split = urllib.parse.urlsplit(self.path)
                params = dict(urllib.parse.parse_qsl(split.query))
                if self.command == "POST":
                    body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                    if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                        params["query"] = body
                    else:
                        params.update(urllib.parse.parse_qsl(body))
                return params

            def _send(self, status: int, media: str, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _serve(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                params = self._params()
                standin.requests.append({"path": path, "params": params, "user_agent": self.headers.get("User-Agent")})
                if not self.headers.get("User-Agent"):
                    return self._send(403, "text/plain", b"Please set a user-agent and respect our robot policy.")
                if standin.fail_next:
                    status, headers, *body = standin.fail_next.pop(0)
                    if body:
                        return self._send(status, "application/json; charset=utf-8", json.dumps(body[0]).encode(), headers)
                    return self._send(status, "text/html", b"<html><body>Too Many Requests</body></html>", headers)
                if path == "/w/api.php":
                    answer = standin.api(params)
                    extra = {"MediaWiki-API-Error": answer["error"]["code"]} if "error" in answer else {}
                    return self._send(200, "application/json; charset=utf-8",
                                      json.dumps(answer, ensure_ascii=False).encode("utf-8"), extra)
                if path == "/sparql" and "query" in params:
                    status, media, body = standin.sparql(params["query"], self.headers.get("Accept", ""))
                    return self._send(status, media, body)
                return self._send(404, "text/plain", b"not found")

            do_GET = do_POST = _serve

        return Handler


def _error(code: str, info: str) -> dict:
    return {"error": {"code": code, "info": info,
                      "*": "See https://www.wikidata.org/w/api.php for API usage."}, "servedby": "standin"}
