"""IRIs: minted by one function under one base, and every instance IRI in data/ is one of them."""
import pytest
from rdflib import URIRef

from graphkit.iri import BASE, mint, parse
from graphkit.load import load_graph


def test_mint_builds_readable_iris_under_the_base():
    assert mint("twinning", "coc-phuong--tam-binh-ba") == URIRef(BASE + "id/twinning/coc-phuong--tam-binh-ba")


@pytest.mark.parametrize("kind,key", [("units", "vn"), ("unit", "Lào Cai"), ("unit", "a b"), ("unit", "")])
def test_mint_refuses_unknown_kinds_and_unsafe_keys(kind, key):
    with pytest.raises(ValueError):
        mint(kind, key)


def test_every_instance_iri_in_the_data_is_minted():
    store = load_graph()
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/xbkg/id/')) }").rows
    assert len(rows) > 200
    for row in rows:
        parsed = parse(str(row["s"]))
        assert parsed is not None, row["s"]
        assert mint(*parsed) == row["s"]
