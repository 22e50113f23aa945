"""Rendered pages are kept in the answers' cache by data version (kg.server.pages.pagecache): a page asked again
is the same bytes without asking the store, and a write shows at once."""
from __future__ import annotations

import pyoxigraph as ox

from kg.config import Config
from kg.server import create_app
from kg.server.services import services
from kg.store.embedded import EmbeddedStore

SUMMIT = "https://w3id.org/casd/summit/2021-turkmenistan"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
FAST = {"client_rate": 1e6, "client_burst": 10**6, "executors": 0}


class Counting(EmbeddedStore):
    """An embedded store that counts the queries asked of it."""

    asked = 0

    def query(self, *args, **kwargs):
        Counting.asked += 1
        return super().query(*args, **kwargs)


def _store(built) -> Counting:
    copy = ox.Store()
    copy.extend(built.store)
    return Counting(copy)


def test_a_page_asked_again_is_the_same_bytes_without_a_store_query(built):
    app = create_app(Config(**FAST), store=_store(built))
    client = app.test_client()
    first = client.get("/page/summit/2021-turkmenistan", headers={"Accept-Language": "en"})
    client.get("/page/summit/2021-turkmenistan", headers={"Accept-Language": "en"})      # admitted on its 2nd sighting
    before = Counting.asked
    third = client.get("/page/summit/2021-turkmenistan", headers={"Accept-Language": "en"})
    assert Counting.asked == before, "the kept page asked the store again"
    assert third.status_code == 200 and third.data == first.data
    assert third.headers["Content-Language"] == "en" and "rel=\"alternate\"" in third.headers["Link"]
    turkish = client.get("/page/summit/2021-turkmenistan", headers={"Accept-Language": "tr"})
    assert turkish.data != first.data and turkish.headers["Content-Language"] == "tr"   # its own entry
    assert Counting.asked > before


def test_a_write_shows_on_the_next_page(built):
    store = _store(built)
    app = create_app(Config(**FAST), store=store)
    client = app.test_client()
    for _ in range(3):
        assert b"A renamed meeting" not in client.get("/page/summit/2021-turkmenistan").data
    with app.app_context():
        services().store.update(f'INSERT DATA {{ GRAPH <urn:x:g> {{ <{SUMMIT}> <{LABEL.value}> "A renamed meeting"@en }} }}')
    assert b"A renamed meeting" in client.get("/page/summit/2021-turkmenistan").data
