"""Every export format, read back with the parser its tool uses (or a strict one), on the seed graph."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import geojson
import networkx as nx
import pydot
import pytest
import rdflib
from click.testing import CliRunner
from pyld import jsonld
from rdflib.compare import isomorphic

from graphkit.cli import main
from graphkit.export import FORMATS, NQUADS_GRAPH, context, export, selected_graph
from graphkit.load import load_graph
from graphkit.network import LIST_SEPARATOR, parse_filter

TWINNINGS, PARTNERS = 11, 22
COC_PHUONG = "tw:coc-phuong--tam-binh-ba"


@pytest.fixture(scope="module")
def store():
    return load_graph()


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory):
    """Each format written once, unfiltered, into one folder: format -> path."""
    folder = tmp_path_factory.mktemp("exports")
    paths = {}
    for name, spec in FORMATS.items():
        target = folder / (name if name == "csv" else f"graph{spec.suffix}")
        export(store, name, target)
        paths[name] = target
    return paths


def test_graphml_reads_back_with_types_kept(exported):
    graph = nx.read_graphml(exported["graphml"], force_multigraph=True)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (PARTNERS, TWINNINGS)
    twinning = next(d for _, _, k, d in graph.edges(keys=True, data=True) if k == COC_PHUONG)
    assert (twinning["start"], twinning["reviews"], twinning["kind"]) == ("2013-08-17", 1, "residential-cluster-twinning")
    assert isinstance(graph.nodes["unit:vn-05"]["lat"], float) and graph.nodes["unit:vn-05"]["rank"] == 1


def test_gexf_is_version_1_3_with_the_right_namespaces(exported):
    root = ET.parse(exported["gexf"]).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    location = root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation")
    assert location == "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd"


def test_gexf_is_dynamic_so_the_timeline_plays_twinnings_forward(exported):
    root = ET.parse(exported["gexf"]).getroot()
    graph = root.find("{http://gexf.net/1.3}graph")
    assert (graph.get("mode"), graph.get("timeformat"), graph.get("timerepresentation")) == ("dynamic", "date", "interval")
    edges = {e.get("id"): e for e in graph.iter("{http://gexf.net/1.3}edge")}
    assert edges[COC_PHUONG].get("start") == "2013-08-17"
    assert edges["tw:son-kim-2--na-pe"].get("start") == "2022-07-22"
    assert edges["tw:hoi-an--wernigerode"].get("start") is None
    assert {e.get("type") for e in edges.values()} == {"undirected"}


def test_gexf_reads_back_with_networkx(exported):
    graph = nx.read_gexf(exported["gexf"], version="1.3")
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (PARTNERS, TWINNINGS)
    assert graph.nodes["unit:vn-02-si-ma-cai-thi-tran"]["end"] == "2025-06-30"
    assert graph.nodes["unit:la-bl-khamkeut-nape"]["label"] == "Bản Na Pê"


def test_cytoscape_json_reads_back_as_elements(exported):
    data = json.loads(exported["cytoscape"].read_text(encoding="utf-8"))
    assert len(data["elements"]["nodes"]) == PARTNERS and len(data["elements"]["edges"]) == TWINNINGS
    assert all({"id", "label"} <= set(n["data"]) for n in data["elements"]["nodes"])
    graph = nx.cytoscape_graph(data, name="label", ident="id")
    assert graph.number_of_edges() == TWINNINGS


def test_dot_parses_with_one_cluster_per_country(exported):
    dot = pydot.graph_from_dot_data(exported["dot"].read_text(encoding="utf-8"))[0]
    clusters = {c.get_name(): c for c in dot.get_subgraphs()}
    assert set(clusters) == {"cluster_VN", "cluster_CN", "cluster_LA", "cluster_DE"}
    countries = {name: {n.get("country") for n in c.get_nodes()} for name, c in clusters.items()}
    assert countries["cluster_VN"] == {'"VN"'} and countries["cluster_LA"] == {'"LA"'}
    assert sum(len(c.get_nodes()) for c in clusters.values()) == PARTNERS
    edges = dot.get_edges()
    assert len(edges) == TWINNINGS and {e.get("dir") for e in edges} == {"none"}
    assert any(e.get_source() == '"unit:vn-02-muong-khuong-ban-lau-coc-phuong"' for e in edges)


def test_geojson_is_valid_rfc_7946_with_points_and_lines(exported):
    collection = geojson.loads(exported["geojson"].read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert "crs" not in collection
    kinds = [f["geometry"]["type"] for f in collection["features"]]
    assert kinds.count("Point") == PARTNERS and kinds.count("LineString") == TWINNINGS
    for feature in collection["features"]:
        for lon, lat in (feature["geometry"]["coordinates"] if feature["geometry"]["type"] == "LineString"
                         else [feature["geometry"]["coordinates"]]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_geojson_marks_inherited_points(exported):
    features = {f["id"]: f for f in json.loads(exported["geojson"].read_text(encoding="utf-8"))["features"]}
    village = features["unit:vn-02-muong-khuong-ban-lau-coc-phuong"]["properties"]
    assert (village["coordinates"], village["coordinates_from"]) == ("inherited", "unit:vn-02-muong-khuong-ban-lau")
    line = features[COC_PHUONG]
    assert line["geometry"]["coordinates"] == [[104.05, 22.62], [103.99, 22.61]]


def test_csv_has_gephi_columns_and_one_row_per_node_and_edge(exported):
    with (exported["csv"] / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with (exported["csv"] / "edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert (len(nodes), len(edges)) == (PARTNERS, TWINNINGS)
    assert list(nodes[0])[:2] == ["Id", "Label"] and list(edges[0])[:5] == ["Source", "Target", "Id", "Label", "Type"]
    town = next(n for n in nodes if n["Id"] == "unit:cn-yn-wenshan-maguan-xiaobazi")
    assert "Seo Pả Chư" in town["alt_names"].split(LIST_SEPARATOR)
    coc_phuong = next(e for e in edges if e["Id"] == COC_PHUONG)
    assert (coc_phuong["Type"], coc_phuong["start"], coc_phuong["reviews"]) == ("Undirected", "2013-08-17", "1")


def test_jsonld_expands_to_the_same_rdf_graph(store, tmp_path):
    selection = parse_filter(countries="VN-CN")
    export(store, "jsonld", tmp_path / "vn-cn.jsonld", selection)
    document = json.loads((tmp_path / "vn-cn.jsonld").read_text(encoding="utf-8"))
    expanded = rdflib.Graph().parse(data=jsonld.to_rdf(document, {"format": "application/n-quads"}), format="nquads")
    assert isomorphic(expanded, selected_graph(store, selection))


def test_jsonld_uses_the_published_context_for_short_keys(exported, store):
    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"] == context()["@context"]
    twinning = next(n for n in document["@graph"] if n.get("id") == COC_PHUONG)
    assert twinning["type"] == "Twinning" and twinning["established"]["@value"] == "2013-08-17"
    assert sorted(twinning["partner"]) == ["unit:cn-yn-honghe-hekou-nanxi-longbao-tam-binh-ba",
                                           "unit:vn-02-muong-khuong-ban-lau-coc-phuong"]
    expanded = jsonld.to_rdf(document, {"format": "application/n-quads"})
    assert len(rdflib.Graph().parse(data=expanded, format="nquads")) == len(store)


@pytest.mark.parametrize("fmt, parser", [("turtle", "turtle"), ("ntriples", "nt")])
def test_rdf_exports_hold_the_whole_graph(exported, store, fmt, parser):
    assert len(rdflib.Graph().parse(exported[fmt], format=parser)) == len(store)


def test_nquads_put_every_triple_in_the_named_graph(exported, store):
    dataset = rdflib.Dataset()
    dataset.parse(exported["nquads"], format="nquads")
    assert len(dataset.graph(NQUADS_GRAPH)) == len(store)
    assert len(dataset.default_graph) == 0


def test_filtered_rdf_holds_the_twinnings_agreements_items_and_sources(store, tmp_path):
    export(store, "turtle", tmp_path / "lao-cai.ttl", parse_filter(under="vn-02"))
    graph = rdflib.Graph().parse(tmp_path / "lao-cai.ttl")
    subjects = {str(s).rsplit("/id/", 1)[-1] for s in graph.subjects()}
    assert {"twinning/coc-phuong--tam-binh-ba", "agreement/ban-lau--nanxi-memorandum-2023",
            "item/ban-lau--nanxi-2023-5", "event/coc-phuong--tam-binh-ba-review-10", "source/seed-001"} <= subjects
    assert "twinning/son-kim-2--na-pe" not in subjects


def test_exports_leave_no_temporary_file_behind(exported):
    folder = exported["gexf"].parent
    assert not [p for p in folder.rglob(".*")]


def test_cli_writes_the_named_format(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "gexf", "--out", str(tmp_path / "g.gexf"),
                                       "--countries", "VN-LA", "--as-of", "2022-12-31"])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(tmp_path / "g.gexf", version="1.3").number_of_edges() == 6


def test_cli_refuses_an_unknown_format_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "svg", "--out", str(tmp_path / "g.svg")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "graphkit: unknown export format 'svg'; choose one of " + ", ".join(FORMATS)]
    assert not (tmp_path / "g.svg").exists()


def test_cli_refuses_a_bad_filter_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "graphml", "--out", str(tmp_path / "g.graphml"),
                                       "--level", "hamlet"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.strip() == ("graphkit: unknown level 'hamlet'; use a level such as vn-commune "
                                     "or a tier such as commune")
