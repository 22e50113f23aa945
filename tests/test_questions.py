"""Each shipped example query answers its question correctly from the built graph."""
from __future__ import annotations

from kg.query import examples
from kg.query.results import rows
from kg.store.embedded import query
from test_wikidata_head_of_state import test_head_of_host_state  # noqa: E402,F401  (head-of-host-state: tested on its own graph of the seven meetings)
from test_series import (test_series_in_order, test_attendance, test_heads_of_state, test_recurring_issues,  # noqa: E402,F401
                         test_membership, test_meeting_facts, test_conflicts)   # the series queries: on the curated series

R = "https://w3id.org/casd/"


def answer(built, name: str) -> list[dict[str, str]]:
    return rows(query(built.store, examples.text(name), prefixes=False))


def test_every_example_is_tested_here():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(examples.names()) <= tested, set(examples.names()) - tested


def test_participants_2021(built):
    got = {(r["person"], r["position"], r["state"]) for r in answer(built, "participants-2021")}
    assert got == {
        (R + "person/kassym-jomart-tokayev", R + "position/president-of-kazakhstan", R + "state/kazakhstan"),
        (R + "person/sadyr-japarov", R + "position/president-of-kyrgyzstan", R + "state/kyrgyzstan"),
        (R + "person/emomali-rahmon", R + "position/president-of-tajikistan", R + "state/tajikistan"),
        (R + "person/shavkat-mirziyoyev", R + "position/president-of-uzbekistan", R + "state/uzbekistan"),
        (R + "person/gurbanguly-berdimuhamedov", R + "position/president-of-turkmenistan", R + "state/turkmenistan"),
    }


def test_chair_2021(built):
    assert answer(built, "chair-2021") == [{
        "chair": R + "person/gurbanguly-berdimuhamedov", "chairLabel": "Gurbanguly Berdimuhamedov",
        "positionLabel": "President of Turkmenistan"}]


def test_place_and_date_2021(built):
    [row] = answer(built, "place-and-date-2021")
    assert row["date"] == "2021-08-06"
    assert row["host"] == row["location"] == R + "state/turkmenistan"


def test_other_participants_2021(built):
    [row] = answer(built, "other-participants-2021")
    assert row["person"] == R + "person/natalia-gherman"
    assert row["positionLabel"] == "Special Representative of the UN Secretary-General for Central Asia"
    assert row["onBehalfOf"] == R + "position/un-secretary-general"
    assert row["organizationLabel"] == "United Nations"


def test_series_in_order_of_the_founding_document(built):
    got = [(r["ordinal"], r["date"], r["hostLabel"], r.get("next")) for r in answer(built, "series-in-order")]
    assert got == [("1", "2018", "Kazakhstan", R + "summit/2019-uzbekistan"),
                   ("2", "2019", "Uzbekistan", R + "summit/2021-turkmenistan"),
                   ("3", "2021-08-06", "Turkmenistan", None)]


def test_postponed_meeting(built):
    [row] = answer(built, "postponed-meeting")
    assert (row["summit"], row["ordinal"], row["plannedYear"], row["plannedHostLabel"]) == \
        (R + "summit/2021-turkmenistan", "3", "2020", "Kyrgyzstan")
    assert row["causeLabel"] == "COVID-19 pandemic"
    assert (row["held"], row["heldInLabel"]) == ("2021-08-06", "Turkmenistan")


def test_slogan_2021(built):
    result = list(query(built.store, examples.text("slogan-2021"), prefixes=False))
    assert [(s["slogan"].value, s["slogan"].language) for s in result] == [("Bir elin beş parmağı", "tr")]


def test_agenda_issues(built):
    got = {(r["issue"].removeprefix(R + "issue/"), r["how"]) for r in answer(built, "agenda-issues")}
    assert {("regional-security", "discussed at a meeting"),
            ("relations-among-the-five-states", "discussed at a meeting")} <= got
    common = {i for i, how in got if how == "common interest of the states"}
    assert common == {"green-energy", "energy-saving-technologies", "energy-areas", "combat-object-lost",
                      "water-scarcity", "energy-ministries-cooperation", "food-and-agricultural-products-shortage"}
    assert {i for i, how in got if how == "on the states' agenda"} == {"energy-demand", "energy-security"}
    under = {r["issue"].removeprefix(R + "issue/"): r.get("under", "") for r in answer(built, "agenda-issues")}
    assert under["green-energy"] == "Energy security"


def test_decisions(built):
    got = {r["decision"].removeprefix(R + "decision/"): r for r in answer(built, "decisions")}
    assert set(got) == {"2021-annual-meetings", "2021-programme-for-the-future"}
    assert got["2021-annual-meetings"]["recurrence"] == "P1Y"
    assert "Regional food security monitoring system" in got["2021-annual-meetings"]["addresses"]
    assert all(r["summit"] == R + "summit/2021-turkmenistan" for r in got.values())


