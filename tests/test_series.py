"""The whole series of meetings, curated from the stored texts (data/series/), and the queries over it.

The curated graphs are part of the default build (Config.data_files reads data/ and data/series/): the built graph
(the session's `built` fixture: every quote checked against its text, HermiT, SHACL in full) is what is queried.
"""
from __future__ import annotations

from conftest import ROOT
from kg.query import examples
from kg.query.results import rows
from kg.store.embedded import query

R = "https://w3id.org/casd/"
XSD = "http://www.w3.org/2001/XMLSchema#"
SERIES = sorted((ROOT / "data" / "series").glob("*.trig"))


def answer(built, name: str) -> list[dict[str, str]]:
    return rows(query(built.store, examples.text(name), prefixes=False))


def select(built, text: str) -> list[dict[str, str]]:
    return rows(query(built.store, text, prefixes=True))


def test_the_series_holds_every_meeting_from_its_texts(config):
    assert len(SERIES) == 30 and (ROOT / "data" / "series" / "entities.trig") in SERIES
    assert set(SERIES) <= set(config.data_files)                     # in the default build
    for path in SERIES:
        if path.stem != "entities":
            assert (ROOT / "data" / "sources" / f"{path.stem}.txt").is_file(), path


def test_the_series_passes_the_quote_check_and_the_shapes(built):
    # the build checked every quote against its text (it raises on a mismatch) and validated in full (it raises on
    # a violation); here: the series' quotes were among those checked, and nothing was left over
    assert built.report.conforms and built.report.violation_count == 0
    quoted = {r["document"].removeprefix(R + "document/"): int(r["quotes"]) for r in select(built, """
        SELECT ?document (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {
          ?quote a casd:Quote ; oa:hasSource ?text . ?document casd:textFile ?text } GROUP BY ?document""")}
    assert set(quoted) == {"avim-blog-50"} | {p.stem for p in SERIES if p.stem != "entities"}
    assert all(n > 0 for n in quoted.values())
    assert built.quotes_checked == sum(quoted.values())
    # the state new to the series is linked to Wikidata (cs:WikidataItemRequired held it back before)
    assert query(built.store, "ASK { state:azerbaijan owl:sameAs ?item }")


def test_the_days_of_the_first_meetings(built):
    """The series states the days of the 1st and 2nd meetings: the graph asserts them (one casd:date each, from
    statements that are not conflicting claims); AVİM's years stay as its statements, not asserted."""
    dates = {r["summit"].removeprefix(R + "summit/"): (r["date"], r["type"]) for r in select(built, """
        SELECT DISTINCT ?summit ?date (DATATYPE(?date) AS ?type) WHERE {
          VALUES ?summit { summit:2018-kazakhstan summit:2019-uzbekistan } ?summit casd:date ?date }""")}
    assert dates == {"2018-kazakhstan": ("2018-03-15", XSD + "date"), "2019-uzbekistan": ("2019-11-29", XSD + "date")}
    backing = {(r["summit"].removeprefix(R + "summit/"), r["statement"].removeprefix(R + "statement/"))
               for r in select(built, """
        SELECT DISTINCT ?summit ?statement WHERE {
          ?summit casd:date ?date .
          ?statement a rdf:Statement ; rdf:subject ?summit ; rdf:predicate casd:date ; rdf:object ?date ;
                     prov:wasDerivedFrom ?quote .
          FILTER NOT EXISTS { ?statement a casd:ConflictingClaim }
          FILTER (?summit IN (summit:2018-kazakhstan, summit:2019-uzbekistan)) }""")}
    assert backing == {("2018-kazakhstan", "mir24-undated-002"), ("2018-kazakhstan", "sputnik-uz-2018-03-15-003"),
                       ("2019-uzbekistan", "mfa-tm-2019-11-30-003"), ("2019-uzbekistan", "newscentralasia-2019-12-02-002")}
    years = {(r["summit"].removeprefix(R + "summit/"), r["year"], r["asserted"], r["conflicting"]) for r in select(built, """
        SELECT DISTINCT ?summit ?year
               (EXISTS { ?summit casd:date ?year } AS ?asserted)
               (EXISTS { ?statement a casd:ConflictingClaim } AS ?conflicting) WHERE {
          GRAPH graph:avim-blog-50 {
            ?statement a rdf:Statement ; rdf:subject ?summit ; rdf:predicate casd:date ; rdf:object ?year ;
                       prov:wasDerivedFrom ?quote . }
          FILTER (DATATYPE(?year) = xsd:gYear) }""")}
    assert years == {("2018-kazakhstan", "2018", "false", "false"), ("2019-uzbekistan", "2019", "false", "false")}


