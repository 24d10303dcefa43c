"""Validating the graph against ontology/shapes.ttl with pyshacl, and reading the report back."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyshacl
import rdflib
from rdflib import RDF, RDFS, SKOS, BNode, Namespace
from rdflib.namespace import DCTERMS
from rdflib.plugins.sparql import prepareQuery

from . import paths
from .errors import InputError
from .load import default_sources, graph_files
from .store import RdflibStore

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
    """The results of one validation, Violations first."""

    results: list[ShapeResult] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when no result is a Violation (Warnings and Infos do not fail a build)."""
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        """How many results have this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    def keys(self) -> set[tuple[str, str, str, str]]:
        """(focus, shape, path, severity) of every result, for comparing validators."""
        return {(r.focus, r.shape, r.path, r.severity) for r in self.results}


def shapes_path() -> Path:
    """The project's SHACL shapes file."""
    return paths.ontology_dir() / "shapes.ttl"


def load_shapes(path: Path | None = None) -> rdflib.Graph:
    """The shapes graph (default: ontology/shapes.ttl)."""
    shapes = RdflibStore()
    shapes.load(path or shapes_path(), "turtle")  # a syntax error names the file and line
    return shapes.graph


def validation_sources(files: Iterable[Path]) -> list[Path]:
    """The given files and folders together with the ontology they are written against.

    Without the ontology a check cannot see subclasses, levels, ranks or schemes. The shapes file is
    never data, and a file named twice is loaded once (its blank nodes would otherwise double).
    """
    ontology = [p for p in default_sources() if p.is_relative_to(paths.ontology_dir())]
    chosen: dict[Path, Path] = {}
    for path in ontology + graph_files(files):
        if path.resolve() != shapes_path().resolve():
            chosen.setdefault(path.resolve(), path)
    return list(chosen.values())


_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def _label(graph: rdflib.Graph, node) -> str:
    """A name for people: rdfs:label, else a preferred label or title (English first), else the IRI."""
    for predicate in _LABELS:
        values = sorted(graph.objects(node, predicate), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
        if values:
            return str(values[0])
    return "an unnamed node" if isinstance(node, BNode) else str(node)


def _term(node) -> str:
    return "" if node is None else str(node)


def _severity_order(result: ShapeResult) -> tuple:
    rank = SEVERITIES.index(result.severity) if result.severity in SEVERITIES else len(SEVERITIES)
    return rank, result.focus_label, result.shape, result.focus, result.path, result.value


def read_report(report: rdflib.Graph, data: rdflib.Graph) -> ValidationReport:
    """The results of a SHACL validation report graph, labelled from the data graph."""
    results = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        severity = report.value(result, SH.resultSeverity)
        results.add(ShapeResult(
            focus=_term(focus),
            focus_label=_label(data, focus),
            shape=_term(report.value(result, SH.sourceShape)),
            path=_term(report.value(result, SH.resultPath)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            message=" ".join(sorted(str(m) for m in report.objects(result, SH.resultMessage))),
            value=_term(report.value(result, SH.value)),
        ))
    return ValidationReport(sorted(results, key=_severity_order))


def _prepared(sparql: str):
    """The parsed query, with its PREFIX lines sorted: pyshacl writes them in no fixed order."""
    lines = sparql.split("\n")
    prologue = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("PREFIX ")), len(lines))
    return _parse("\n".join(sorted(lines[:prologue]) + lines[prologue:]))


@functools.lru_cache(maxsize=256)
def _parse(sparql: str):
    return prepareQuery(sparql)


class _PreparedQueryGraph(rdflib.Graph):
    """A view of a graph that parses each distinct SPARQL text once.

    pyshacl sends a SPARQL-based constraint's text once per focus node; parsing it is 30 to 100
    times slower than running it, so without this the seed graph takes minutes instead of seconds.
    """

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """pyshacl's results for a data graph (the reference validator)."""
    shapes = shapes if shapes is not None else load_shapes()
    view = _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    # No inference and no SHACL-AF: pyshacl then validates in place, on the view, without a copy.
    _, report, text = pyshacl.validate(view, shacl_graph=shapes, allow_warnings=True, inference="none")
    if not isinstance(report, rdflib.Graph):
        raise InputError(f"the shapes cannot run: {text.strip().splitlines()[-1]}", shapes_path())
    return read_report(report, data)


def validate(store, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate whatever a store holds: set-at-a-time on Oxigraph, pyshacl on rdflib (same results)."""
    if store.engine == "oxigraph":
        from .fastvalidate import validate_fast  # imports this module

        return validate_fast(store, shapes)
    return validate_graph(store.to_rdflib(), shapes)
