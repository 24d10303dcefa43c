"""The set-at-a-time validator gives pyshacl's results exactly, on the seed graph and on generated graphs."""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from bench.generate import FAULT_KINDS, generate
from graphkit.errors import InputError
from graphkit.fastvalidate import validate_fast
from graphkit.load import default_sources, load_graph
from graphkit.store import OxigraphStore
from graphkit.validate import load_shapes, validate, validate_graph

FIXTURES = Path(__file__).parent / "fixtures"
SHP = "https://w3id.org/xbkg/shapes#"


def _both(files: list[Path]) -> tuple[rdflib.Graph, OxigraphStore]:
    """The same triples in rdflib and in Oxigraph, blank nodes keeping their labels so results compare."""
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path)
    store = OxigraphStore()
    store.add_triples(graph)
    return graph, store


@pytest.fixture(scope="module")
def seed():
    return _both(default_sources())


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A small generated graph (ontology included) with one planted fault of each kind."""
    path = tmp_path_factory.mktemp("generated") / "graph.nt"
    manifest = generate(path, 2000, seed=11, faults_per_kind=1)
    graph, store = _both([path])
    return graph, store, manifest


def test_seed_graph_gives_pyshacls_results(seed):
    graph, store = seed
    shapes = load_shapes()
    assert validate_fast(store, shapes).keys() == validate_graph(graph, shapes).keys()


def test_generated_graph_gives_pyshacls_results(generated):
    graph, store, _ = generated
    shapes = load_shapes()
    fast = validate_fast(store, shapes)
    assert fast.keys() == validate_graph(graph, shapes).keys()
    assert fast.count("Violation") >= len(FAULT_KINDS) - 1


def test_every_planted_fault_is_found_by_its_shape(generated):
    _, store, manifest = generated
    found = {(r.focus, r.shape) for r in validate_fast(store, load_shapes()).results}
    missed = [(kind, focus) for kind, foci in manifest.faults.items() for focus in foci
              if (focus, SHP + FAULT_KINDS[kind][0]) not in found]
    assert all(len(foci) == 1 for foci in manifest.faults.values())
    assert missed == []


def test_core_components_give_pyshacls_results(seed):
    graph, store = seed
    shapes = load_shapes(FIXTURES / "fastvalidate-core-shapes.ttl")
    fast = validate_fast(store, shapes)
    assert fast.keys() == validate_graph(graph, shapes).keys()
    assert len({r.shape for r in fast.results}) >= 10


def test_sh_node_reports_the_nested_results_as_pyshacl_does(seed):
    _, store = seed
    shapes = load_shapes(FIXTURES / "fastvalidate-core-shapes.ttl")
    results = validate_fast(store, shapes).results
    nested = [r for r in results if r.path == "https://w3id.org/xbkg/ontology#country"]
    assert any(r.focus == "https://w3id.org/xbkg/id/unit/la" for r in nested)


def test_unsupported_component_is_refused(seed, tmp_path):
    _, store = seed
    shapes_file = tmp_path / "closed.ttl"
    shapes_file.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape> a sh:NodeShape ; sh:targetClass <https://w3id.org/xbkg/ontology#Twinning> ; sh:closed true .\n")
    with pytest.raises(InputError, match="sh:closed"):
        validate_fast(store, load_shapes(shapes_file))


def test_validate_on_oxigraph_agrees_with_validate_on_rdflib():
    fast = validate(load_graph(engine="oxigraph"))
    reference = validate(load_graph(engine="rdflib"))
    assert [(r.focus, r.shape, r.severity, r.message) for r in fast.results] == \
           [(r.focus, r.shape, r.severity, r.message) for r in reference.results]


def test_sparql_constraint_with_limit_is_refused(seed, tmp_path):
    _, store = seed
    shapes_file = tmp_path / "limit.ttl"
    shapes_file.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:shape> a sh:NodeShape ; sh:targetClass <https://w3id.org/xbkg/ontology#Twinning> ;\n"
        "  sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p ?o } LIMIT 1\" ] .\n")
    with pytest.raises(InputError, match="LIMIT"):
        validate_fast(store, load_shapes(shapes_file))