def test_series_in_order(built):
    got = [(r["ordinal"], r["date"], r.get("cityLabel"), r["hostLabel"], "; ".join(sorted(r["hostedOrChairedBy"].split("; "))))
           for r in answer(built, "series-in-order")]
    assert got == [                                   # each date as precise as its sources, each leader with the role
        ("1", "2018-03-15", "Astana", "Kazakhstan", "Nursultan Nazarbayev (host)"),   # the days: see above
        ("2", "2019-11-29", "Tashkent", "Uzbekistan", "Shavkat Mirziyoyev (chair)"),
        ("3", "2021-08-06", "Avaza", "Turkmenistan", "Gurbanguly Berdimuhamedov (chair)"),
        ("4", "2022-07-21", "Cholpon-Ata", "Kyrgyzstan", "Sadyr Japarov (host)"),
        ("5", "2023-09-14", "Dushanbe", "Tajikistan", "Emomali Rahmon (chair)"),
        ("6", "2024-08-09", "Astana", "Kazakhstan", "Kassym-Jomart Tokayev (chair); Kassym-Jomart Tokayev (host)"),
        ("7", "2025-11-16", "Tashkent", "Uzbekistan", "Shavkat Mirziyoyev (host)"),
    ]
    nexts = [r.get("next") for r in answer(built, "series-in-order")]
    assert nexts == [R + f"summit/{s}" for s in ("2019-uzbekistan", "2021-turkmenistan", "2022-kyrgyzstan",
                                                  "2023-tajikistan", "2024-kazakhstan", "2025-uzbekistan")] + [None]


def test_attendance(built):
    got = {r["person"].removeprefix(R + "person/"): r for r in answer(built, "attendance")}
    assert got["emomali-rahmon"]["meetings"] == "6" and "5: Chair, President of Tajikistan" in got["emomali-rahmon"]["attended"]
    assert got["akja-nurberdiyeva"]["attended"] == "1: Representative, Chair of the Mejlis of Turkmenistan, for Turkmenistan"
    assert "5: GuestOfHonour" in got["ilham-aliyev"]["attended"] and "7: Participant" in got["ilham-aliyev"]["attended"]
    assert "2: Participant, First President of Kazakhstan" in got["nursultan-nazarbayev"]["attended"]
    assert got["sooronbay-jeenbekov"]["meetings"] == "1"          # one person under each spelling: Ceenbekov, Jeenbekov


def test_heads_of_state(built):
    got = {(r["ordinal"], r["stateLabel"]): (r.get("headLabel"), r["came"], r.get("sent")) for r in answer(built, "heads-of-state")}
    assert got[("2", "Kazakhstan")] == ("Kassym-Jomart Tokayev", "false", "Nursultan Nazarbayev")   # the founding president came
    assert got[("1", "Turkmenistan")] == (None, "false", "Akja Nurberdiyeva")      # the speaker; no record of the head
    assert got[("1", "Kazakhstan")] == ("Nursultan Nazarbayev", "true", None)
    assert got[("3", "Turkmenistan")] == ("Gurbanguly Berdimuhamedov", "true", None)
    assert got[("4", "Turkmenistan")] == ("Serdar Berdimuhamedov", "true", None)
    assert got[("7", "Azerbaijan")] == ("Ilham Aliyev", "true", None)
    assert ("5", "Azerbaijan") not in got                                           # a guest, not a member state
    assert len([key for key in got if key[0] == "7"]) == 6 and len([key for key in got if key[0] == "3"]) == 5


