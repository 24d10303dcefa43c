"""The documentation in docs/, generated from ontology/ so it never drifts from the model.

docs/ontology.html is pyLODE's OntPub page of the ontology, its level schemes and its
vocabularies. pyLODE documents OWL, not SHACL, so docs/shapes.html lists every shape of
ontology/shapes.ttl (targets, constraints, severity, message) in a plain page of the same look.
"""
from __future__ import annotations

import json
import logging
import re
from html import escape
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from . import paths
from .store import write_atomically
from .namespaces import shorten

JSON_LD_BLOCK = re.compile(r'(<script[^>]*type="application/ld\+json"[^>]*>)(.*?)(</script>)', re.DOTALL)
ONTOLOGY_FILES = ("xbkg.ttl", "levels.ttl", "vocabularies.ttl")
SHAPES_FILE = "shapes.ttl"
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
CONSTRAINTS = (SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.hasValue,
               SH.pattern, SH.node, SH.minInclusive, SH.maxInclusive, SH.languageIn, SH.uniqueLang,
               SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH["or"], SH["not"])


def ontology_graph(folder: Path | None = None) -> rdflib.Graph:
    """The ontology, level schemes and vocabularies as one graph."""
    folder = folder or paths.ontology_dir()
    graph = rdflib.Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(folder / name, format="turtle")
    return graph


def ontology_html(folder: Path | None = None) -> str:
    """pyLODE's page for the ontology."""
    from pylode import OntPub  # imported late: it loads its background ontologies on import

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.WARNING)  # pyLODE configures the root logger to chat at DEBUG
    try:
        return _stable_json_ld(OntPub(ontology=ontology_graph(folder)).make_html())
    finally:
        root.setLevel(level)


def _sorted_json(value):
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted((_sorted_json(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _stable_json_ld(html: str) -> str:
    """The page with its embedded JSON-LD in a fixed order: pyLODE's follows Python's hash seed."""
    def sort_block(match: re.Match) -> str:
        block = json.dumps(_sorted_json(json.loads(match[2])), ensure_ascii=False, indent=2)
        return f"{match[1]}\n{block}\n{match[3]}"
    return JSON_LD_BLOCK.sub(sort_block, html)


def _curie(graph: rdflib.Graph, iri: URIRef) -> str:
    """prefix:name with the project's prefixes, else the shapes file's own, else the IRI."""
    short = shorten(str(iri))
    if short != str(iri):
        return short
    try:
        prefix, namespace, local = graph.namespace_manager.compute_qname(str(iri), generate=False)
        return f"{prefix}:{local}"
    except (KeyError, ValueError):
        return str(iri)


def _term(graph: rdflib.Graph, node) -> str:
    """A readable form of a term: prefix:name, a literal, a list or a path."""
    if isinstance(node, URIRef):
        return _curie(graph, node)
    if isinstance(node, Literal):
        return repr(str(node)) if node.datatype is None else str(node)
    if (node, RDF.first, None) in graph:
        return "(" + " ".join(_term(graph, item) for item in Collection(graph, node)) + ")"
    steps = [(p, o) for p, o in graph.predicate_objects(node)]
    return "[" + "; ".join(f"{shorten(str(p))} {_term(graph, o)}" for p, o in sorted(steps)) + "]"


def _messages(graph: rdflib.Graph, node) -> str:
    return " / ".join(sorted(str(m) for m in graph.objects(node, SH.message)))


def _constraints(graph: rdflib.Graph, node) -> str:
    parts = [f"{shorten(str(p))} {_term(graph, o)}" for p in CONSTRAINTS for o in graph.objects(node, p)]
    return "; ".join(sorted(parts))


def _shape_section(graph: rdflib.Graph, shape) -> str:
    name = _curie(graph, shape) if isinstance(shape, URIRef) else "(anonymous shape)"
    rows = []
    for prop in sorted(graph.objects(shape, SH.property), key=lambda p: _term(graph, graph.value(p, SH.path))):
        severity = graph.value(prop, SH.severity) or graph.value(shape, SH.severity) or SH.Violation
        rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in (
            _term(graph, graph.value(prop, SH.path)), _constraints(graph, prop),
            shorten(str(severity)).split(":")[-1], _messages(graph, prop))) + "</tr>")
    for sparql in sorted(graph.objects(shape, SH.sparql), key=str):
        severity = graph.value(sparql, SH.severity) or graph.value(shape, SH.severity) or SH.Violation
        rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in (
            "SPARQL", str(graph.value(sparql, SH.select) or "").strip(), shorten(str(severity)).split(":")[-1],
            _messages(graph, sparql))) + "</tr>")
    targets = "; ".join(sorted(f"{shorten(str(p))} {_term(graph, o)}" for p in TARGETS for o in graph.objects(shape, p)))
    comment = " ".join(str(c) for c in graph.objects(shape, RDFS.comment))
    own = _constraints(graph, shape)
    html = [f'<section id="{escape(name)}"><h3>{escape(name)}</h3>',
            f"<p><strong>Targets:</strong> {escape(targets or 'none (used from another shape)')}</p>"]
    if comment:
        html.append(f"<p>{escape(comment)}</p>")
    if own or _messages(graph, shape):
        html.append(f"<p><strong>Constraints:</strong> {escape(own)} {escape(_messages(graph, shape))}</p>")
    if rows:
        html.append("<table><tr><th>Path</th><th>Constraints</th><th>Severity</th><th>Message</th></tr>"
                    + "".join(rows) + "</table>")
    html.append("</section>")
    return "\n".join(html)


def shapes_html(folder: Path | None = None) -> str:
    """A page listing every SHACL shape of ontology/shapes.ttl."""
    path = (folder or paths.ontology_dir()) / SHAPES_FILE
    graph = rdflib.Graph()
    if path.is_file():
        graph.parse(path, format="turtle")
    shapes = sorted({s for s in graph.subjects(RDF.type, SH.NodeShape)} | {s for s in graph.subjects(SH.property, None)},
                    key=lambda s: (isinstance(s, BNode), str(s)))
    body = "\n".join(_shape_section(graph, s) for s in shapes if not isinstance(s, BNode)) or \
        "<p>ontology/shapes.ttl declares no shapes yet.</p>"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SHACL shapes of the cross-border knowledge graph</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:75rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccd;padding:.3rem .5rem;vertical-align:top;text-align:left}}
th{{background:#eef}}h3{{margin-top:2rem}}</style></head>
<body><h1>SHACL shapes</h1>
<p>Generated by <code>graphkit docs</code> from <code>ontology/{SHAPES_FILE}</code>; the ontology itself is in <a href="ontology.html">ontology.html</a>.
{len([s for s in shapes if not isinstance(s, BNode)])} shapes.</p>
{body}
</body></html>
"""


def write_docs(out: Path | None = None, ontology: Path | None = None) -> list[Path]:
    """Write docs/ontology.html and docs/shapes.html from the files in ontology/."""
    out = Path(out) if out else paths.project_root() / "docs"
    pages = {"ontology.html": ontology_html(ontology), "shapes.html": shapes_html(ontology)}
    for name, text in pages.items():
        write_atomically(out / name, lambda tmp, text=text: tmp.write_text(text, encoding="utf-8"))
    return [out / name for name in pages]
