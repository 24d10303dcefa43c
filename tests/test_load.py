"""Loading: real files into both engines, and bad input reported with file and line."""
from pathlib import Path

import pytest

from graphkit.errors import InputError
from graphkit.load import default_sources, graph_files, load_graph
from graphkit.store import ENGINES

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("engine", ENGINES)
def test_turtle_syntax_error_names_file_and_line(engine):
    with pytest.raises(InputError) as caught:
        load_graph([FIXTURES / "broken-syntax.ttl"], engine=engine)
    assert caught.value.path.endswith("broken-syntax.ttl")
    assert caught.value.line == 5
    assert "broken-syntax.ttl:5:" in str(caught.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_missing_file_is_an_input_error(engine, tmp_path):
    with pytest.raises(InputError) as caught:
        load_graph([tmp_path / "absent.ttl"], engine=engine)
    assert "absent.ttl" in str(caught.value)


def test_default_sources_hold_ontology_and_data_but_not_shapes():
    names = {p.name for p in default_sources()}
    assert {"xbkg.ttl", "levels.ttl", "vocabularies.ttl", "sources.ttl", "countries.ttl"} <= names
    assert "shapes.ttl" not in names


def test_graph_files_are_listed_in_a_stable_order(tmp_path):
    for name in ["b.ttl", "a.ttl", "notes.txt"]:
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in graph_files([tmp_path])] == ["a.ttl", "b.ttl"]


def test_both_engines_load_the_same_number_of_triples():
    sizes = {engine: len(load_graph(engine=engine)) for engine in ENGINES}
    assert len(set(sizes.values())) == 1 and sizes["oxigraph"] > 3000
