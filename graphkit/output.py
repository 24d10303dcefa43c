"""Rendering query results for people (a table) and for tools (CSV, TSV, SPARQL JSON).

Each format is one function in WRITERS; CONSTRUCT/DESCRIBE results come out as Turtle in the
text formats and JSON-LD in `json`, ASK results as yes/no in a table and a boolean elsewhere.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable

from rdflib import BNode, Literal, URIRef

from .errors import InputError
from .namespaces import bind_all, shorten
from .store import QueryResult


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return shorten(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _plain(term) -> str:
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal) and term.language:
        out["xml:lang"] = term.language
    elif isinstance(term, Literal) and term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _turtle(result: QueryResult) -> str:
    return bind_all(result.graph).serialize(format="turtle")


def as_table(result: QueryResult) -> str:
    """Aligned columns with prefixed IRIs and a row count, for reading in a terminal."""
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    if result.kind == "graph":
        return _turtle(result)
    header = result.variables
    rows = [[_cell(row.get(v)) for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def as_delimited(result: QueryResult, delimiter: str) -> str:
    """SPARQL 1.1 CSV/TSV results: a header of variable names, then full IRIs and plain values."""
    if result.kind == "graph":
        return _turtle(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if result.kind == "ask":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_plain(row.get(v)) for v in result.variables])
    return buffer.getvalue()


def as_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (JSON-LD for a graph)."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    if result.kind == "graph":
        return bind_all(result.graph).serialize(format="json-ld")
    bindings = [{v: _json_term(t) for v, t in row.items() if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1)


WRITERS: dict[str, Callable[[QueryResult], str]] = {
    "table": as_table,
    "csv": lambda result: as_delimited(result, ","),
    "tsv": lambda result: as_delimited(result, "\t"),
    "json": as_json,
}
RESULT_FORMATS = tuple(WRITERS)


def render(result: QueryResult, fmt: str) -> str:
    """A query result in the named format."""
    if fmt not in WRITERS:
        raise InputError(f"unknown result format {fmt!r}; choose one of {', '.join(WRITERS)}")
    return WRITERS[fmt](result)
