"""Fast SHACL validation on the Oxigraph store, giving the same results as pyshacl.

pyshacl checks one focus node at a time: a SPARQL-based shape re-parses and runs its query once per
node (milliseconds each, so minutes at a million triples). Here every shape runs set-at-a-time:
its targets become one SPARQL pattern binding ?this, a SPARQL constraint runs once with that pattern
joined in front of its own WHERE clause (instead of pre-binding $this per node), and each SHACL Core
constraint compiles to one query that returns only the failing (focus, value) pairs. Shapes nested
through sh:node, sh:not, sh:and, sh:or and sh:xone are validated the same way over the value nodes of
their parent, and combined as sets. A component this module does not know raises InputError rather
than being skipped, so a result set is either pyshacl's or an error.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable, Iterable

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection
from rdflib.term import BNode, Literal, Node, URIRef

from .errors import InputError
from .store import term_from_oxigraph
from .validate import SEVERITIES, ShapeResult, ValidationReport, load_shapes, shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")
_LABELS = (RDFS.label, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), URIRef("http://purl.org/dc/terms/title"))

# A focus pattern: given a variable name, a SPARQL group pattern that binds it to the focus nodes.
FocusPattern = Callable[[str], str]

_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_IGNORED = {SH.severity, SH.message, SH.deactivated, SH.name, SH.description, SH.order, SH.group,
            SH.defaultValue, SH.path, SH.property, SH.sparql, SH.flags, SH.declare, SH.prefixes}
_VALUE_FILTERS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minLength, SH.maxLength,
                  SH.languageIn, SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive}
_COUNTS = {SH.minCount, SH.maxCount}
_LOGICAL = {SH.node, SH["not"], SH["and"], SH["or"], SH.xone}
SUPPORTED = _TARGETS | _IGNORED | _VALUE_FILTERS | _COUNTS | _LOGICAL | {SH.hasValue, SH.uniqueLang}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}
# Datatypes whose lexical forms Oxigraph can check by casting (pyshacl reports ill-typed literals).
_CASTABLE = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in
             ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "time")}
_NODE_KINDS = {
    SH.IRI: "!isIRI(?value)", SH.BlankNode: "!isBlank(?value)", SH.Literal: "!isLiteral(?value)",
    SH.BlankNodeOrIRI: "isLiteral(?value)", SH.BlankNodeOrLiteral: "isIRI(?value)", SH.IRIOrLiteral: "isBlank(?value)",
}


@dataclass(frozen=True)
class _Result:
    focus: Node
    shape: Node
    path: Node | str | None
    severity: str
    value: Node | None = None
    message: str = ""


def _sparql_term(term: Node) -> str:
    """A term written as SPARQL (IRIs, literals, and blank nodes as their store labels)."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return term.n3()


