"""Text for people: the build summary and validation reports."""
from __future__ import annotations

import json
from dataclasses import asdict

import rdflib

from ..namespaces import shorten
from ..summary import Summary
from ..validate import SEVERITIES, ShapeResult, ValidationReport


def render_summary(summary: Summary, report: ValidationReport | None) -> str:
    lines = [f"Graph: {summary.triples} triples", "", "By kind:"]
    lines += [f"  {name:<28} {n:>5}" for name, n in summary.by_class]
    lines += ["", "Units by level:"]
    lines += [f"  {name:<28} {n:>5}" for name, n in summary.units_by_level]
    lines += ["", "Twinnings by kind, country pair and tier pair:"]
    lines += [f"  {kind:<36} {pair:<6} {levels:<22} {n:>3}" for kind, pair, levels, n in summary.twinnings_by_pair]
    lines += ["", "Aggregate claims against the graph (claimed / held):"]
    lines += [f"  {label:<56} {claimed:>3} / {held:<3}" for label, claimed, held in summary.claims]
    if report is not None:
        lines += ["", f"SHACL: {report.count('Violation')} violation(s), {report.count('Warning')} warning(s), {report.count('Info')} info"]
        lines += [f"  {r.severity}: {r.message}" for r in report.results]
    return "\n".join(lines)


def render_report(report: ValidationReport, fmt: str) -> str:
    """A validation report as text for people, or as JSON or Turtle (a SHACL report) for tools."""
    return REPORT_FORMATS[fmt](report)


def _counts(report: ValidationReport) -> str:
    counts = [report.count(s) for s in SEVERITIES]
    verdict = "conforms" if report.conforms else "does not conform"
    return f"{counts[0]} violation(s), {counts[1]} warning(s), {counts[2]} info: {verdict}."


def _shape_name(shape: str) -> str:
    return shape.rsplit("#", 1)[-1]


def _report_text(report: ValidationReport) -> str:
    """Results grouped by the thing at fault, worst first, each thing named by its label."""
    groups: dict[str, list[ShapeResult]] = {}
    for result in report.results:  # already ordered by severity, then label
        groups.setdefault(result.focus, []).append(result)
    lines = []
    for focus, results in groups.items():
        lines.append(f"{results[0].focus_label}  ({shorten(focus)})")
        lines += [f"  {r.severity:<9} {_shape_name(r.shape)}: {r.message}" for r in results]
        lines.append("")
    lines.append(_counts(report))
    return "\n".join(lines)


def _report_json(report: ValidationReport) -> str:
    document = {"conforms": report.conforms}
    document |= {f"{s.lower()}s": report.count(s) for s in SEVERITIES}
    document["results"] = [asdict(r) for r in report.results]
    return json.dumps(document, ensure_ascii=False, indent=1)


def _report_turtle(report: ValidationReport) -> str:
    return _report_graph(report).serialize(format="turtle")


REPORT_FORMATS = {"text": _report_text, "json": _report_json, "turtle": _report_turtle}


def _node(term: str) -> rdflib.term.Node:
    """An IRI, or a blank node for a focus that has no IRI."""
    return rdflib.URIRef(term) if ":" in term else rdflib.BNode(term)


def _report_graph(report: ValidationReport) -> rdflib.Graph:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    graph = rdflib.Graph()
    graph.bind("sh", sh)
    graph.bind("shp", "https://w3id.org/xbkg/shapes#")
    root = rdflib.BNode()
    graph.add((root, rdflib.RDF.type, sh.ValidationReport))
    graph.add((root, sh.conforms, rdflib.Literal(report.conforms)))
    for r in report.results:
        node = rdflib.BNode()
        graph.add((root, sh.result, node))
        graph.add((node, rdflib.RDF.type, sh.ValidationResult))
        graph.add((node, sh.focusNode, _node(r.focus)))
        graph.add((node, sh.sourceShape, rdflib.URIRef(r.shape)))
        graph.add((node, sh.resultSeverity, sh[r.severity]))
        graph.add((node, sh.resultMessage, rdflib.Literal(r.message)))
        if r.path:
            graph.add((node, sh.resultPath, rdflib.URIRef(r.path)))
    return graph
