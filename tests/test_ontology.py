"""The ontology documents itself in Turkish and English and says how each term maps to Wikidata."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from conftest import ROOT

CASD = Namespace("https://w3id.org/casd/ontology#")
ONTOLOGY = URIRef("https://w3id.org/casd/ontology")


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ROOT / "ontology" / "casd.ttl")


def terms(g: Graph, *kinds) -> list[URIRef]:
    return sorted({s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(str(CASD))})


def test_ontology_header(onto):
    for p in (OWL.versionIRI, DCTERMS.license, DCTERMS.creator, OWL.versionInfo):
        assert onto.value(ONTOLOGY, p) is not None, p
    assert {l.language for l in onto.objects(ONTOLOGY, DCTERMS.description)} == {"tr", "en"}


def test_required_classes_exist(onto):
    classes = {s.split("#")[1] for s in terms(onto, OWL.Class)}
    assert {"Actor", "State", "Person", "Organization", "Summit", "SummitSeries", "Issue", "Position",
            "Decision", "Place", "SourceDocument", "Participation"} <= classes


def test_every_term_has_turkish_and_english_label_and_comment(onto):
    for term in terms(onto, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty):
        for p in (RDFS.label, RDFS.comment):
            langs = sorted(l.language for l in onto.objects(term, p) if isinstance(l, Literal))
            assert langs == ["en", "tr"], (term, p, langs)


def test_actor_subclasses_are_pairwise_disjoint(onto):
    axioms = [list(onto.items(onto.value(a, OWL.members))) for a in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert [CASD.State, CASD.Person, CASD.Organization] in axioms


def _wikidata_matches(onto: Graph, term) -> set[str]:
    return {str(o) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in onto.objects(term, p)
            if str(o).startswith("http://www.wikidata.org/")}


def test_every_term_maps_to_wikidata_or_says_why_not(onto):
    mapped = 0
    all_terms = terms(onto, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in all_terms:
        partners = {term} | set(onto.objects(term, OWL.inverseOf)) | set(onto.subjects(OWL.inverseOf, term))
        if any(_wikidata_matches(onto, t) for t in partners):
            mapped += 1
        else:
            assert onto.value(term, SKOS.editorialNote) is not None, f"{term}: no Wikidata match and no note why"
    print(f"\n{mapped}/{len(all_terms)} ontology terms map to Wikidata (directly or through their inverse)")
    # The n-ary nodes (Participation, Tenure, Membership) and their parts play the part of Wikidata's statements
    # and qualifiers, which are neither items nor properties: each says so in its note.
    assert mapped >= len(all_terms) * 0.5


def test_wikidata_alignment_iris_have_the_right_form(onto):
    kinds = {OWL.Class: r"entity/Q\d+", OWL.ObjectProperty: r"prop/(direct|statement|qualifier)?/?P\d+",
             OWL.DatatypeProperty: r"prop/direct/P\d+"}
    for kind, pattern in kinds.items():
        for term in terms(onto, kind):
            for iri in _wikidata_matches(onto, term):
                assert re.fullmatch(r"http://www\.wikidata\.org/" + pattern, iri), (term, iri)


def test_properties_have_domain_and_range(onto):
    for prop in terms(onto, OWL.ObjectProperty, OWL.DatatypeProperty):
        assert onto.value(prop, RDFS.domain) is not None, prop
        if prop not in (CASD.postponedBecauseOf,):
            assert onto.value(prop, RDFS.range) is not None, prop


def test_each_inverse_pair_is_declared_once_between_object_properties(onto):
    """owl:inverseOf is symmetric, so one direction is declared and the reasoner gives the other; both ends are
    object properties of the ontology."""
    pairs = list(onto.subject_objects(OWL.inverseOf))
    assert len(pairs) >= 5
    for a, b in pairs:
        assert (b, OWL.inverseOf, a) not in onto or a == b, (a, b)
        assert (a, RDF.type, OWL.ObjectProperty) in onto and (b, RDF.type, OWL.ObjectProperty) in onto, (a, b)


def test_evidence_required_marks_only_casd_properties_and_title(onto):
    marked = set(onto.subjects(CASD.evidenceRequired, Literal(True)))
    assert DCTERMS.title in marked and CASD.agent in marked and CASD.role in marked   # roles are quoted like any fact
    assert CASD.textFile not in marked and CASD.reading not in marked   # project-internal: no source states them