def test_facts_with_quotes(built, config):
    text = (config.root / "data/sources/avim-blog-50.txt").read_text(encoding="utf-8")
    facts = answer(built, "facts-with-quotes")
    assert len(facts) >= 100
    for r in facts:
        assert text[int(r["start"]):int(r["end"])] == r["exact"], r
    chair = [r for r in facts if r["predicate"].endswith("#role") and r["object"].endswith("#Chair")]
    assert [r["exact"] for r in chair] == ["Türkmenistan Cumhurbaşkanı Berdimuhamedov başkanlığında"]
    roles = [r for r in facts if r["subject"].startswith(R + "participation/")]
    assert len(roles) == 30 and {r["subject"] for r in roles} == {r["subject"] for r in answer(built, "facts-with-quotes")
                                                                  if "/participation/" in r["subject"]}
    readings = {r["reading"].rsplit("#", 1)[1] for r in facts}
    assert readings == {"Stated", "CuratorReading"}
    inferred = {(r["subject"].rsplit("/", 1)[1], r["predicate"].rsplit("#", 1)[1]) for r in facts if r["reading"].endswith("#CuratorReading")}
    assert ("2021-turkmenistan-berdimuhamedov", "agent") in inferred and ("2021-turkmenistan", "adopted") in inferred
    assert ("2021-turkmenistan-tokayev", "agent") not in inferred


def test_positions(built):
    got = {r["person"].removeprefix(R + "person/"): r["position"].removeprefix(R + "position/")
           for r in answer(built, "positions")}
    assert got == {
        "kassym-jomart-tokayev": "president-of-kazakhstan", "sadyr-japarov": "president-of-kyrgyzstan",
        "emomali-rahmon": "president-of-tajikistan", "shavkat-mirziyoyev": "president-of-uzbekistan",
        "gurbanguly-berdimuhamedov": "president-of-turkmenistan",
        "natalia-gherman": "un-special-representative-for-central-asia",
    }


def test_wikidata_ids(built):
    got = {r["resource"].removeprefix(R): r.get("wikidata", "").removeprefix("http://www.wikidata.org/entity/")
           for r in answer(built, "wikidata-ids")}
    assert {k: got[k] for k in ("state/kazakhstan", "state/kyrgyzstan", "state/tajikistan", "state/uzbekistan",
                                "state/turkmenistan", "place/central-asia", "organization/united-nations")} == {
        "state/kazakhstan": "Q232", "state/kyrgyzstan": "Q813", "state/tajikistan": "Q863",
        "state/uzbekistan": "Q265", "state/turkmenistan": "Q874", "place/central-asia": "Q27275",
        "organization/united-nations": "Q1065"}
    assert got["person/kassym-jomart-tokayev"] == "Q200881"
    # the namesake trap: the son's item must never stand for the 2021 president
    assert got["person/gurbanguly-berdimuhamedov"] != "Q51874548"


def test_participants_born_2021(built):
    got = {r["person"][len(R):]: r.get("born") for r in answer(built, "participants-born-2021")}
    assert got["person/kassym-jomart-tokayev"] == "1953-05-17" and got["person/shavkat-mirziyoyev"] == "1957-07-24"
    assert got["person/gurbanguly-berdimuhamedov"] is None          # no item linked: no date, but still listed
    assert len(got) == 6


# ---------------------------------------------------------------- federated: SERVICE to Wikidata's endpoint

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


def federated(built, allow: tuple[str, ...], text: str):
    """The answer of our endpoint (the real app, its guard and evaluator) to a query that calls SERVICE."""
    from kg.config import Config
    from kg.server import create_app
    from kg.store.embedded import EmbeddedStore

    app = create_app(Config(executors=0, allow_service=allow), store=EmbeddedStore(built.store))
    return app.test_client().post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})


def federated_rows(built, wikidata, name: str) -> list[dict[str, str]]:
    """An example run with the Wikidata stand-in allowed and named in place of Wikidata's endpoint."""
    text = examples.text(name)
    assert f"SERVICE <{WIKIDATA_SPARQL}>" in text
    before = len(wikidata.requests)
    response = federated(built, (wikidata.sparql_url,), text.replace(WIKIDATA_SPARQL, wikidata.sparql_url))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [r["path"] for r in wikidata.requests[before:]] == ["/sparql"]        # one SERVICE call
    bindings = response.get_json()["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def test_federated_born_2021(built, wikidata):
    got = [(r["person"][len(R):], r["born"][:10]) for r in federated_rows(built, wikidata, "federated-born-2021")]
    assert got == [("person/emomali-rahmon", "1952-10-05"), ("person/kassym-jomart-tokayev", "1953-05-17"),
                   ("person/shavkat-mirziyoyev", "1957-07-24"), ("person/sadyr-japarov", "1968-12-06")]


def test_federated_host_capitals(built, wikidata):
    got = {(r["year"], r["state"], r["capitalName"]) for r in federated_rows(built, wikidata, "federated-host-capitals")}
    assert got == {("2018", "Kazakhstan", "Astana"), ("2019", "Uzbekistan", "Tashkent"), ("2021", "Turkmenistan", "Ashgabat")}


def test_federated_examples_are_refused_unless_wikidata_is_allowed(built):
    for name in ("federated-born-2021", "federated-host-capitals"):
        response = federated(built, (), examples.text(name))
        assert response.status_code == 403
        assert "--allow-service https://query.wikidata.org/sparql" in response.get_data(as_text=True)
