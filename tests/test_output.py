"""Query results as a table for people and as CSV, TSV and SPARQL JSON for tools."""
import csv
import io
import json

import pytest
import rdflib

from graphkit.errors import InputError
from graphkit.load import load_graph
from graphkit.namespaces import sparql_prologue
from graphkit.output import RESULT_FORMATS, render

LABELS = sparql_prologue() + """
SELECT ?unit ?name ?missing WHERE {
  VALUES ?unit { unit:la-bl-khamkeut-nape }
  ?unit skos:prefLabel ?name .
  FILTER (lang(?name) IN ("vi", "lo"))
} ORDER BY ?name"""


@pytest.fixture(scope="module")
def store():
    return load_graph()


@pytest.fixture(scope="module")
def labels(store):
    return store.query(LABELS)


def test_a_table_prefixes_iris_aligns_columns_and_counts_rows(labels):
    lines = render(labels, "table").splitlines()
    assert lines[0].split() == ["unit", "name", "missing"]
    assert lines[2].startswith("unit:la-bl-khamkeut-nape  ")
    assert lines[2].index("Bản Na Pê") == lines[0].index("name")
    assert lines[-1] == "(2 rows)"


def test_csv_keeps_full_iris_and_leaves_unbound_cells_empty(labels):
    rows = list(csv.reader(io.StringIO(render(labels, "csv"))))
    assert rows[0] == ["unit", "name", "missing"]
    assert rows[1] == ["https://w3id.org/xbkg/id/unit/la-bl-khamkeut-nape", "Bản Na Pê", ""]


def test_tsv_separates_with_tabs(labels):
    assert render(labels, "tsv").splitlines()[0] == "unit\tname\tmissing"


def test_json_follows_sparql_results_with_languages(labels):
    answer = json.loads(render(labels, "json"))
    assert answer["head"]["vars"] == ["unit", "name", "missing"]
    first = answer["results"]["bindings"][0]
    assert first["unit"] == {"type": "uri", "value": "https://w3id.org/xbkg/id/unit/la-bl-khamkeut-nape"}
    assert first["name"] == {"type": "literal", "value": "Bản Na Pê", "xml:lang": "vi"}
    assert "missing" not in first


def test_json_keeps_datatypes(store):
    result = store.query(sparql_prologue() + "SELECT ?d WHERE { tw:coc-phuong--tam-binh-ba xbkg:established ?d }")
    (binding,) = json.loads(render(result, "json"))["results"]["bindings"]
    assert binding["d"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_an_ask_answer_is_yes_or_no_and_a_json_boolean(store):
    result = store.query(sparql_prologue() + "ASK { tw:son-kim-2--na-pe a xbkg:Twinning }")
    assert render(result, "table") == "yes"
    assert json.loads(render(result, "json")) == {"head": {}, "boolean": True}
    assert render(result, "csv").splitlines() == ["boolean", "true"]


def test_a_construct_answer_is_turtle_that_reads_back(store):
    result = store.query(sparql_prologue() + "CONSTRUCT { ?t a xbkg:Twinning } WHERE { ?t a xbkg:Twinning }")
    text = render(result, "table")
    assert "tw:son-kim-2--na-pe" in text
    assert len(rdflib.Graph().parse(data=text, format="turtle")) == len(result.graph)


def test_every_format_is_registered_once():
    assert RESULT_FORMATS == ("table", "csv", "tsv", "json")


def test_an_unknown_format_is_refused(labels):
    with pytest.raises(InputError, match="unknown result format 'xml'"):
        render(labels, "xml")
