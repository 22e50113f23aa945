"""Each target of `kg link` is dated by the meetings that name it, not by the latest summit of the whole graph.

A small graph of two documents: the first names a 2019 meeting (year only) and a 2021 meeting (with its day), the
second a 2024 meeting. Under the old rule every target was checked on 2024-07-01, the latest day of any summit.
"""
from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from kg.link import linking
from kg.link.entity import Entity, Statement, Time
from kg.link.outcomes import Context
from kg.link.targets import Meeting, Target, targets
from kg.vocab import PREFIXES

R = "https://w3id.org/casd/"
S2019, S2021, S2024 = R + "summit/2019-a", R + "summit/2021-b", R + "summit/2024-c"
GRAPH = """
graph:doc-one {
    summit:2019-a a casd:Summit ; casd:date "2019"^^xsd:gYear ; casd:hostState state:a .
    summit:2021-b a casd:Summit ; casd:date "2021-08-06"^^xsd:date ;
        casd:hostState state:b ; casd:location state:a .
    participation:2019-one a casd:Participation ; casd:meeting summit:2019-a ; casd:agent person:one ;
        casd:inCapacityOf position:president-of-a ; casd:onBehalfOf state:a .
    participation:2021-two a casd:Participation ; casd:meeting summit:2021-b ; casd:agent person:two ;
        casd:inCapacityOf position:president-of-b ; casd:onBehalfOf state:b .
    person:one a casd:Person ; rdfs:label "Person One"@en .
    person:two a casd:Person ; rdfs:label "Person Two"@en .
    state:a a casd:State ; rdfs:label "State A"@en .
    state:b a casd:State ; rdfs:label "State B"@en .
    position:president-of-a a casd:Position ; rdfs:label "President of A"@en ; casd:positionIn state:a .
    position:president-of-b a casd:Position ; rdfs:label "President of B"@en ; casd:positionIn state:b .
    place:valley a casd:Place ; rdfs:label "The Valley"@en .
}
graph:doc-two {
    summit:2024-c a casd:Summit ; casd:date "2024-07-01"^^xsd:date .
    participation:2024-three a casd:Participation ; casd:meeting summit:2024-c ; casd:agent person:three .
    person:three a casd:Person ; rdfs:label "Person Three"@en .
    place:coast a casd:Place ; rdfs:label "The Coast"@en .
}
"""


@pytest.fixture(scope="module")
def by_iri() -> dict[str, Target]:
    store = ox.Store()
    prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())   # casd:, summit:, graph:, …
    store.load(prefixes + GRAPH, ox.RdfFormat.TRIG)
    return {t.iri[len(R):]: t for t in targets(store)}


def _state(qid: str, *, began: str | None = None, ended: str | None = None) -> Entity:
    """A sovereign state named State A, with an inception and a dissolution day if given."""
    claims = {"P31": [Statement("", "Q3624078")]}
    if began:
        claims["P571"] = [Statement("", Time(f"+{began}T00:00:00Z", 11))]
    if ended:
        claims["P576"] = [Statement("", Time(f"+{ended}T00:00:00Z", 11))]
    return Entity(qid, labels={"en": "State A"}, claims=claims)


def test_each_person_is_dated_by_the_meeting_that_names_them(by_iri):
    assert by_iri["person/one"].meetings == (Meeting(S2019, None, 2019),)
    assert by_iri["person/two"].meetings == (Meeting(S2021, date(2021, 8, 6), 2021),)
    assert by_iri["person/three"].meetings == (Meeting(S2024, date(2024, 7, 1), 2024),)
    # the position check reads each participation's own meeting, as before
    assert by_iri["person/one"].positions == ((R + "position/president-of-a", None, 2019),)


def test_positions_and_states_are_dated_by_the_meetings_that_name_them(by_iri):
    assert by_iri["position/president-of-a"].meetings == (Meeting(S2019, None, 2019),)   # through a participation
    assert by_iri["state/b"].meetings == (Meeting(S2021, date(2021, 8, 6), 2021),)       # host, and on whose behalf
    # named by two meetings: both, earliest first; each is checked (see kg.link.targets)
    assert by_iri["state/a"].meetings == (Meeting(S2019, None, 2019), Meeting(S2021, date(2021, 8, 6), 2021))


def test_a_target_no_meeting_names_is_dated_by_its_own_documents_latest_meeting(by_iri):
    assert by_iri["place/valley"].meetings == (Meeting(S2021, date(2021, 8, 6), 2021),)
    assert by_iri["place/coast"].meetings == (Meeting(S2024, date(2024, 7, 1), 2024),)


def test_a_state_named_in_2019_is_not_refused_for_ending_before_a_later_summit(by_iri):
    """The old rule checked everything on 2024-07-01 and refused a state that ended in 2020."""
    only_2019 = Target(R + "state/x", "State", (("State A", "en"),), by_iri["position/president-of-a"].meetings)
    j = linking.judge(only_2019, _state("Q1", ended="2020-05-01"), Context())
    assert j.failed == [] and "time: exists in 2019" in j.passed


def test_a_state_named_by_two_meetings_must_exist_at_both(by_iri):
    ended_between = linking.judge(by_iri["state/a"], _state("Q1", ended="2020-05-01"), Context())
    assert ended_between.failed == ["time: ended 2020-05-01, before 2021-08-06"]
    assert "time: exists in 2019" in ended_between.passed
    began_between = linking.judge(by_iri["state/a"], _state("Q2", began="2020-05-01"), Context())
    assert began_between.failed == ["time: began 2020-05-01, after 2019"]
    assert "time: exists on 2021-08-06" in began_between.passed
    always = linking.judge(by_iri["state/a"], _state("Q3", began="1991-12-16"), Context())
    assert always.acceptable and [p for p in always.passed if p.startswith("time:")] == [
        "time: exists in 2019", "time: exists on 2021-08-06"]
