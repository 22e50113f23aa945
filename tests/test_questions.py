"""Each shipped example query answers its question correctly from the built graph (the founding document, the
curated series of data/series/ and the Wikidata graphs).

The built store's default graph is the union of the documents' graphs, and a fact several documents state is in
each of their graphs: Oxigraph (0.5) then matches it once per graph (oxigraph/oxigraph#1919), so a question with
a set for its answer is asked with SELECT DISTINCT, and the tests compare lists, which a duplicate would fail."""
from __future__ import annotations

from kg.query import examples
from kg.query.results import rows
from kg.store.embedded import query
from test_wikidata_head_of_state import test_head_of_host_state  # noqa: E402,F401  (head-of-host-state: tested on its own graph of the seven meetings)
from test_series import (test_series_in_order, test_attendance, test_heads_of_state, test_recurring_issues,  # noqa: E402,F401
                         test_membership, test_meeting_facts, test_conflicts)   # the series queries (test_series.py)

R = "https://w3id.org/casd/"


def ask(built, text: str) -> bool:
    """An ASK query's answer on the built graph, with the project's prefixes."""
    return bool(query(built.store, text))


def answer(built, name: str) -> list[dict[str, str]]:
    return rows(query(built.store, examples.text(name), prefixes=False))


def test_every_example_is_tested_here():
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert set(examples.names()) <= tested, set(examples.names()) - tested


