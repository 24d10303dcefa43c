"""The curated data: the seed facts are there, every fact cites its source, every quote is real."""
import re
from pathlib import Path

import pytest
from rdflib import URIRef

from graphkit import paths
from graphkit.load import load_graph
from graphkit.namespaces import sparql_prologue

SEEDS = paths.project_root().parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def store():
    return load_graph()


def select(store, body: str, **bindings):
    return store.query(sparql_prologue() + body, bindings).rows


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_seed_article_is_a_source_with_its_file(store):
    rows = select(store, "SELECT ?src ?file WHERE { ?src xbkg:seedFile ?file }")
    assert sorted(str(r["file"])[:3] for r in rows) == ["000", "001", "002", "003", "004"]
    for row in rows:
        assert (SEEDS / str(row["file"])).is_file()


def test_every_quote_stands_verbatim_in_its_article(store):
    rows = select(store, """SELECT ?quote ?file WHERE {
        ?e a xbkg:Evidence ; prov:value ?quote ; prov:wasQuotedFrom/xbkg:seedFile ?file }""")
    assert len(rows) > 40
    texts = {}
    for row in rows:
        name = str(row["file"])
        texts.setdefault(name, squeeze((SEEDS / name).read_text(encoding="utf-8")))
        assert squeeze(str(row["quote"])) in texts[name], f"{row['quote']!r} is not in {name}"


@pytest.mark.parametrize("kind", ["Twinning", "Agreement", "ContentItem", "Event", "AggregateClaim",
                                  "LocationClaim", "AdministrativeUnit", "BorderPost"])
def test_every_node_of_a_kind_cites_a_source(store, kind):
    rows = select(store, f"""SELECT ?node WHERE {{
        ?node a ?class . ?class rdfs:subClassOf* xbkg:{kind} .
        FILTER NOT EXISTS {{ ?node prov:wasDerivedFrom ?source . ?source a xbkg:Source }} }}""")
    assert rows == [], [str(r["node"]) for r in rows]


def test_every_partner_has_a_chain_of_parents_up_to_its_country(store):
    partners = select(store, "SELECT DISTINCT ?p ?country WHERE { ?t xbkg:partner ?p . ?p xbkg:country ?country }")
    parent = {str(r["u"]): str(r["p"]) for r in select(store, "SELECT ?u ?p WHERE { ?u xbkg:parent ?p }")}
    assert len(partners) == 22
    for row in partners:
        node, seen = str(row["p"]), []
        while node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        assert node == str(row["country"]), f"{row['p']} stops at {node}"


def test_the_seed_twinnings_are_all_there(store):
    labels = {str(r["l"]) for r in select(store, "SELECT ?l WHERE { ?t a xbkg:Twinning ; rdfs:label ?l }")}
    assert labels == {
        "Thị trấn Si Ma Cai – trấn Seo Pả Chư", "Thôn Cốc Phương – tổ Tam Bình Bá", "Xã Sơn Kim 2 – bản Na Pê",
        "Xã Sơn Kim 1 – bản Thoọng Pẹ", "Thôn 11 xã Sơn Hồng – bản Xốp Tơơng", "Đà Nẵng – Salavan",
        "Thừa Thiên Huế – Sê Kông", "Sơn La – Luông Pha Băng", "Quảng Trị – Savannakhet",
        "Hội An – Wernigerode", "Cần Thơ – Sán Đầu"}


def test_the_residential_cluster_twinning_dates_from_17_august_2013_and_was_reviewed_after_10_years(store):
    (row,) = select(store, """SELECT ?est ?n ?date WHERE {
        tw:coc-phuong--tam-binh-ba xbkg:established ?est .
        ?review xbkg:reviews tw:coc-phuong--tam-binh-ba ; xbkg:yearsReviewed ?n ; xbkg:date ?date }""")
    assert (str(row["est"]), int(row["n"]), str(row["date"])) == ("2013-08-17", 10, "2023-08-25")


def test_son_kim_2_gave_50_tonnes_of_cement(store):
    (row,) = select(store, """SELECT ?v ?unit WHERE {
        ?aid a xbkg:AidEvent ; xbkg:aidItem "cement"@en ; xbkg:quantity [ schema:value ?v ; schema:unitCode ?unit ] }""")
    assert (int(row["v"]), str(row["unit"])) == (50, "TNE")


def test_the_nghe_an_headline_is_kept_beside_the_ha_tinh_body(store):
    rows = select(store, """SELECT ?within ?passage WHERE {
        ?c a xbkg:LocationClaim ; xbkg:claimAbout unit:vn-23-huong-son-son-kim-2 ; xbkg:claimedWithin ?within ;
           xbkg:evidence/xbkg:passage ?passage }""")
    found = {(str(r["within"]).rsplit("/", 1)[-1], str(r["passage"]).rsplit("/", 1)[-1]) for r in rows}
    assert found == {("vn-23", "body"), ("vn-22", "headline")}


def test_the_si_ma_cai_record_has_five_items_each_with_an_area(store):
    rows = select(store, """SELECT ?n (COUNT(?area) AS ?areas) WHERE {
        agr:si-ma-cai--seo-pa-chu-twinning-record xbkg:contentItem ?i . ?i xbkg:itemNumber ?n ; xbkg:cooperationArea ?area
    } GROUP BY ?n ORDER BY ?n""")
    assert [int(r["n"]) for r in rows] == [1, 2, 3, 4, 5]
    assert all(int(r["areas"]) >= 1 for r in rows)


def test_the_wrong_source_line_is_kept_verbatim(store):
    (row,) = select(store, "SELECT ?s WHERE { src:seed-004 xbkg:statedSource ?s }")
    assert str(row["s"]) == "Bóng đá Italia"
