"""The store interface: the same answers from both engines, bound parameters, atomic writes."""
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from graphkit.load import load_graph
from graphkit.namespaces import sparql_prologue
from graphkit.store import ENGINES, new_store, write_atomically

TWINNINGS_OF = sparql_prologue() + """
SELECT ?tw WHERE { ?tw a xbkg:Twinning ; xbkg:partner ?unit } ORDER BY ?tw"""
COC_PHUONG = URIRef("https://w3id.org/xbkg/id/unit/vn-02-muong-khuong-ban-lau-coc-phuong")


@pytest.fixture(scope="module", params=ENGINES)
def store(request):
    return load_graph(engine=request.param)


def test_bound_parameter_selects_the_unit_twinnings(store):
    rows = store.query(TWINNINGS_OF, {"unit": COC_PHUONG}).rows
    assert [str(r["tw"]) for r in rows] == ["https://w3id.org/xbkg/id/twinning/coc-phuong--tam-binh-ba"]


def test_a_hostile_literal_is_bound_as_a_plain_value(store):
    query = sparql_prologue() + 'SELECT ?u WHERE { ?u rdfs:label ?name }'
    assert store.query(query, {"name": Literal('x" } ; DROP ALL ; { "')}).rows == []


def test_ask_and_construct_come_back_as_their_kinds(store):
    ask = store.query(sparql_prologue() + "ASK { ?t a xbkg:Twinning }")
    assert ask.kind == "ask" and ask.boolean is True
    built = store.query(sparql_prologue() + "CONSTRUCT { ?t a xbkg:Twinning } WHERE { ?t a xbkg:Twinning }")
    assert built.kind == "graph" and len(built.graph) == 11


def test_literals_keep_language_and_datatype(store):
    query = sparql_prologue() + "SELECT ?d WHERE { tw:coc-phuong--tam-binh-ba xbkg:established ?d }"
    (row,) = store.query(query).rows
    assert row["d"] == Literal("2013-08-17", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))


@pytest.mark.parametrize("engine", ENGINES)
def test_serialized_graph_reads_back_whole(engine, tmp_path):
    store = load_graph(engine=engine)
    store.serialize(tmp_path / "graph.nt", "ntriples")
    assert len(Graph().parse(tmp_path / "graph.nt", format="nt")) == len(store)


def test_failed_write_leaves_neither_file_nor_temp(tmp_path):
    target = tmp_path / "out.ttl"

    def broken(tmp: Path):
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken)
    assert list(tmp_path.iterdir()) == []


def test_unknown_engine_is_refused():
    from graphkit.errors import InputError
    with pytest.raises(InputError):
        new_store("sqlite")


def test_an_unwritable_place_is_an_input_error_naming_it(tmp_path):
    from graphkit.errors import InputError
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        write_atomically(blocker / "out.ttl", lambda tmp: tmp.write_text("x", encoding="utf-8"))
    assert str(blocker / "out.ttl") in str(caught.value)


def test_a_failing_write_of_the_os_is_an_input_error_and_leaves_no_temp(tmp_path):
    from graphkit.errors import InputError

    def full(tmp: Path):
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="No space left"):
        write_atomically(tmp_path / "out.ttl", full)
    assert list(tmp_path.iterdir()) == []
