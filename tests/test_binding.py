"""Binding values into query text: one VALUES block in the outer WHERE group, nothing else touched."""
import pytest
from rdflib import Literal, URIRef

from graphkit.binding import bind_values
from graphkit.errors import InputError
from graphkit.load import load_graph


def test_values_open_the_outer_where_group_not_a_construct_template():
    query = "PREFIX a: <http://e/#> CONSTRUCT { ?s a:p ?o } WHERE { ?s a:p ?o }"
    bound = bind_values(query, {"s": URIRef("http://e/x")})
    assert bound.index("VALUES") > bound.index("WHERE")


def test_braces_and_where_inside_comments_strings_and_iris_are_ignored():
    query = '# where { not here\nSELECT ?x WHERE { ?x <http://e/where{> "WHERE {" }'
    bound = bind_values(query, {"x": URIRef("http://e/y")})
    assert bound.startswith('# where { not here\nSELECT ?x WHERE {\n  VALUES (?x) { (<http://e/y>) }')


def test_a_select_without_the_where_keyword_is_bound_too():
    assert "VALUES (?x)" in bind_values("SELECT * { ?x ?p ?o }", {"x": Literal(1)})


@pytest.mark.parametrize("payload", ['} ; DROP ALL ; {', '" } DROP ALL #', "'''", "\\\" )"])
def test_hostile_literals_stay_literals(payload):
    store = load_graph()
    query = "SELECT ?name WHERE { BIND(?name AS ?echo) }"
    rows = store.query(query, {"name": Literal(payload)}).rows
    assert [str(r["name"]) for r in rows] == [payload]


@pytest.mark.parametrize("iri", ["http://e/a> . ?s ?p ?o . <x", "http://e/a b", ""])
def test_iris_that_could_break_out_are_refused(iri):
    with pytest.raises(InputError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": URIRef(iri)})


def test_variable_names_are_checked():
    with pytest.raises(InputError):
        bind_values("SELECT * WHERE { ?s ?p ?o }", {"s) } DROP": Literal(1)})
