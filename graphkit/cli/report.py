"""Text for people: the build summary and validation reports."""
from __future__ import annotations

import json

import rdflib

from ..namespaces import shorten
from ..summary import Summary
from ..validate import ValidationReport


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
    if fmt == "json":
        return json.dumps({"conforms": report.conforms, "results": [r.__dict__ for r in report.results]},
                          ensure_ascii=False, indent=1)
    if fmt == "turtle":
        return _report_graph(report).serialize(format="turtle")
    if not report.results:
        return "Conforms: no violation, warning or info."
    lines, current = [], None
    for r in sorted(report.results, key=lambda r: (r.focus_label, r.focus)):
        if r.focus != current:
            current = r.focus
            lines.append(f"{r.focus_label} ({shorten(r.focus)})")
        lines.append(f"  {r.severity}: {r.message}  [{shorten(r.shape)}]")
    lines.append(f"{report.count('Violation')} violation(s), {report.count('Warning')} warning(s), {report.count('Info')} info")
    return "\n".join(lines)


def _report_graph(report: ValidationReport) -> rdflib.Graph:
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    graph = rdflib.Graph()
    graph.bind("sh", sh)
    root = rdflib.BNode()
    graph.add((root, rdflib.RDF.type, sh.ValidationReport))
    graph.add((root, sh.conforms, rdflib.Literal(report.conforms)))
    for r in report.results:
        node = rdflib.BNode()
        graph.add((root, sh.result, node))
        graph.add((node, rdflib.RDF.type, sh.ValidationResult))
        graph.add((node, sh.focusNode, rdflib.URIRef(r.focus)))
        graph.add((node, sh.sourceShape, rdflib.URIRef(r.shape)))
        graph.add((node, sh.resultSeverity, sh[r.severity]))
        graph.add((node, sh.resultMessage, rdflib.Literal(r.message)))
        if r.path:
            graph.add((node, sh.resultPath, rdflib.URIRef(r.path)))
    return graph
