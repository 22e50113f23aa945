"""Every Wikidata link in the data cites where its identifier was seen, and the namesake trap is avoided."""
from __future__ import annotations

import re

from conftest import ROOT
from kg.link import records

DATA = (ROOT / "data" / "avim-blog-50.trig").read_text(encoding="utf-8")
SOURCES = (ROOT / "ontology" / "WIKIDATA-SOURCES.md").read_text(encoding="utf-8")
LINK = re.compile(r"owl:sameAs wd:(Q\d+) ;\s*#\s*(\S.*)$", re.M)
LINKED = records.read_links(ROOT / "data" / records.LINKS_FILE)     # written by kg link


def test_every_hand_made_same_as_line_cites_its_source():
    plain = re.findall(r"owl:sameAs\s+\S+", DATA)
    cited = LINK.findall(DATA)
    assert len(cited) == len(plain) >= 1


def test_every_linked_item_is_in_the_sources_table():
    for qid in [q for q, _ in LINK.findall(DATA)] + list(LINKED.values()):
        assert f"| {qid} |" in SOURCES, qid


def test_no_item_is_linked_twice():
    ids = [qid for qid, _ in LINK.findall(DATA)] + list(LINKED.values())
    assert len(ids) == len(set(ids)) >= 18


def test_the_son_is_not_the_2021_chair():
    """Serdar Berdimuhamedow (Q51874548) is linked only to himself (from 2022 on), never to his father Gurbanguly."""
    assert LINKED.get("https://w3id.org/casd/person/gurbanguly-berdimuhamedov") != "Q51874548"
    assert [iri for iri, qid in LINKED.items() if qid == "Q51874548"] == ["https://w3id.org/casd/person/serdar-berdimuhamedov"]
