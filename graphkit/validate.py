"""Validating the graph against ontology/shapes.ttl with pyshacl, and reading the report back."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyshacl
import rdflib
from rdflib import RDF, RDFS, SKOS, Namespace

from . import paths
from .errors import InputError

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ShapeResult:
    """One result of a SHACL report, with labels for people."""

    focus: str
    focus_label: str
    shape: str
    path: str
    severity: str
    message: str
    value: str = ""


@dataclass
class ValidationReport:
    results: list[ShapeResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (Warnings and Infos do not fail a build)."""
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def keys(self) -> set[tuple[str, str, str, str]]:
        """(focus, shape, path, severity) of every result, for comparing validators."""
        return {(r.focus, r.shape, r.path, r.severity) for r in self.results}


def shapes_path() -> Path:
    return paths.ontology_dir() / "shapes.ttl"


def load_shapes(path: Path | None = None) -> rdflib.Graph:
    path = path or shapes_path()
    if not path.is_file():
        raise InputError("no such shapes file", path)
    try:
        return rdflib.Graph().parse(path, format="turtle")
    except SyntaxError as error:
        raise InputError(f"shapes syntax error: {error}", path, getattr(error, "lineno", None)) from None


def _label(graph: rdflib.Graph, node) -> str:
    for predicate in (RDFS.label, SKOS.prefLabel):
        value = graph.value(node, predicate)
        if value is not None:
            return str(value)
    return str(node)


def _term(node) -> str:
    return "" if node is None else str(node)


def read_report(report: rdflib.Graph, data: rdflib.Graph) -> ValidationReport:
    """The results of a SHACL validation report graph, labelled from the data graph."""
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        results.append(ShapeResult(
            focus=_term(focus),
            focus_label=_label(data, focus),
            shape=_term(shape),
            path=_term(report.value(result, SH.resultPath)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=" ".join(str(m) for m in report.objects(result, SH.resultMessage)),
            value=_term(report.value(result, SH.value)),
        ))
    results.sort(key=lambda r: (SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9, r.focus_label, r.shape))
    return ValidationReport(results)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """pyshacl's results for a data graph (the reference validator)."""
    shapes = shapes if shapes is not None else load_shapes()
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True,
                                    inference="none")
    return read_report(report, data)


def validate(store, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate whatever a store holds: set-at-a-time on Oxigraph, pyshacl on rdflib (same results)."""
    if store.engine == "oxigraph":
        from .fastvalidate import validate_fast  # imports this module

        return validate_fast(store, shapes)
    return validate_graph(store.to_rdflib(), shapes)