class _Fresh:
    """Fresh variable names, so nested patterns never capture each other's variables."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def __call__(self, stem: str = "v") -> str:
        return f"?fv_{stem}{next(self._counter)}"


class FastValidator:
    """Validates an Oxigraph store against a shapes graph, set-at-a-time."""

    def __init__(self, store, shapes: rdflib.Graph) -> None:
        self.store: ox.Store = store.store
        self.shapes = shapes
        self.fresh = _Fresh()
        self.prefixes = self._prologue()
        self._subclasses: dict[Node, list[Node]] = {}

    # --- reading the shapes graph

    def _unsupported(self, shape: Node, what: str) -> InputError:
        return InputError(f"shape {shape} uses {what}, which the fast validator does not support; "
                          "validate with --engine rdflib (pyshacl) instead", shapes_path())

    def _prologue(self) -> str:
        lines = []
        for declaration in self.shapes.objects(None, SH.declare):
            prefix = self.shapes.value(declaration, SH.prefix)
            namespace = self.shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
        return "\n".join(sorted(set(lines))) + "\n"

    def top_level_shapes(self) -> list[Node]:
        """Every active shape with a target, in a stable order."""
        shapes = {s for t in _TARGETS for s in self.shapes.subjects(t, None)}
        if (None, SH.target, None) in self.shapes:
            raise self._unsupported(next(self.shapes.subjects(SH.target, None)), "sh:target (SHACL-AF targets)")
        if (None, SH.rule, None) in self.shapes:
            raise self._unsupported(next(self.shapes.subjects(SH.rule, None)), "sh:rule (SHACL-AF rules)")
        classes = {RDFS.Class} | set(self.shapes.subjects(RDFS.subClassOf, RDFS.Class))
        for shape_type in _SHAPE_TYPES:
            for shape in self.shapes.subjects(RDF.type, shape_type):
                if any((shape, RDF.type, c) in self.shapes for c in classes):
                    shapes.add(shape)
        return sorted((s for s in shapes if not self._deactivated(s)), key=str)

    def _deactivated(self, node: Node) -> bool:
        return any(v.toPython() is True for v in self.shapes.objects(node, SH.deactivated) if isinstance(v, Literal))

    def _severity(self, shape: Node) -> str:
        severity = self.shapes.value(shape, SH.severity)
        return str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"

    def _check_components(self, shape: Node) -> None:
        for predicate in set(self.shapes.predicates(shape, None)):
            if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
                raise self._unsupported(shape, f"sh:{str(predicate)[len(str(SH)):]}")

    def path_sparql(self, path: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(path, URIRef):
            return path.n3()
        if (path, RDF.first, None) in self.shapes:
            return "(" + "/".join(self.path_sparql(p) for p in Collection(self.shapes, path)) + ")"
        for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                    (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
            inner = self.shapes.value(path, predicate)
            if inner is not None:
                return "(" + template.format(self.path_sparql(inner)) + ")"
        alternatives = self.shapes.value(path, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path_sparql(p) for p in Collection(self.shapes, alternatives)) + ")"
        raise InputError(f"cannot read the property path {path}", shapes_path())

    # --- focus nodes

    def _class_closure(self, cls: Node) -> list[Node]:
        if cls not in self._subclasses:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {_sparql_term(cls)} }}"
            found = {term_from_oxigraph(row["c"]) for row in self.store.query(query)}
            self._subclasses[cls] = sorted(found | {cls}, key=str)
        return self._subclasses[cls]

    def target_pattern(self, shape: Node) -> FocusPattern | None:
        """The focus nodes of a top-level shape as a pattern, or None when it targets nothing."""
        parts: list[Callable[[str], str]] = []
        classes = list(self.shapes.objects(shape, SH.targetClass))
        if any((shape, RDF.type, c) in self.shapes for c in {RDFS.Class} | set(self.shapes.subjects(RDFS.subClassOf, RDFS.Class))):
            classes.append(shape)
        for cls in classes:
            closure = " ".join(_sparql_term(c) for c in self._class_closure(cls))
            parts.append(lambda var, closure=closure: f"VALUES {(c := self.fresh('c'))} {{ {closure} }} {var} a {c} .")
        nodes = list(self.shapes.objects(shape, SH.targetNode))
        if nodes:
            listed = " ".join(_sparql_term(n) for n in nodes)
            parts.append(lambda var: f"VALUES {var} {{ {listed} }}")
        for predicate in self.shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(lambda var, p=predicate: f"{var} {_sparql_term(p)} {self.fresh('o')} .")
        for predicate in self.shapes.objects(shape, SH.targetObjectsOf):
            parts.append(lambda var, p=predicate: f"{self.fresh('s')} {_sparql_term(p)} {var} .")
        if not parts:
            return None
        return lambda var: ("{ SELECT DISTINCT " + var + " WHERE { "
                            + " UNION ".join("{ " + part(var) + " }" for part in parts) + " } }")

    def value_pattern(self, focus: FocusPattern, path: str) -> FocusPattern:
        """The value nodes reached from the focus nodes by a path, as a focus pattern."""
        def pattern(var: str) -> str:
            this = self.fresh("f")
            return f"{{ SELECT DISTINCT {var} WHERE {{ {focus(this)} {this} {path} {var} . }} }}"
        return pattern

    @staticmethod
    def nodes_pattern(nodes: Iterable[Node]) -> FocusPattern:
        listed = " ".join(_sparql_term(n) for n in nodes)
        return lambda var: f"VALUES {var} {{ {listed} }}"

    # --- running queries

    def select(self, query: str) -> list[dict[str, Node | None]]:
        try:
            solutions = self.store.query(query)
        except SyntaxError as error:
            raise InputError(f"a shape's SPARQL does not parse: {error}", shapes_path()) from None
        names = [v.value for v in solutions.variables]
        return [{name: term_from_oxigraph(solution[name]) for name in names} for solution in solutions]

    # --- validating one shape over a focus pattern

    def validate_shape(self, shape: Node, focus: FocusPattern) -> list[_Result]:
        """The results of one shape (and the property shapes under it) over the given focus nodes."""
        if self._deactivated(shape):
            return []
        self._check_components(shape)
        severity = self._severity(shape)
        path_node = self.shapes.value(shape, SH.path)
        path = self.path_sparql(path_node) if path_node is not None else None
        details: list[_Result] = []
        results = [_Result(focus_node, shape, path_node, severity, value, message)
                   for focus_node, value, message in self._core(shape, focus, path, details)]
        results.extend(details)
        for constraint in self.shapes.objects(shape, SH.sparql):
            if not self._deactivated(constraint):
                results.extend(self._sparql(shape, constraint, focus, path, path_node, severity))
        children = focus if path is None else self.value_pattern(focus, path)
        for child in self.shapes.objects(shape, SH.property):
            results.extend(self.validate_shape(child, children))
        return results

    def _values_query(self, focus: FocusPattern, path: str | None, condition: str) -> str:
        this = "?this"
        step = f"{this} {path} ?value ." if path else f"BIND({this} AS ?value)"
        return f"SELECT DISTINCT ?this ?value WHERE {{ {focus(this)} {step} FILTER({condition}) }}"

    def _core(self, shape: Node, focus: FocusPattern, path: str | None,
              details: list[_Result]) -> list[tuple[Node, Node | None, str]]:
        """(focus, value, message) of every failing SHACL Core constraint of one shape.

        The results of shapes nested by sh:node go to `details`: pyshacl reports them too (sh:detail).
        """
        failures: list[tuple[Node, Node | None, str]] = []
        for predicate, value in sorted(self.shapes.predicate_objects(shape), key=lambda pv: (str(pv[0]), str(pv[1]))):
            if predicate in _VALUE_FILTERS:
                condition = self._value_condition(shape, predicate, value)
                for row in self.select(self._values_query(focus, path, condition)):
                    failures.append((row["this"], row["value"], f"Value does not satisfy {_short(predicate)} {value}"))
            elif predicate in _COUNTS:
                failures.extend(self._count(predicate, int(value), focus, path))
            elif predicate == SH.hasValue:
                failures.extend(self._has_value(value, focus, path))
            elif predicate == SH.uniqueLang and value.toPython() is True and path:
                query = (f"SELECT DISTINCT ?this WHERE {{ {focus('?this')} ?this {path} ?a . ?this {path} ?b . "
                         "FILTER(!sameTerm(?a, ?b) && LANG(?a) != \"\" && LANG(?a) = LANG(?b)) }")
                failures.extend((row["this"], None, "Language tags are not unique") for row in self.select(query))
            elif predicate in _LOGICAL:
                failures.extend(self._logical(predicate, value, focus, path, details))
        return failures

    def _value_condition(self, shape: Node, predicate: Node, value: Node) -> str:
        """A SPARQL condition true of a value node that fails the constraint."""
        if predicate == SH["class"]:
            closure = " ".join(_sparql_term(c) for c in self._class_closure(value))
            t = self.fresh("t")
            return f"NOT EXISTS {{ VALUES {t} {{ {closure} }} ?value a {t} }}"
        if predicate == SH.datatype:
            if value == RDF.langString:
                return "!(isLiteral(?value) && LANG(?value) != \"\")"
            well_formed = (f"COALESCE(sameTerm({value.n3()}(STR(?value)), {value.n3()}(STR(?value))), false)"
                           if str(value) in _CASTABLE else "true")
            return f"!(isLiteral(?value) && DATATYPE(?value) = {value.n3()} && LANG(?value) = \"\" && {well_formed})"
        if predicate == SH.nodeKind:
            if value not in _NODE_KINDS:
                raise self._unsupported(shape, f"sh:nodeKind {value}")
            return _NODE_KINDS[value]
        if predicate == SH["in"]:
            members = list(Collection(self.shapes, value))
            return "!(" + (" || ".join(f"sameTerm(?value, {_sparql_term(m)})" for m in members) or "false") + ")"
        if predicate == SH.pattern:
            flags = self.shapes.value(shape, SH.flags)
            arguments = f"{Literal(str(value)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
            return f"(isBlank(?value) || !REGEX(STR(?value), {arguments}))"
        if predicate in (SH.minLength, SH.maxLength):
            operator = "<" if predicate == SH.minLength else ">"
            return f"(isBlank(?value) || STRLEN(STR(?value)) {operator} {int(value)})"
        if predicate == SH.languageIn:
            tags = list(Collection(self.shapes, value))
            matches = " || ".join(f"LANGMATCHES(LANG(?value), {Literal(str(t)).n3()})" for t in tags) or "false"
            return f"!(isLiteral(?value) && ({matches}))"
        operator = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[predicate]
        return f"COALESCE(!(?value {operator} {value.n3()}), true)"

    def _count(self, predicate: Node, limit: int, focus: FocusPattern, path: str | None):
        if path is None:
            return []
        if predicate == SH.minCount and limit == 1:
            query = f"SELECT ?this WHERE {{ {focus('?this')} FILTER NOT EXISTS {{ ?this {path} ?v }} }}"
        elif predicate == SH.minCount:
            query = (f"SELECT ?this WHERE {{ {focus('?this')} OPTIONAL {{ ?this {path} ?v }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {limit})")
        else:
            query = (f"SELECT ?this WHERE {{ {focus('?this')} ?this {path} ?v }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {limit})")
        word = "Less" if predicate == SH.minCount else "More"
        return [(row["this"], None, f"{word} than {limit} values on {path}") for row in self.select(query)]

    def _has_value(self, value: Node, focus: FocusPattern, path: str | None):
        term = _sparql_term(value)
        if path is None:
            query = f"SELECT ?this WHERE {{ {focus('?this')} FILTER(!sameTerm(?this, {term})) }}"
        else:
            query = f"SELECT ?this WHERE {{ {focus('?this')} FILTER NOT EXISTS {{ ?this {path} {term} }} }}"
        return [(row["this"], None, f"Missing expected value {value}") for row in self.select(query)]

    def _logical(self, predicate: Node, value: Node, focus: FocusPattern, path: str | None,
                 details: list[_Result]):
        """Value nodes that fail sh:node, sh:not, sh:and, sh:or or sh:xone, as (focus, value, message)."""
        values = focus if path is None else self.value_pattern(focus, path)
        members = list(Collection(self.shapes, value)) if predicate in (SH["and"], SH["or"], SH.xone) else [value]
        nested = [self.validate_shape(member, values) for member in members]
        if predicate == SH.node:
            details.extend(nested[0])
        failing = [{r.focus for r in results} for results in nested]
        if predicate in (SH.node, SH["and"]):
            bad = set().union(*failing)
        elif predicate == SH["or"]:
            bad = set.intersection(*failing) if failing else set()
        else:
            every = {row["v"] for row in self.select(f"SELECT DISTINCT ?v WHERE {{ {values('?v')} }}")}
            if predicate == SH["not"]:
                bad = every - failing[0]
            else:
                bad = {n for n in every if sum(n not in f for f in failing) != 1}
        if not bad:
            return []
        step = "?this " + path + " ?value ." if path else "BIND(?this AS ?value)"
        query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus('?this')} {step} "
                 f"{self.nodes_pattern(bad)('?value')} }}")
        return [(row["this"], row["value"], f"Value does not conform to {_short(predicate)}") for row in self.select(query)]

    # --- SPARQL-based constraints

    def _sparql(self, shape: Node, constraint: Node, focus: FocusPattern, path: str | None,
                path_node: Node | None, severity: str) -> list[_Result]:
        select = self.shapes.value(constraint, SH.select)
        if select is None:
            raise self._unsupported(shape, "a sh:sparql constraint without sh:select")
        text = set_at_a_time(str(select), focus, path, shape)
        messages = [str(m) for m in self.shapes.objects(constraint, SH.message)] or \
                   [str(m) for m in self.shapes.objects(shape, SH.message)]
        results = []
        for row in self.select(self.prefixes + text):
            bound = {k: v for k, v in row.items() if v is not None}
            message = " ".join(_fill(m, bound) for m in sorted(messages))
            results.append(_Result(row["this"], shape, row.get("path") or path_node, severity, row.get("value"), message))
        return results

    # --- the whole report

    def results(self) -> list[_Result]:
        found: list[_Result] = []
        for shape in self.top_level_shapes():
            focus = self.target_pattern(shape)
            if focus is not None:
                found.extend(self.validate_shape(shape, focus))
        return found

    def report(self) -> ValidationReport:
        results = self.results()
        labels = self._labels({r.focus for r in results})
        shape_results = {ShapeResult(
            focus=str(r.focus), focus_label=labels.get(r.focus, str(r.focus)), shape=str(r.shape),
            path="" if r.path is None else str(r.path), severity=r.severity, message=r.message,
            value="" if r.value is None else str(r.value)) for r in results}
        ordered = sorted(shape_results, key=lambda r: (SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9,
                                                       r.focus_label, r.shape, r.focus, r.path, r.value))
        return ValidationReport(ordered)

    def _labels(self, nodes: set[Node]) -> dict[Node, str]:
        """Names for people, chosen as validate.read_report chooses them (rdfs:label, prefLabel, title)."""
        if not nodes:
            return {}
        order = [str(p) for p in _LABELS]
        query = (f"SELECT ?n ?p ?l WHERE {{ {self.nodes_pattern(nodes)('?n')} "
                 f"VALUES ?p {{ {' '.join(f'<{p}>' for p in order)} }} ?n ?p ?l }}")
        best: dict[Node, tuple] = {}
        for row in self.select(query):
            label = row["l"]
            rank = (order.index(str(row["p"])), getattr(label, "language", None) != "en", str(label))
            if row["n"] not in best or rank < best[row["n"]]:
                best[row["n"]] = rank
        names = {n: rank[2] for n, rank in best.items()}
        return {n: names.get(n, "an unnamed node" if isinstance(n, BNode) else str(n)) for n in nodes}


_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
_PROJECTION = re.compile(r"\bSELECT\s+((?:DISTINCT|REDUCED)\s+)?", re.IGNORECASE)


def set_at_a_time(select: str, focus: FocusPattern, path: str | None, shape: Node) -> str:
    """A SPARQL constraint's SELECT rewritten to run once over every focus node.

    $this becomes the variable ?this, bound by the focus pattern joined first in the outermost
    WHERE group, so every FILTER, OPTIONAL and EXISTS after it sees it bound as pyshacl's
    pre-binding does; $PATH becomes the shape's path.
    """
    if re.search(r"[$?]shapesGraph\b", select):
        raise InputError(f"shape {shape} uses $shapesGraph, which no validator here supports", shapes_path())
    text = re.sub(r"\$this\b", "?this", select)
    text = re.sub(r"[$?]currentShape\b", _sparql_term(shape), text)
    if re.search(r"\$PATH\b", text):
        if path is None:
            raise InputError(f"shape {shape} uses $PATH but has no sh:path", shapes_path())
        text = re.sub(r"\$PATH\b", path, text)
    match = _SELECT.search(text)
    brace = text.find("{", match.end()) if match else -1
    if brace < 0:
        raise InputError(f"shape {shape} has a sh:select that is not a SELECT query", shapes_path())
    _check_set_at_a_time(text, match.end(), shape)
    projection = text[match.end():brace]
    if "*" not in projection and not re.search(r"(?:^|\s)\?this(?=\s|$)", projection):
        head = _PROJECTION.match(text, match.start())
        text = text[:head.end()] + "?this " + text[head.end():]
        brace += len("?this ")
    return text[:brace + 1] + " " + focus("?this") + " " + text[brace + 1:]


_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.IGNORECASE)


def _check_set_at_a_time(text: str, after_select: int, shape: Node) -> None:
    """Refuse a query whose meaning would change if run over all focus nodes at once instead of one by one."""
    rest = text[after_select:]
    group = re.search(r"\bGROUP\s+BY\b(.*?)(?:\bHAVING\b|\bORDER\b|\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)", rest,
                      re.IGNORECASE | re.DOTALL)
    reasons = []
    if re.search(r"\b(LIMIT|OFFSET)\b", rest, re.IGNORECASE):
        reasons.append("LIMIT or OFFSET")
    if (_AGGREGATE.search(rest) or group) and not (group and re.search(r"\?this\b", group[1])):
        reasons.append("aggregates not grouped by $this")
    if _SELECT.search(rest) and re.search(r"\?this\b", rest[_SELECT.search(rest).start():]):
        reasons.append("a sub-query that uses $this")
    if reasons:
        raise InputError(f"shape {shape} has a SPARQL constraint with {' and '.join(reasons)}, which the fast "
                         "validator cannot run set-at-a-time; validate with --engine rdflib", shapes_path())


def _fill(message: str, bound: dict[str, Node]) -> str:
    for name, value in bound.items():
        message = re.sub("{[?$]" + re.escape(name) + "}", lambda _m, v=str(value): v, message)
    return message


def _short(predicate: Node) -> str:
    return "sh:" + str(predicate)[len(str(SH)):]


def validate_fast(store, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """The SHACL results pyshacl would give for an Oxigraph store, computed set-at-a-time."""
    return FastValidator(store, shapes if shapes is not None else load_shapes()).report()