def test_head_of_host_state_on_the_real_graph(built):
    got = {r["summit"].removeprefix(R + "summit/"): r["headLabel"] for r in answer(built, "head-of-host-state")}
    assert got == {"2018-kazakhstan": "Nursultan Nazarbayev", "2019-uzbekistan": "Shavkat Mirziyoyev",
                   "2021-turkmenistan": "Gurbanguly Berdimuhamedov", "2022-kyrgyzstan": "Sadyr Japarov",
                   "2023-tajikistan": "Emomali Rahmon", "2024-kazakhstan": "Kassym-Jomart Tokayev",
                   "2025-uzbekistan": "Shavkat Mirziyoyev"}


def test_recurring_issues(built):
    got = {r["issue"].removeprefix(R + "issue/"): r for r in answer(built, "recurring-issues")}
    assert all(int(r["meetings"]) >= 2 for r in got.values())
    assert got["situation-in-afghanistan"]["firstMeeting"] == "2"
    assert got["security"]["meetings"] == "6"                          # through the narrower issues discussed
    assert "food-security" in got and "slogan" not in got


def test_membership(built):
    got = {(r["ordinal"], r["stateLabel"], r["as"]) for r in answer(built, "membership")}
    assert ("5", "Azerbaijan", "guest of honour") in got and ("6", "Azerbaijan", "guest of honour") in got
    assert ("7", "Azerbaijan", "full member from this meeting") in got
    assert not any(o in ("1", "2", "3", "4") and state == "Azerbaijan" for o, state, _ in got)
    assert {state for o, state, how in got if o == "1" and how == "took part as a member"} == \
        {"Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"}


def test_meeting_facts(built, config):
    facts = answer(built, "meeting-facts")
    assert len(facts) > 100
    documents = {r["document"].removeprefix(R + "document/") for r in facts}
    assert {"haberler-2025-11-16", "24kg-2025-11-16", "trend-2025-11-16"} <= documents
    for r in facts:
        text = (config.root / "data/sources" / (r["document"].removeprefix(R + "document/") + ".txt")).read_text(encoding="utf-8")
        assert text[int(r["start"]):int(r["end"])] == r["exact"], r
    host = [r for r in facts if r["predicate"].endswith("#role") and r["object"].endswith("#Host")]
    assert host and all("ev sahipliğinde" in r["exact"] for r in host if r["document"].endswith("haberler-2025-11-16"))


def test_conflicts(built):
    found = answer(built, "conflicts")
    got = {(r["subject"].removeprefix(R), r["predicate"].rsplit("#", 1)[-1], r["claimed"]) for r in found}
    assert ("summit/2023-tajikistan", "date", "2023-07-14") in got                 # SETA's July against September
    assert ("summit/2021-turkmenistan", "location", R + "place/turkmenbashi") in got
    asserted = {r.get("asserted") for r in found if r["subject"] == R + "summit/2023-tajikistan"}
    assert asserted == {"2023-09-14"}                                            # beside what the graph asserts
    # the days of the 1st and 2nd meetings are asserted now, not held as conflicting claims
    assert not any(s in ("summit/2018-kazakhstan", "summit/2019-uzbekistan") and claimed in ("2018-03-15", "2019-11-29")
                   for s, _, claimed in got)
    assert {r.get("asserted") for r in found if r["subject"] == R + "summit/2018-kazakhstan"} <= {"2018-03-15"}
    assert all(r["claimed"] != r.get("asserted") for r in found)                  # a claim the graph asserts is no conflict
