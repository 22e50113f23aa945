"""Content negotiation by RFC 9110 (§12.5.1): qualities, the most specific range, q=0 refused (issue 11)."""
from __future__ import annotations

import pytest

from kg.query import formats
from kg.config import Config
from kg.server import create_app


@pytest.mark.parametrize("accept, kind, expected", [
    ("application/sparql-results+json;q=0, */*", "solutions", "xml"),        # json refused, anything else welcome
    ("text/*;q=0.9, text/csv;q=0.1", "solutions", "tsv"),                     # the specific range lowers CSV
    ("text/csv, application/sparql-results+json", "solutions", "csv"),        # equal q: the client's order
    ("*/*", "solutions", "json"), (None, "solutions", "json"), ("", "solutions", "json"),
    ("*/*", "rdf", "turtle"), ("text/*", "rdf", "turtle"),
    ("application/json", "solutions", "json"), ("text/plain", "rdf", "ntriples"),
    ("application/ld+json;q=0.5, application/rdf+xml;q=0.8", "rdf", "rdfxml"),
    ("image/png", "solutions", None), ("text/csv;q=0", "solutions", None), ("*/*;q=0", "rdf", None),
    ("text/turtle; charset=utf-8", "rdf", "turtle"),                          # all we write is UTF-8
    ("text/turtle;charset=UTF-8;q=0.5, application/n-triples", "rdf", "ntriples"),
    ("application/sparql-results+json; charset=utf-8", "solutions", "json"),
    ("text/turtle; charset=iso-8859-1", "rdf", None),                         # a charset we do not write
])
def test_negotiation_follows_rfc_9110(accept, kind, expected):
    fmt = formats.negotiate(kind, accept)
    assert (fmt.name if fmt else None) == expected


def test_a_refused_type_is_406_through_the_endpoint():
    client = create_app(Config(empty=True)).test_client()
    r = client.get("/sparql?query=SELECT%20*%20%7B%7D", headers={"Accept": "application/sparql-results+json;q=0"})
    assert r.status_code == 406
    r = client.get("/sparql?query=SELECT%20*%20%7B%7D", headers={"Accept": "text/*;q=0.9, text/csv;q=0.1"})
    assert r.status_code == 200 and r.mimetype == "text/tab-separated-values"


def test_charset_in_accept_through_the_sparql_endpoint():
    client = create_app(Config(empty=True)).test_client()
    r = client.get("/sparql?query=CONSTRUCT%20%7B%7D%20%7B%7D", headers={"Accept": "text/turtle; charset=utf-8"})
    assert r.status_code == 200 and r.mimetype == "text/turtle"
