"""The graph store behind one small interface (load, query, serialize), with two engines.

`oxigraph` (pyoxigraph) is the default: it parses and answers grouped queries one to two
orders of magnitude faster than rdflib. `rdflib` stays available for comparison and as
the reference. Both return rdflib terms, so callers never see which engine ran.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

from .binding import bind_values
from .errors import InputError
from .namespaces import PREFIXES, bind_all

ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"

# Short name -> (rdflib format, pyoxigraph format, file suffix, media type)
FORMATS = {
    "turtle": ("turtle", ox.RdfFormat.TURTLE, ".ttl", "text/turtle"),
    "ntriples": ("nt", ox.RdfFormat.N_TRIPLES, ".nt", "application/n-triples"),
    "nquads": ("nquads", ox.RdfFormat.N_QUADS, ".nq", "application/n-quads"),
    "trig": ("trig", ox.RdfFormat.TRIG, ".trig", "application/trig"),
    "rdfxml": ("xml", ox.RdfFormat.RDF_XML, ".rdf", "application/rdf+xml"),
}
_SUFFIXES = {spec[2]: name for name, spec in FORMATS.items()} | {".n3": "turtle", ".owl": "rdfxml"}


def format_for(path: Path, explicit: str | None = None) -> str:
    """The short format name for a file, from `explicit` or its suffix."""
    name = explicit or _SUFFIXES.get(path.suffix.lower())
    if name not in FORMATS:
        raise InputError(f"cannot tell the RDF format of this file (suffix {path.suffix!r})", path)
    return name


@dataclass
class QueryResult:
    """Answer to a query: rows for SELECT, a boolean for ASK, triples for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None
    graph: rdflib.Graph | None = None

    def values(self, variable: str) -> list[Node | None]:
        return [row.get(variable) for row in self.rows]


def write_atomically(path: Path, write) -> None:
    """Call write(tmp_path), then rename onto path, so a failure leaves nothing half-written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise InputError(f"cannot write here: {error.strerror or error}", path) from None
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would keep a web server from reading it
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write the file: {error.strerror or error}", path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _syntax_error(path: Path, error: SyntaxError) -> InputError:
    line = getattr(error, "lineno", None)
    text = str(error)
    if line is None and text.startswith("at line "):
        line = int(text.split()[2])
    first = text.strip().splitlines()[0] if text.strip() else "syntax error"
    return InputError(f"RDF syntax error: {first}", path, line)


class RdflibStore:
    """rdflib's in-memory graph: slow at scale, but the reference implementation."""

    engine = "rdflib"

    def __init__(self) -> None:
        self.graph = rdflib.Graph()

    def load(self, path: Path, format: str | None = None) -> None:
        path = Path(path)
        if not path.is_file():
            raise InputError("no such file", path)
        try:
            self.graph.parse(path, format=FORMATS[format_for(path, format)][0])
        except SyntaxError as error:
            raise _syntax_error(path, error) from None
        except Exception as error:  # rdflib raises many types for bad input
            raise InputError(f"cannot parse: {error}", path) from None

    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        for triple in triples:
            self.graph.add(triple)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        result = self.graph.query(bind_values(sparql, bindings))
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = rdflib.Graph()
            for triple in result:
                graph.add(triple)
            return QueryResult("graph", graph=graph)
        variables = [str(v) for v in result.vars]
        rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
        return QueryResult("select", variables=variables, rows=rows)

    def serialize(self, path: Path, format: str = "turtle", graph_name: str | None = None) -> None:
        """Write the graph; quad formats put it in the named graph `graph_name`."""
        if FORMATS[format][0] in ("nquads", "trig") and graph_name:
            dataset = rdflib.Dataset()
            named = dataset.graph(URIRef(graph_name))
            for triple in self.graph:
                named.add(triple)
            write_atomically(Path(path), lambda tmp: dataset.serialize(tmp, format=FORMATS[format][0], encoding="utf-8"))
            return
        bind_all(self.graph)
        write_atomically(Path(path), lambda tmp: self.graph.serialize(tmp, format=FORMATS[format][0], encoding="utf-8"))

    def to_rdflib(self) -> rdflib.Graph:
        return self.graph

    def __len__(self) -> int:
        return len(self.graph)


def term_to_oxigraph(term: Node):
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def term_from_oxigraph(term) -> Node | None:
    """The rdflib term for a pyoxigraph term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected term {term!r}")


class OxigraphStore:
    """Oxigraph in memory: fast parsing and query evaluation."""

    engine = "oxigraph"

    def __init__(self) -> None:
        self.store = ox.Store()

    def load(self, path: Path, format: str | None = None) -> None:
        path = Path(path)
        if not path.is_file():
            raise InputError("no such file", path)
        try:
            self.store.bulk_load(path=str(path), format=FORMATS[format_for(path, format)][1],
                                 to_graph=ox.DefaultGraph())
        except SyntaxError as error:
            raise _syntax_error(path, error) from None
        except (OSError, ValueError) as error:
            raise InputError(f"cannot parse: {error}", path) from None

    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self.store.extend(ox.Quad(term_to_oxigraph(s), term_to_oxigraph(p), term_to_oxigraph(o)) for s, p, o in triples)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        result = self.store.query(bind_values(sparql, bindings))
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            graph = rdflib.Graph()
            for triple in result:
                graph.add((term_from_oxigraph(triple.subject), term_from_oxigraph(triple.predicate), term_from_oxigraph(triple.object)))
            return QueryResult("graph", graph=graph)
        variables = [v.value for v in result.variables]
        rows = [{v: term_from_oxigraph(solution[v]) for v in variables} for solution in result]
        return QueryResult("select", variables=variables, rows=rows)

    def serialize(self, path: Path, format: str = "turtle", graph_name: str | None = None) -> None:
        """Write the graph; quad formats put it in the named graph `graph_name`."""
        fmt = FORMATS[format][1]
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG) and graph_name:
            name = ox.NamedNode(graph_name)
            quads = (ox.Quad(q.subject, q.predicate, q.object, name)
                     for q in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            write_atomically(Path(path), lambda tmp: ox.serialize(quads, str(tmp), fmt, prefixes=PREFIXES))
            return
        write_atomically(Path(path), lambda tmp: self.store.dump(output=str(tmp), format=fmt, prefixes=PREFIXES,
                                                                 from_graph=ox.DefaultGraph()))

    def to_rdflib(self) -> rdflib.Graph:
        """A copy as an rdflib graph (for pyshacl and the writers that need one)."""
        graph = rdflib.Graph()
        data = self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        graph.parse(data=data, format="nt")
        return graph

    def __len__(self) -> int:
        return len(self.store)


def new_store(engine: str = DEFAULT_ENGINE):
    """An empty store of the named engine."""
    if engine == "oxigraph":
        return OxigraphStore()
    if engine == "rdflib":
        return RdflibStore()
    raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
