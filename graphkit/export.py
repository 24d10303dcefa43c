"""Exports for the tools people draw with: one registry (FORMATS), one writer function per format.

Network formats (GraphML, GEXF, Cytoscape.js, DOT, GeoJSON, CSV) start from the clean projection
in network.py; RDF formats (JSON-LD, Turtle, N-Triples, N-Quads) write the RDF itself, the whole
graph when no filter is given and otherwise the description of what the filter selects.
Every file is written to a temporary name and renamed (store.write_atomically).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Callable

import networkx as nx
import pydot
import rdflib
from networkx.readwrite.gexf import GEXFWriter
from pyld import jsonld
from rdflib import URIRef

from .errors import InputError
from .namespaces import PREFIXES, bind_all, sparql_prologue
from .network import NetworkFilter, build_network
from .store import RdflibStore, write_atomically

XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEXF_VERSION = "1.3"
NQUADS_GRAPH = URIRef("https://w3id.org/xbkg/graph")

RELATED = sparql_prologue() + """
SELECT DISTINCT ?related WHERE {
  { ?related xbkg:concerns|xbkg:reviews|xbkg:renews ?tw }
  UNION { ?agreement xbkg:concerns|xbkg:renews ?tw ; xbkg:contentItem ?related }
  UNION { ?agreement xbkg:concerns|xbkg:renews ?tw ; prov:wasGeneratedBy ?related }
}"""


@dataclass(frozen=True)
class Format:
    """An export format: its writer, the file suffix it suggests and what reads it."""

    write: Callable[[object, NetworkFilter, Path], list[Path]]
    suffix: str
    description: str


def export(store, fmt: str, out: Path, selection: NetworkFilter | None = None) -> list[Path]:
    """Write the graph (narrowed by `selection`) in format `fmt` to `out`; returns the files written."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(store, selection or NetworkFilter(), Path(out))


def context() -> dict:
    """The published JSON-LD @context (graphkit/static/context.jsonld)."""
    return json.loads(files("graphkit").joinpath("static/context.jsonld").read_text(encoding="utf-8"))


def _write_text(path: Path, text: str) -> list[Path]:
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return [path]


