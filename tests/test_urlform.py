"""The fast form decoder gives exactly what the standard library's parse_qs gives, on any input."""
from __future__ import annotations

import random
from urllib.parse import parse_qs, urlencode

import pytest

from kg.server import urlform

WELL_FORMED = ["a", "query", "=", "&", "+", "%20", "%3D", "%26", "%2B", "%25", "%e2%80%99", "%E2%80", "==", " ",
               "SELECT", "{", "}", "?s", "#", ";", "%0A", "%C4%B1", "%ff", "%3d%3D"]
ODD = ["%", "%2", "%ZZ", "%%", "\r\n", "\n", "ı", "é", "%=41"]


@pytest.mark.parametrize("seed", range(20))
def test_the_same_fields_as_parse_qs_on_random_input(seed):
    rnd = random.Random(seed)
    fast = 0
    for i in range(500):
        pieces = WELL_FORMED if i % 2 else WELL_FORMED + ODD     # half decoded by a2b_qp, half by most likely parse_qs
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 30)))
        assert urlform.parse(text) == parse_qs(text, keep_blank_values=True), text
        if text.isascii():
            assert urlform.parse(text.encode("ascii")) == parse_qs(text, keep_blank_values=True), text
        fast += text.isascii() and urlform._WELL_FORMED.fullmatch(text.encode("ascii")) is not None
    assert fast >= 250                                              # the fast decoder really was exercised


def test_real_queries_round_trip():
    query = 'SELECT ?x WHERE { ?x <http://p> "a=b & c+d 100% ı ’" } # =\n'
    body = urlencode({"query": query, "default-graph-uri": "http://g/1"}) + "&named-graph-uri="
    assert urlform.parse(body.encode("ascii")) == {"query": [query], "default-graph-uri": ["http://g/1"],
                                                   "named-graph-uri": [""]}


def test_bytes_that_are_not_ascii_are_read_as_utf8():
    """A body or query string sent with raw UTF-8 (not %-escaped) gives the text the client meant."""
    text = 'query=SELECT ("ı é ’" AS ?x) {}&default-graph-uri=http://g/1'
    assert urlform.parse(text.encode("utf-8")) == parse_qs(text, keep_blank_values=True)
    assert urlform.parse(b"q=\xff") == {"q": ["\ufffd"]}
