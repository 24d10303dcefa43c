"""Reference data is reproducible: the checked-in files are exactly what the generator writes."""
import pytest

from graphkit import paths
from graphkit.load import load_graph
from graphkit.reference import REFERENCE_FILES, render
from graphkit.namespaces import sparql_prologue


@pytest.mark.parametrize("name", sorted(REFERENCE_FILES))
def test_checked_in_reference_file_matches_the_generator(name):
    committed = (paths.data_dir() / "reference" / name).read_text(encoding="utf-8")
    assert committed == render(name), f"data/reference/{name} is stale: run `graphkit reference`"


def test_vietnam_has_63_provinces_before_and_34_after_the_2025_reform():
    store = load_graph()
    count = sparql_prologue() + """
    SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {
      ?p xbkg:level lvl:vn-province .
      OPTIONAL { ?p xbkg:validFrom ?from } OPTIONAL { ?p xbkg:validUntil ?until }
      FILTER((!BOUND(?from) || ?from <= ?day) && (!BOUND(?until) || ?until >= ?day))
    }"""
    from rdflib import Literal, XSD
    before = store.query(count, {"day": Literal("2025-06-30", datatype=XSD.date)}).rows[0]["n"]
    after = store.query(count, {"day": Literal("2025-07-01", datatype=XSD.date)}).rows[0]["n"]
    assert (int(before), int(after)) == (63, 34)


def test_merged_lao_cai_is_succeeded_by_the_2025_province():
    store = load_graph()
    rows = store.query(sparql_prologue() + "SELECT ?s ?code WHERE { unit:vn-02 xbkg:successor ?s . unit:vn-06 xbkg:successor ?s . ?s xbkg:nationalCode ?code }").rows
    assert [(str(r["s"]).rsplit("/", 1)[-1], str(r["code"])) for r in rows] == [("vn-2025-15", "15")]


def test_all_lao_provinces_carry_iso_codes():
    store = load_graph()
    rows = store.query(sparql_prologue() + "SELECT ?code WHERE { ?p xbkg:level lvl:la-province ; xbkg:isoCode ?code }").rows
    assert len(rows) == 18 and all(str(r["code"]).startswith("LA-") for r in rows)
