"""The ontology and its vocabularies: metadata, and a label and definition in English and Vietnamese."""
import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from graphkit import paths
from graphkit.iri import ONTOLOGY, XBKG

VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(paths.ontology_dir() / "xbkg.ttl")


@pytest.fixture(scope="module")
def vocabularies():
    graph = Graph()
    for name in ("levels.ttl", "vocabularies.ttl"):
        graph.parse(paths.ontology_dir() / name)
    return graph


def languages(graph, node, predicate):
    return {literal.language for literal in graph.objects(node, predicate)}


def test_ontology_has_version_licence_and_preferred_prefix(ontology):
    assert (ONTOLOGY, OWL.versionIRI, None) in ontology
    assert (ONTOLOGY, URIRef("http://purl.org/dc/terms/license"), None) in ontology
    assert str(ontology.value(ONTOLOGY, URIRef(VANN + "preferredNamespacePrefix"))) == "xbkg"


def test_every_term_has_a_label_and_definition_in_english_and_vietnamese(ontology):
    terms = [t for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for t in ontology.subjects(RDF.type, kind) if str(t).startswith(str(XBKG))]
    assert len(terms) > 50
    for term in terms:
        assert {"en", "vi"} <= languages(ontology, term, RDFS.label), term
        assert {"en", "vi"} <= languages(ontology, term, SKOS.definition), term


def test_every_concept_has_an_english_and_vietnamese_label_and_a_scheme(vocabularies):
    concepts = list(vocabularies.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 50
    for concept in concepts:
        assert {"en", "vi"} <= languages(vocabularies, concept, SKOS.prefLabel), concept
        assert vocabularies.value(concept, SKOS.inScheme) is not None, concept


def test_every_national_level_has_a_rank_and_a_comparable_tier(vocabularies):
    tiers = URIRef("https://w3id.org/xbkg/level/tiers")
    for concept in vocabularies.subjects(SKOS.inScheme, None):
        scheme = vocabularies.value(concept, SKOS.inScheme)
        if str(scheme).startswith("https://w3id.org/xbkg/level/") and scheme != tiers:
            assert vocabularies.value(concept, XBKG.rank) is not None, concept
            assert vocabularies.value(concept, XBKG.tier) is not None, concept


def test_a_huyen_a_county_and_a_mueang_meet_at_the_district_tier(vocabularies):
    level = "https://w3id.org/xbkg/level/"
    tier = {vocabularies.value(URIRef(level + name), XBKG.tier) for name in ("vn-district", "cn-county", "la-district")}
    assert tier == {URIRef(level + "tier-district")}
