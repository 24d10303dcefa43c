"""Binding parameter values into a SPARQL query as a VALUES block, the same way for every engine.

pyoxigraph's substitutions require the variable to be projected and rdflib's initBindings differ
in scope, and remote endpoints take only text; a VALUES block at the head of the outer WHERE group
gives one meaning everywhere. Terms are written with rdflib's n3(), which escapes literals, so a
value can never become query text.
"""
from __future__ import annotations

import re
from typing import Mapping

from rdflib.term import Literal, Node, URIRef

from .errors import InputError

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BAD_IRI_CHARS = re.compile(r'[\s<>"{}|^`\\]')
_WHERE = re.compile(r"where\b", re.IGNORECASE)


def _skip(text: str, i: int) -> int:
    """Index past a comment, string or IRI starting at i (or i itself when none starts there)."""
    char = text[i]
    if char == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    if char in "'\"":
        quote = text[i:i + 3] if text[i:i + 3] in ("'''", '"""') else char
        j = i + len(quote)
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(quote, j):
                return j + len(quote)
            j += 1
        return len(text)
    if char == "<":
        match = re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])
        if match:
            return i + match.end()
    return i


def _where_brace(text: str) -> int:
    """Index of the '{' opening the outer WHERE group."""
    i, first_brace, seen_where = 0, -1, False
    while i < len(text):
        j = _skip(text, i)
        if j != i:
            i = j
            continue
        if text[i] == "{":
            if seen_where:
                return i
            if first_brace < 0:
                first_brace = i
        elif not seen_where and _WHERE.match(text, i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
            seen_where = True
            i += 5
            continue
        i += 1
    if first_brace >= 0 and not re.search(r"\bconstruct\b", text, re.IGNORECASE):
        return first_brace
    raise InputError("cannot find the query's WHERE group to bind parameters into")


def term_text(term: Node) -> str:
    """The SPARQL text of one RDF term, refusing IRIs that could break out of <...>."""
    if isinstance(term, URIRef):
        if not str(term) or _BAD_IRI_CHARS.search(str(term)):
            raise InputError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise InputError(f"cannot bind {term!r}: only IRIs and literals can be parameters")


def bind_values(query: str, bindings: Mapping[str, Node] | None) -> str:
    """The query with `VALUES (?a ?b) { (x y) }` opening its WHERE group."""
    if not bindings:
        return query
    for name in bindings:
        if not _VARIABLE.match(name):
            raise InputError(f"not a SPARQL variable name: {name!r}")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(term_text(term) for term in bindings.values())
    at = _where_brace(query) + 1
    return f"{query[:at]}\n  VALUES ({names}) {{ ({values}) }}\n{query[at:]}"
