"""Prefixes used in queries, output and serialisations."""
from __future__ import annotations

from rdflib import Graph, URIRef

from .iri import BASE

PREFIXES = {
    "xbkg": BASE + "ontology#",
    "unit": BASE + "id/unit/",
    "post": BASE + "id/post/",
    "tw": BASE + "id/twinning/",
    "agr": BASE + "id/agreement/",
    "item": BASE + "id/item/",
    "ev": BASE + "id/event/",
    "claim": BASE + "id/claim/",
    "src": BASE + "id/source/",
    "orgn": BASE + "id/org/",
    "person": BASE + "id/person/",
    "pos": BASE + "id/role/",
    "lvl": BASE + "level/",
    "kind": BASE + "kind/",
    "area": BASE + "area/",
    "role": BASE + "role/",
    "pass": BASE + "passage/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
}


def sparql_prologue() -> str:
    """PREFIX lines for every project prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_all(graph: Graph) -> Graph:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def shorten(iri: str) -> str:
    """prefix:local for a project IRI, else the IRI itself."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def expand(name: str) -> URIRef:
    """A full IRI from prefix:local, <iri> or an absolute IRI."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    prefix, sep, local = name.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return URIRef(name)
