"""The casd:search pattern is found the way the engine reads a request (kg.sparql.lexer) and replaced by VALUES of
the hits; any other use of casd:search is refused with the form it must take (kg.query.fulltext.rewrite)."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query.fulltext.rewrite import FORM, MAX_SEARCHES, Row, find, rewrite
from kg.vocab import CASD, PREFIXES

P = "PREFIX casd: <https://w3id.org/casd/ontology#>\n"
HITS = [Row("https://w3id.org/casd/person/a", 2.5, 'one "quoted" \\ line\nand the next'),
        Row("https://w3id.org/casd/person/b", 1.0, "two")]


def _search(words: str) -> list[Row]:
    return HITS if words else []


def _solutions(text: str) -> list[dict[str, ox.Term]]:
    """The rewritten query evaluated by the engine on an empty store: it must parse, and VALUES gives its rows."""
    result = ox.Store().query(rewrite(text, _search))
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in result]


def test_the_plain_form_binds_each_hit_in_order():
    rows = _solutions(P + 'SELECT ?hit WHERE { ?hit casd:search "imamali rahman" . }')
    assert [r["hit"].value for r in rows] == [h.iri for h in HITS]


def test_the_list_form_binds_score_and_snippet_exactly():
    rows = _solutions(P + 'SELECT * WHERE { (?hit ?score ?snippet) casd:search "x" }')
    assert [(r["hit"].value, float(r["score"].value), r["snippet"].value) for r in rows] == \
        [(h.iri, h.score, h.snippet) for h in HITS]
    assert rows[0]["score"].datatype == ox.NamedNode("http://www.w3.org/2001/XMLSchema#double")


def test_the_pattern_joins_with_the_rest_of_the_query():
    text = P + 'SELECT ?hit ?n WHERE { VALUES ?n { 1 } ?hit casd:search "x" . FILTER(?n = 1) }'
    assert len(_solutions(text)) == len(HITS)


def test_the_words_are_the_strings_value():
    seen = []
    rewrite(P + 'SELECT * { ?h casd:search "Kazakistan\\u2019da \\"zirve\\"" }', lambda w: seen.append(w) or [])
    rewrite(P + "SELECT * { ?h casd:search '''hâlâ'''@tr . }", lambda w: seen.append(w) or [])
    assert seen == ["Kazakistan’da \"zirve\"", "hâlâ"]


def test_the_full_iri_and_an_escaped_iri_are_the_same_pattern():
    for predicate in (f"<{CASD.search}>", "<https://w3id.org/casd/ontology#sea\\u0072ch>"):
        assert len(find(f'SELECT * {{ ?h {predicate} "x" }}')) == 1


def test_implicit_prefixes_as_kg_query_declares_them():
    assert len(find('SELECT * { ?h casd:search "x" }', dict(PREFIXES))) == 1
    assert find('SELECT * { ?h casd:search "x" }') == []              # casd: undeclared: not our IRI


def test_casd_search_in_a_string_or_another_iri_is_left_alone():
    text = P + 'SELECT * { ?s ?p "?hit casd:search \\"x\\"" . ?s casd:searchable ?o }'
    assert find(text) == [] and rewrite(text, _search) == text


def test_no_hits_is_no_solutions():
    assert _solutions(P + 'SELECT * WHERE { ?hit casd:search "" }') == []


@pytest.mark.parametrize("body", [
    '?h casd:search ?words',                    # not a string
    '?h casd:search "x" ; a casd:Person',       # part of a longer subject
    '?h casd:search "x" , "y"',
    '?s ?p ?h casd:search "x"',                 # not a pattern of its own
    '?h casd:search|casd:other "x"',            # a path
    '<https://w3id.org/casd/x> casd:search "x"',
    '(?a ?b ?c ?d) casd:search "x"',           # more than hit, score and snippet
])
def test_any_other_shape_is_refused_with_the_form(body):
    with pytest.raises(QueryError) as err:
        find(P + f"SELECT * WHERE {{ {body} }}")
    assert FORM in str(err.value)


def test_a_request_may_search_only_a_few_times():
    """Each search may stand for a thousand rows of VALUES: a request of thousands of patterns is refused before
    any search runs."""
    searched = []
    one = '?h{} casd:search "zirve" . '
    within = P + "SELECT * {{ " + "".join(one.format(i) for i in range(MAX_SEARCHES)) + "}}"
    rewrite(within.replace("{{", "{").replace("}}", "}"), lambda w: searched.append(w) or [])
    assert len(searched) == MAX_SEARCHES
    past = P + "SELECT * { " + "".join(one.format(i) for i in range(MAX_SEARCHES + 1)) + "}"
    with pytest.raises(QueryError, match=f"at most {MAX_SEARCHES}"):
        rewrite(past, lambda w: searched.append(w) or [])
    assert len(searched) == MAX_SEARCHES