def test_participants_2021(built):
    got = [(r["person"], r["position"], r["state"]) for r in answer(built, "participants-2021")]
    assert len(got) == len(set(got)) and set(got) == {
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
    assert (row["date"], row["host"]) == ("2021-08-06", R + "state/turkmenistan")
    # one place: the series' city; the founding document's "Türkmenistan" stays its statement, the state that
    # holds the city (business-turkmenistan-undated states Avaza casd:inState Turkmenistan)
    assert (row["location"], row["locationLabel"]) == (R + "place/avaza", "Avaza")
    assert ask(built, "ASK { place:avaza casd:inState state:turkmenistan . FILTER NOT EXISTS { summit:2021-turkmenistan "
               "casd:location state:turkmenistan } ?st rdf:subject summit:2021-turkmenistan ; rdf:predicate casd:location ; "
               "rdf:object state:turkmenistan }")


def test_other_participants_2021(built):
    [row] = answer(built, "other-participants-2021")
    assert row["person"] == R + "person/natalia-gherman"
    assert row["positionLabel"] == "Special Representative of the UN Secretary-General for Central Asia"
    assert row["onBehalfOf"] == R + "position/un-secretary-general"
    assert row["organizationLabel"] == "United Nations"


def test_series_in_order_of_the_founding_document(built):
    """The founding document's three meetings, as the series in order answers them: each with the ordinal, host
    and next meeting it states, and its date or a day within the year it states (the series gives the days)."""
    stated: dict[str, dict[str, str]] = {}
    for r in rows(query(built.store, """
            SELECT ?summit ?predicate ?object WHERE { GRAPH graph:avim-blog-50 {
              ?statement a rdf:Statement ; rdf:subject ?summit ; rdf:predicate ?predicate ; rdf:object ?object .
              ?summit casd:partOfSeries ?series } }""")):
        stated.setdefault(r["summit"], {})[r["predicate"].rsplit("#", 1)[1]] = r["object"]
    got = {r["summit"]: r for r in answer(built, "series-in-order") if r["summit"] in stated}
    assert set(got) == set(stated) == {R + "summit/2018-kazakhstan", R + "summit/2019-uzbekistan",
                                       R + "summit/2021-turkmenistan"}
    for summit, facts in stated.items():
        row = got[summit]
        assert (row["ordinal"], row["host"]) == (facts["ordinal"], facts["hostState"]), (summit, row, facts)
        assert row["date"].startswith(facts["date"]), (summit, row["date"], facts["date"])
        assert "nextSummit" not in facts or row["next"] == facts["nextSummit"], (summit, row, facts)
    assert [(got[s]["date"], stated[s]["date"]) for s in sorted(got)] == [
        ("2018-03-15", "2018"), ("2019-11-29", "2019"), ("2021-08-06", "2021-08-06")]
    assert got[R + "summit/2021-turkmenistan"]["next"] == R + "summit/2022-kyrgyzstan"   # the series goes on


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
    facts = answer(built, "facts-with-quotes")
    texts = {}
    for r in facts:
        name = r["document"].removeprefix(R + "document/")
        if name not in texts:
            texts[name] = (config.root / "data/sources" / f"{name}.txt").read_text(encoding="utf-8")
        assert texts[name][int(r["start"]):int(r["end"])] == r["exact"], r
    assert set(texts) == {"avim-blog-50"} | {p.stem for p in (config.root / "data/series").glob("*.trig")} - {"entities"}
    assert {r["reading"].rsplit("#", 1)[1] for r in facts} == {"Stated", "CuratorReading"}
    founding = [r for r in facts if r["document"] == R + "document/avim-blog-50"]
    assert len(founding) >= 100
    chair = [r for r in founding if r["predicate"].endswith("#role") and r["object"].endswith("#Chair")]
    assert [r["exact"] for r in chair] == ["Türkmenistan Cumhurbaşkanı Berdimuhamedov başkanlığında"]
    roles = [r for r in founding if r["subject"].startswith(R + "participation/")]
    assert len(roles) == 30 and len({r["subject"] for r in roles}) == 6
    assert {r["reading"].rsplit("#", 1)[1] for r in founding} == {"Stated", "CuratorReading"}
    inferred = {(r["subject"].rsplit("/", 1)[1], r["predicate"].rsplit("#", 1)[1]) for r in founding if r["reading"].endswith("#CuratorReading")}
    assert ("2021-turkmenistan-berdimuhamedov", "agent") in inferred and ("2021-turkmenistan", "adopted") in inferred
    assert ("2021-turkmenistan-tokayev", "agent") not in inferred


def test_positions(built):
    got = [(r["person"].removeprefix(R + "person/"), r["position"].removeprefix(R + "position/"))
           for r in answer(built, "positions")]
    assert len(got) == len(set(got))
    assert set(got) == {
        ("kassym-jomart-tokayev", "president-of-kazakhstan"), ("sadyr-japarov", "president-of-kyrgyzstan"),
        ("emomali-rahmon", "president-of-tajikistan"), ("shavkat-mirziyoyev", "president-of-uzbekistan"),
        ("gurbanguly-berdimuhamedov", "president-of-turkmenistan"),
        ("gurbanguly-berdimuhamedov", "chair-of-the-halk-maslahaty-of-turkmenistan"),    # at the 5th meeting
        ("serdar-berdimuhamedov", "president-of-turkmenistan"), ("akja-nurberdiyeva", "chair-of-the-mejlis-of-turkmenistan"),
        ("nursultan-nazarbayev", "president-of-kazakhstan"), ("nursultan-nazarbayev", "first-president-of-kazakhstan"),
        ("sooronbay-jeenbekov", "president-of-kyrgyzstan"), ("ilham-aliyev", "president-of-azerbaijan"),
        ("natalia-gherman", "un-special-representative-for-central-asia"), ("natalia-gherman", "head-of-unrcca"),
        ("kakha-imnadze", "un-special-representative-for-central-asia"), ("kakha-imnadze", "head-of-unrcca"),
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
    got = [(r["year"], r["state"], r["capitalName"]) for r in federated_rows(built, wikidata, "federated-host-capitals")]
    assert got == [("2018", "Kazakhstan", "Astana"), ("2019", "Uzbekistan", "Tashkent"), ("2021", "Turkmenistan", "Ashgabat"),
                   ("2022", "Kyrgyzstan", "Bishkek"), ("2023", "Tajikistan", "Dushanbe"), ("2024", "Kazakhstan", "Astana"),
                   ("2025", "Uzbekistan", "Tashkent")]


def test_federated_examples_are_refused_unless_wikidata_is_allowed(built):
    for name in ("federated-born-2021", "federated-host-capitals"):
        response = federated(built, (), examples.text(name))
        assert response.status_code == 403
        assert "--allow-service https://query.wikidata.org/sparql" in response.get_data(as_text=True)
