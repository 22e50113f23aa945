"""The W3C SHACL test suite (core and SHACL-SPARQL), run through kg.build.shapes.validate as this project calls pySHACL."""
from __future__ import annotations

import pytest

from conftest import NO_SHARED, SHARED, record_w3c

SUITE = SHARED / "w3c" / "shacl" / "tests"
if not SUITE.exists():
    pytest.skip(NO_SHARED, allow_module_level=True)

import shacl_w3c  # noqa: E402

CORE = shacl_w3c.collect(SUITE / "core" / "manifest.ttl", SUITE)
SPARQL = shacl_w3c.collect(SUITE / "sparql" / "manifest.ttl", SUITE)
TESTS = CORE + SPARQL
# Tests pySHACL, called as this project calls it, does not pass, with the reason. strict xfail: if one
# starts passing, the suite says so and the entry must go.
KNOWN_FAILURES: dict[str, str] = {
    "core/property/uniqueLang-002": 'pySHACL takes sh:uniqueLang "1"^^xsd:boolean as true; the spec activates the '
                                    "constraint only for the literal true, so the suite expects it to be ignored",
    "sparql/pre-binding/shapesGraph-001": "pySHACL raises NotImplementedError for $shapesGraph in SHACL-SPARQL",
}


def test_suite_has_the_core_and_sparql_tests():
    assert len(CORE) == 98 and len(SPARQL) == 22


@pytest.mark.parametrize("test", [
    pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[t.id])) if t.id in KNOWN_FAILURES else t
    for t in TESTS], ids=[t.id for t in TESTS])
def test_w3c_shacl_core(test):
    tests = CORE if test in CORE else SPARQL
    suite = f"W3C SHACL {'core' if tests is CORE else 'SHACL-SPARQL'} (through kg.build.shapes.validate)"
    record_w3c(suite, len(tests), test.id, False)
    passed, why = shacl_w3c.run(test)
    record_w3c(suite, len(tests), test.id, passed)
    assert passed, why