def write_graphml(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """GraphML for yEd, Gephi and Cytoscape; edge ids are twinning ids."""
    graph = build_network(store, selection)
    write_atomically(out, lambda tmp: nx.write_graphml(graph, tmp, named_key_ids=True, edge_id_from_attribute="id"))
    return [out]


class _Gexf13Writer(GEXFWriter):
    """networkx's GEXF writer with the XML Schema instance namespace right for version 1.3."""

    versions = {**GEXFWriter.versions, "1.3": {**GEXFWriter.versions["1.3"], "NS_XSI": XSI}}


def gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiGraph | nx.MultiDiGraph:
    """A copy with GEXF's time and edge-type keywords: units live from validFrom to validUntil,
    a twinning from its establishment date (or the bound, where only a bound is known).
    Twinnings alone make an undirected graph; with the hierarchy, GEXF's mixed graph
    (parent edges directed), which Gephi reads and networkx's reader refuses."""
    hierarchy = any(d["relation"] == "parent" for _, _, d in graph.edges(data=True))
    timed = graph.copy() if hierarchy else nx.MultiGraph(graph)
    for _, data in timed.nodes(data=True):
        if "valid_from" in data:
            data["start"] = data["valid_from"][:10]
        if "valid_until" in data:
            data["end"] = data["valid_until"][:10]
    for _, _, data in timed.edges(data=True):
        data["type"] = "undirected" if data["relation"] == "twinning" else "directed"
    return timed


def write_gexf(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """GEXF 1.3 for Gephi, dynamic: the timeline plays the twinnings forward."""
    writer = _Gexf13Writer(graph=gexf_graph(build_network(store, selection)), version=GEXF_VERSION)
    writer.graph_element.set("timerepresentation", "interval")
    write_atomically(out, lambda tmp: writer.write(tmp))
    return [out]


def write_cytoscape(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """Cytoscape.js JSON (elements with data), which Cytoscape desktop also imports."""
    data = nx.cytoscape_data(build_network(store, selection), name="label", ident="id")
    return _write_text(out, json.dumps(data, ensure_ascii=False, indent=1))


def _dot_id(text: str) -> str:
    """A quoted DOT id: unquoted, 'unit:vn-02' would read as node 'unit', port 'vn-02'."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot_graph(graph: nx.MultiDiGraph) -> pydot.Dot:
    """A pydot graph with one cluster of nodes per country; twinnings drawn without arrows."""
    dot = pydot.Dot("twinnings", graph_type="digraph", rankdir="LR", charset="UTF-8")
    clusters: dict[str, pydot.Cluster] = {}
    for node, data in sorted(graph.nodes(data=True)):
        country = data.get("country", "unknown")
        if country not in clusters:
            clusters[country] = pydot.Cluster(country, label=_dot_id(country))
        clusters[country].add_node(pydot.Node(_dot_id(node), **{k: _dot_id(str(v)) for k, v in data.items()}))
    for cluster in clusters.values():
        dot.add_subgraph(cluster)
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: e[2]["id"]):
        style = {"dir": "none"} if data["relation"] == "twinning" else {"style": "dashed"}
        attrs = {k: _dot_id(str(v)) for k, v in data.items()} | style
        dot.add_edge(pydot.Edge(_dot_id(source), _dot_id(target), **attrs))
    return dot


def write_dot(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """Graphviz DOT, nodes clustered by country."""
    return _write_text(out, dot_graph(build_network(store, selection)).to_string())


def geojson_collection(graph: nx.MultiDiGraph) -> dict:
    """RFC 7946 FeatureCollection: a Point per located node, a LineString per edge between two."""
    features = []
    for node, data in sorted(graph.nodes(data=True)):
        if "lon" in data:
            features.append({"type": "Feature", "id": node, "properties": {"id": node, **data},
                             "geometry": {"type": "Point", "coordinates": [data["lon"], data["lat"]]}})
    for source, target, data in sorted(graph.edges(data=True), key=lambda e: e[2]["id"]):
        ends = [graph.nodes[source], graph.nodes[target]]
        if all("lon" in end for end in ends):
            line = [[end["lon"], end["lat"]] for end in ends]
            features.append({"type": "Feature", "id": data["id"],
                             "properties": {"source": source, "target": target, **data},
                             "geometry": {"type": "LineString", "coordinates": line}})
    return {"type": "FeatureCollection", "features": features}


def write_geojson(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """GeoJSON for QGIS and kepler.gl: units as points, twinnings as lines."""
    return _write_text(out, json.dumps(geojson_collection(build_network(store, selection)), ensure_ascii=False, indent=1))


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    write_atomically(path, write)


def write_csv(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """nodes.csv and edges.csv in the folder `out`, with Gephi's column names (Id, Label, Source, Target, Type)."""
    graph = build_network(store, selection)
    nodes = [{"Id": node, "Label": data["label"], **{k: v for k, v in data.items() if k != "label"}}
             for node, data in sorted(graph.nodes(data=True))]
    edges = [{"Source": s, "Target": t, "Id": d["id"], "Label": d["label"],
              "Type": "Undirected" if d["relation"] == "twinning" else "Directed",
              **{k: v for k, v in d.items() if k not in ("id", "label")}}
             for s, t, d in sorted(graph.edges(data=True), key=lambda e: e[2]["id"])]
    node_header = ["Id", "Label"] + sorted({k for row in nodes for k in row} - {"Id", "Label"})
    edge_header = ["Source", "Target", "Id", "Label", "Type"] + sorted(
        {k for row in edges for k in row} - {"Source", "Target", "Id", "Label", "Type"})
    _write_csv(out / "nodes.csv", node_header, nodes)
    _write_csv(out / "edges.csv", edge_header, edges)
    return [out / "nodes.csv", out / "edges.csv"]


def selected_graph(store, selection: NetworkFilter) -> rdflib.Graph:
    """The whole graph for an empty filter; else the description of every selected unit and
    twinning, of the agreements, content items and events of those twinnings, and of their sources."""
    full = store.to_rdflib()
    if selection.is_empty and not selection.hierarchy:
        return bind_all(full)
    network = build_network(store, selection)
    seeds = {URIRef(d["iri"]) for _, d in network.nodes(data=True)}
    twinnings = [URIRef(d["iri"]) for _, _, d in network.edges(data=True) if d["relation"] == "twinning"]
    seeds.update(twinnings)
    for twinning in twinnings:
        seeds.update(row["related"] for row in store.query(RELATED, {"tw": twinning}).rows)
    chosen = rdflib.Graph()
    for seed in seeds:
        chosen += full.cbd(seed)
    sources = {o for s, p, o in chosen if str(p) in (PREFIXES["prov"] + "wasDerivedFrom", PREFIXES["prov"] + "wasQuotedFrom")}
    for source in sources:
        chosen += full.cbd(source)
    return bind_all(chosen)


def _rdf_writer(store_format: str) -> Callable[[object, NetworkFilter, Path], list[Path]]:
    def write(store, selection: NetworkFilter, out: Path) -> list[Path]:
        if selection.is_empty and not selection.hierarchy:  # the whole graph: the store writes it fastest
            store.serialize(out, store_format, graph_name=str(NQUADS_GRAPH))
            return [out]
        selected = RdflibStore()
        selected.graph = selected_graph(store, selection)
        selected.serialize(out, store_format, graph_name=str(NQUADS_GRAPH))
        return [out]
    write.__doc__ = f"RDF as {store_format}; quads in the one named graph {NQUADS_GRAPH}."
    return write


def write_jsonld(store, selection: NetworkFilter, out: Path) -> list[Path]:
    """JSON-LD compacted by PyLD with the published context, inlined so the file reads offline.
    (rdflib's own compaction drops blank nodes reached through a term typed @id.)"""
    expanded = json.loads(selected_graph(store, selection).serialize(format="json-ld"))
    document = jsonld.compact(expanded, context())
    return _write_text(out, json.dumps(document, ensure_ascii=False, indent=1))


FORMATS: dict[str, Format] = {
    "graphml": Format(write_graphml, ".graphml", "GraphML (yEd, Gephi, Cytoscape)"),
    "gexf": Format(write_gexf, ".gexf", "GEXF 1.3, dynamic (Gephi timeline)"),
    "cytoscape": Format(write_cytoscape, ".cyjs", "Cytoscape.js JSON (Cytoscape, web pages)"),
    "dot": Format(write_dot, ".dot", "Graphviz DOT, clustered by country"),
    "geojson": Format(write_geojson, ".geojson", "GeoJSON RFC 7946 (QGIS, kepler.gl)"),
    "csv": Format(write_csv, "", "nodes.csv and edges.csv in a folder (Gephi, spreadsheets)"),
    "jsonld": Format(write_jsonld, ".jsonld", "JSON-LD with the published @context"),
    "turtle": Format(_rdf_writer("turtle"), ".ttl", "RDF Turtle"),
    "ntriples": Format(_rdf_writer("ntriples"), ".nt", "RDF N-Triples"),
    "nquads": Format(_rdf_writer("nquads"), ".nq", "RDF N-Quads, one named graph"),
}
