"""docs/ontology.html and docs/shapes.html are what `graphkit docs` writes from ontology/."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SH

from graphkit import paths
from graphkit.ontology_docs import ontology_html, shapes_html

DOCS = paths.project_root() / "docs"


@pytest.fixture(scope="module")
def ontology_page() -> str:
    return ontology_html()


def test_committed_ontology_page_is_what_pylode_writes(ontology_page):
    assert ontology_page == (DOCS / "ontology.html").read_text(encoding="utf-8"), "run `graphkit docs` and commit docs/"


def test_committed_shapes_page_is_what_the_generator_writes():
    assert shapes_html() == (DOCS / "shapes.html").read_text(encoding="utf-8"), "run `graphkit docs` and commit docs/"


def test_ontology_page_documents_every_class_with_its_vietnamese_label(ontology_page):
    graph = rdflib.Graph().parse(paths.ontology_dir() / "xbkg.ttl")
    classes = set(graph.subjects(rdflib.RDF.type, rdflib.OWL.Class))
    assert classes and all(str(c) in ontology_page for c in classes)
    assert "quan hệ kết nghĩa" in ontology_page


def test_shapes_page_lists_every_named_shape():
    graph = rdflib.Graph().parse(paths.ontology_dir() / "shapes.ttl")
    page = shapes_html()
    shapes = [s for s in graph.subjects(rdflib.RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef)]
    assert all(f"<h3>{graph.namespace_manager.normalizeUri(s)}</h3>" in page for s in shapes)
