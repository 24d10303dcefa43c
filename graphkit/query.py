"""Canned SPARQL queries: `.rq` files under queries/ with a comment header, run with bound parameters.

Header lines at the top of a file:
    # title: one line
    # description: what it answers (may repeat to continue)
    # param: NAME TYPE [= DEFAULT] -- what it is        (TYPE: iri, string, date, year, integer)
A parameter left out and without a default stays unbound, which the query reads as "any".
Values are bound to ?NAME through the store (a VALUES block), never pasted into the text.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from os.path import commonprefix
from pathlib import Path
from typing import Callable, Mapping

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from . import paths
from .binding import bind_values
from .errors import GraphkitError, InputError
from .iri import BASE
from .namespaces import PREFIXES, expand
from .store import QueryResult

_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:--\s*(?P<doc>.*))?$")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')
_ABSOLUTE_SCHEMES = ("http", "https", "urn", "mailto", "file")


def _iri(raw: str) -> URIRef:
    prefix, sep, rest = raw.strip().strip("<>").partition(":")
    if not sep or not rest:
        raise ValueError("an IRI (prefix:name or a full IRI)")
    if prefix not in PREFIXES and prefix.lower() not in _ABSOLUTE_SCHEMES:
        known = " ".join(f"{p}:" for p, ns in PREFIXES.items() if ns.startswith(BASE))
        raise ValueError(f"a full IRI or prefix:name with a known prefix ({known})")
    term = expand(raw)
    if _BAD_IRI_CHARS.search(str(term)):
        raise ValueError("an IRI without spaces, quotes, braces or angle brackets")
    return term


def _string(raw: str) -> Literal:
    return Literal(raw)


def _date(raw: str) -> Literal:
    try:
        return Literal(datetime.date.fromisoformat(raw.strip()).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ValueError("a date YYYY-MM-DD") from None


def _integer(raw: str) -> Literal:
    if not re.fullmatch(r"\s*[+-]?\d+\s*", raw):
        raise ValueError("an integer")
    return Literal(int(raw), datatype=XSD.integer)


def _year(raw: str) -> Literal:
    if not re.fullmatch(r"\s*\d{4}\s*", raw):
        raise ValueError("a year of four digits")
    return Literal(int(raw), datatype=XSD.integer)


# Parameter type -> function from the raw text to an RDF term (ValueError says what was expected).
PARAM_TYPES: dict[str, Callable[[str], Node]] = {
    "iri": _iri, "string": _string, "date": _date, "year": _year, "integer": _integer,
}


@dataclass
class Parameter:
    name: str
    type: str
    default: str | None = None
    description: str = ""
    line: int | None = None

    def bind(self, raw: str) -> Node:
        """The RDF term for a raw string value of this parameter."""
        try:
            return PARAM_TYPES[self.type](raw)
        except ValueError as error:
            raise InputError(f"parameter {self.name!r} must be {error}, not {raw!r}") from None


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
            if raw is None:
                continue
            try:
                bound[parameter.name] = parameter.bind(raw)
            except InputError as error:
                raise InputError(error.message, self.path, parameter.line) from None
        return bound


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file", path) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path) from None


def parse_header(path: Path) -> CannedQuery:
    """The title, description and parameters a query file declares."""
    title, description, parameters = "", [], []
    for number, line in enumerate(_read(path).splitlines(), start=1):
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
            parameter = Parameter(match["name"], match["type"], match["default"], (match["doc"] or "").strip(), number)
            if parameter.default is not None:
                try:
                    parameter.bind(parameter.default)
                except InputError as error:
                    raise InputError(f"bad default: {error.message}", path, number) from None
            parameters.append(parameter)
    return CannedQuery(path.stem, path, title or path.stem, " ".join(description), parameters)


def canned_queries(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query by name."""
    folder = folder or paths.queries_dir()
    return {p.stem: parse_header(p) for p in sorted(folder.glob("*.rq"))}


def find_query(name_or_path: str) -> CannedQuery:
    """A canned query by name, or any .rq file by path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.is_file():
        if not candidate.is_file():
            raise InputError("no such query file", candidate)
        return parse_header(candidate)
    queries = canned_queries()
    if name_or_path not in queries:
        raise InputError(f"unknown query {name_or_path!r}; `graphkit queries` lists them")
    return queries[name_or_path]


_ERROR_LINE = (re.compile(r"error at (\d+):\d+"), re.compile(r"line:(\d+)"))


def _error_line(message: str, text: str, bound: str) -> int | None:
    """The line in the query file an engine's error points at, undoing the lines binding inserted."""
    for pattern in _ERROR_LINE:
        match = pattern.search(message)
        if match:
            line = int(match[1])
            at = len(commonprefix([text, bound]))
            inserted_at = text[:at].count("\n") + 1
            inserted = bound.count("\n") - text.count("\n")
            return line - inserted if line > inserted_at + inserted else min(line, inserted_at)
    return None


_ENGINE_POSITION = re.compile(r"^error at \d+:\d+:\s*|\s*\(at char \d+\),?\s*\(line:\d+, col:\d+\)")


def _first_line(error: Exception) -> str:
    """The engine's message without its own position, which counts the inserted VALUES lines."""
    text = str(error).strip()
    first = _ENGINE_POSITION.sub("", text.splitlines()[0]).strip() if text else ""
    return first or type(error).__name__


def run_query(store, query: CannedQuery, values: Mapping[str, str] | None = None) -> QueryResult:
    """Run a canned query on a store with its parameters bound."""
    text, bindings = query.text, query.bindings(values)
    try:
        return store.query(text, bindings)
    except GraphkitError:
        raise
    except Exception as error:  # engines raise their own types for a malformed query
        line = _error_line(str(error), text, bind_values(text, bindings))
        raise InputError(f"SPARQL error: {_first_line(error)}", query.path, line) from None
