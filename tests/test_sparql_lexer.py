"""The tokeniser behind the SSRF guard, the USING rewrite and the row cap."""
from __future__ import annotations

import pytest

from kg.sparql.lexer import DatasetConflict, add_using, declarations, tokens, top_level_limit


def test_strings_comments_and_iris_are_single_tokens():
    toks = tokens('PREFIX a: <http://x/> # SERVICE <http://y/>\nSELECT ?s { ?s a:p "SERVICE <z>" ; a:q 12 }')
    assert [t.kind for t in toks] == ["word", "pname", "iri", "word", "var", "other", "var", "pname", "string",
                                      "other", "pname", "number", "other"]
    assert declarations(toks) == ({"a": "http://x/"}, None)


@pytest.mark.parametrize("query, limit", [
    ("SELECT * { ?s ?p ?o } LIMIT 10", 10),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }", None),
    ("SELECT * { ?s ?p \"LIMIT 3\" } ORDER BY ?s LIMIT 20 OFFSET 5", 20),
    ("SELECT * { ?s ?p ?o } # LIMIT 1", None),
    ("SELECT * { ?s ?p ?o } limit\n 7 # request 3", 7),                      # the tail read without the lexer
    ('SELECT * { ?s ?p "}" } LIMIT 9', 9),
    ("SELECT * { ?s ?p ?o } LIMIT 2 VALUES ?s { <http://a> }", 2),            # a brace after LIMIT: lexed
    ("SELECT * { ?s ?p ?o } # }\n LIMIT 4", 4),
    ("SELECT * { ?s ?p ?o } ORDER BY ex:LIMIT 5", None),
    ("SELECT * { ?s ?p ?o } OFFSET 2", None),
])
def test_top_level_limit(query, limit):
    assert top_level_limit(query) == limit


def test_mentions_is_a_superset_of_the_keyword_tokens():
    from kg.sparql.lexer import mentions
    for text in ("SELECT * { SERVICE <http://x> { ?s ?p ?o } }", "select * { service <http://x> {} }"):
        assert mentions(text, "SERVICE") and any(t.is_word("SERVICE") for t in tokens(text))
    assert not mentions("SELECT * { ?s ?p ?o }", "SERVICE", "LOAD")


def test_using_goes_before_where_of_each_modify_operation_only():
    text = "INSERT DATA { <a> <b> <c> } ; DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; DELETE WHERE { ?s ?p ?o }"
    out = add_using(text, ["http://g"], [])
    assert out.count("USING <http://g>") == 1
    assert "} USING <http://g> WHERE { ?s ?p ?o } ;" in out


def test_using_conflicts_with_with():
    with pytest.raises(DatasetConflict):
        add_using("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://h"], [])


from kg.sparql.lexer import decode_iri, lex  # noqa: E402


def _kinds(text):
    return [(t.kind, t.text) for t in lex(text) if t.kind != "ws"]


def test_prefixed_names_read_their_escapes_as_the_engine_does():
    assert _kinds("ex:a\\# SERVICE") == [("pname", "ex:a\\#"), ("word", "SERVICE")]
    assert _kinds("ex:a\\' SERVICE 'z'") == [("pname", "ex:a\\'"), ("word", "SERVICE"), ("string", "'z'")]
    assert _kinds("ex:%41b\\.c") == [("pname", "ex:%41b\\.c")]
    assert _kinds("ex:a.b.c") == [("pname", "ex:a.b"), ("other", "."), ("word", "c")]   # one run of dots only
    assert _kinds(":x a.b:") == [("pname", ":x"), ("pname", "a.b:")]


def test_comments_end_at_a_line_break_and_never_start_inside_a_token():
    assert _kinds("?s # x SERVICE\r?o") == [("var", "?s"), ("comment", "# x SERVICE"), ("var", "?o")]
    assert _kinds('"a # b" <http://x/#y>') == [("string", '"a # b"'), ("iri", "<http://x/#y>")]


def test_strings_take_only_the_engines_escapes():
    assert _kinds('"a\\"b" \'c\\u0041\'') == [("string", '"a\\"b"'), ("string", "'c\\u0041'")]
    assert _kinds('"a\\qb"')[0] == ("other", '"')                       # an invalid escape is not a string
    assert _kinds('"""a""b""" \'\'\'x\'\'\'') == [("string", '"""a""b"""'), ("string", "'''x'''")]
    assert _kinds("'''a'''''") == [("string", "'''a'''"), ("string", "''")]


def test_iris_hold_escapes_and_decode_like_the_engine():
    assert _kinds("<http://x/\\u0078>") == [("iri", "<http://x/\\u0078>")]
    assert _kinds("<http://x/ y>")[0] == ("other", "<")
    assert decode_iri("http://x/\\u0078\\U00000079") == "http://x/xy"
    assert decode_iri("http://x/\\u+041") == "http://x/A"               # u32::from_str_radix takes a leading +
    assert decode_iri("http://x/\\uD800") is None and decode_iri("a\\zb") is None


def test_variables_blank_nodes_and_language_tags():
    assert _kinds("?a_:b $c _:d.e @en-GB--ltr") == [("var", "?a_"), ("pname", ":b"), ("var", "$c"),
                                                      ("bnode", "_:d.e"), ("langtag", "@en-GB--ltr")]
    assert [t.kind for t in tokens("_:d @en")] == ["pname", "other"]     # the public kinds stay as they were
