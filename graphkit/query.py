"""Canned SPARQL queries: `.rq` files under queries/ with a comment header, run with bound parameters.

Header lines at the top of a file:
    # title: one line
    # description: what it answers (may repeat to continue)
    # param: NAME TYPE [= DEFAULT] -- what it is        (TYPE: iri, string, date, year, integer)
Parameters are bound to ?NAME through the store (initBindings / substitutions), never pasted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from rdflib import XSD, Literal
from rdflib.term import Node

from . import paths
from .errors import InputError
from .namespaces import expand
from .store import QueryResult

PARAM_TYPES = ("iri", "string", "date", "year", "integer")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$")


@dataclass
class Parameter:
    name: str
    type: str
    default: str | None = None
    description: str = ""

    def bind(self, raw: str) -> Node:
        """The RDF term for a raw string value of this parameter."""
        try:
            if self.type == "iri":
                return expand(raw)
            if self.type == "date":
                return Literal(raw, datatype=XSD.date) if _valid_date(raw) else _bad(raw, "a date YYYY-MM-DD")
            if self.type == "year":
                return Literal(int(raw), datatype=XSD.integer)
            if self.type == "integer":
                return Literal(int(raw), datatype=XSD.integer)
            return Literal(raw)
        except ValueError:
            raise InputError(f"parameter {self.name!r} must be {'an integer' if self.type in ('year', 'integer') else 'a ' + self.type}, not {raw!r}") from None


def _valid_date(raw: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw))


def _bad(raw: str, expected: str):
    raise ValueError(expected)


@dataclass
class CannedQuery:
    name: str
    path: Path
    title: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def bindings(self, values: Mapping[str, str] | None = None) -> dict[str, Node]:
        """Bound terms for the given raw values plus defaults; unknown names are refused."""
        values = dict(values or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            listed = ", ".join(known) or "none"
            raise InputError(f"query {self.name!r} has no parameter {unknown[0]!r} (parameters: {listed})", self.path)
        bound = {}
        for parameter in self.parameters:
            raw = values.get(parameter.name, parameter.default)
            if raw is not None:
                bound[parameter.name] = parameter.bind(raw)
        return bound


def parse_header(path: Path) -> CannedQuery:
    """The title, description and parameters a query file declares."""
    title, description, parameters = "", [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, sep, value = line.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "title":
            title = value
        elif key == "description":
            description.append(value)
        elif key == "param":
            match = _PARAM.match(value)
            if not match or match["type"] not in PARAM_TYPES:
                raise InputError(f"bad parameter declaration {value!r}; expected 'NAME TYPE [= DEFAULT] -- text' with TYPE one of {', '.join(PARAM_TYPES)}", path, number)
            parameters.append(Parameter(match["name"], match["type"], match["default"], (match["doc"] or "").strip()))
    return CannedQuery(path.stem, path, title or path.stem, " ".join(description), parameters)


def canned_queries(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query by name."""
    folder = folder or paths.queries_dir()
    return {p.stem: parse_header(p) for p in sorted(folder.glob("*.rq"))}


def find_query(name_or_path: str) -> CannedQuery:
    """A canned query by name, or any .rq file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq":
        if not candidate.is_file():
            raise InputError("no such query file", candidate)
        return parse_header(candidate)
    queries = canned_queries()
    if name_or_path not in queries:
        raise InputError(f"unknown query {name_or_path!r}; `graphkit queries` lists them")
    return queries[name_or_path]


def run_query(store, query: CannedQuery, values: Mapping[str, str] | None = None) -> QueryResult:
    """Run a canned query on a store with its parameters bound."""
    try:
        return store.query(query.text, query.bindings(values))
    except SyntaxError as error:
        raise InputError(f"SPARQL syntax error: {error}", query.path) from None
    except InputError:
        raise
    except Exception as error:  # engines raise their own types for a malformed query
        if "pars" in type(error).__name__.lower() or "syntax" in str(error).lower():
            raise InputError(f"SPARQL syntax error: {error}", query.path) from None
        raise
