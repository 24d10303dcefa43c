"""`graphkit serve`: a read-only SPARQL 1.1 Protocol endpoint over the graph, with a page to query it.

Why this engine: a small WSGI application (Werkzeug) over pyoxigraph, the project's default store.
The Oxigraph server from PyPI answers the protocol well, but it fetches any `SERVICE` IRI it is given,
has no result-size limit and cannot host the reconciliation API (issue 5) beside the endpoint;
rdflib-endpoint runs queries on rdflib, orders of magnitude slower here, in the server's own process.
Werkzeug supplies what a hand-written server gets wrong (Accept negotiation with q-values, form
parsing, HEAD, a threaded server); the application is plain WSGI, so a production WSGI server can host it.

A pyoxigraph query cannot be interrupted inside a thread, so the server never runs one: each query goes
to a worker process that opens a read-only on-disk copy of the graph (opening it takes milliseconds,
whatever the graph's size). A query past the time limit is ended by killing its worker, and a fresh
worker starts in the background. Workers write results as TSV (one line per row) through a counter
that stops at the row limit, then convert to the format asked for, so a huge result is refused
without being held in memory. SERVICE clauses are found with rdflib's parser before pyoxigraph, which
would fetch any endpoint, sees the query.
"""
from __future__ import annotations

import io
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module, resources
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from werkzeug.datastructures import MIMEAccept
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Request, Response

from .binding import bind_values
from .errors import GraphkitError, InputError
from .namespaces import PREFIXES
from .query import canned_queries

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_ROWS = 100_000
DEFAULT_WORKERS = 2

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = "http://www.w3.org/ns/formats/"

# Media type -> (pyoxigraph format, W3C format IRI); the first entry of each table is the default.
RESULT_FORMATS = {
    "application/sparql-results+json": (ox.QueryResultsFormat.JSON, "SPARQL_Results_JSON"),
    "application/sparql-results+xml": (ox.QueryResultsFormat.XML, "SPARQL_Results_XML"),
    "text/csv": (ox.QueryResultsFormat.CSV, "SPARQL_Results_CSV"),
    "text/tab-separated-values": (ox.QueryResultsFormat.TSV, "SPARQL_Results_TSV"),
}
GRAPH_FORMATS = {
    "text/turtle": (ox.RdfFormat.TURTLE, "Turtle"),
    "application/n-triples": (ox.RdfFormat.N_TRIPLES, "N-Triples"),
    "application/ld+json": (ox.RdfFormat.JSON_LD, "JSON-LD"),
    "application/rdf+xml": (ox.RdfFormat.RDF_XML, "RDF_XML"),
}
# Plain JSON and XML as clients often ask for them, answered with the SPARQL results type.
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  "application/xml": "application/sparql-results+xml"}
HTML = "text/html"
TEXT = "text/plain; charset=utf-8"
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Limits:
    """What the operator allows each query: seconds, rows, and the SERVICE endpoints it may reach."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    allowed_services: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes

    @classmethod
    def error(cls, status: int, message: str) -> "Answer":
        return cls(status, TEXT, (message.rstrip() + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Job:
    """One query for a worker: the text, the dataset asked for and the formats the client accepts."""

    query: str
    result_type: str | None
    graph_type: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Refused(Exception):
    """A query the endpoint will not run, with the HTTP status that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _TooManyLines(Exception):
    pass


class _LineCounter(io.RawIOBase):
    """A byte sink that keeps what it is given and stops once it holds more than `limit` lines."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit, self.lines, self.buffer = limit, 0, io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _TooManyLines()
        return self.buffer.write(data)


def service_iris(query: str) -> list[str | None]:
    """The endpoint of every SERVICE clause in the query (None for a variable), found by rdflib's parser."""
    text = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    if "service" not in text.lower():
        return []
    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except Exception as error:  # pyparsing and rdflib raise several types for a bad query
        raise _syntax_refusal(text, error) from None
    found: list[str | None] = []
    _collect_services(algebra, found)
    return found


def _collect_services(node, found: list[str | None]) -> None:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            found.append(str(term) if isinstance(term, rdflib.URIRef) else None)
        for value in node.values():
            _collect_services(value, found)
    elif isinstance(node, (list, tuple, set)):
        for value in node:
            _collect_services(value, found)
    elif isinstance(node, dict):
        for value in node.values():
            _collect_services(value, found)


def check_services(query: str, allowed: frozenset[str]) -> None:
    """Refuse a query whose SERVICE clauses reach anything the operator has not allowed."""
    for iri in service_iris(query):
        if iri is None:
            raise Refused(403, "SERVICE with a variable endpoint is refused: name the endpoint")
        if iri not in allowed:
            hint = f"allowed: {', '.join(sorted(allowed))}" if allowed else "this server allows none"
            raise Refused(403, f"SERVICE <{iri}> is not allowed ({hint}; see graphkit serve --allow-service)")


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:  # not an update either
        return False
    return True


def _syntax_refusal(query: str, error: Exception) -> Refused:
    if _is_update(query):
        return Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    return Refused(400, f"malformed query: {error}")


def _bounded(write, limit: int, what: str, header_lines: int = 0) -> bytes:
    """What write(sink) writes, one line per row or triple, refused past `limit` of them."""
    counter = _LineCounter(limit + header_lines)
    try:
        write(counter)
    except _TooManyLines:
        raise Refused(422, f"the result has more than {limit} {what}, this server's limit: "
                           "add a LIMIT or narrow the query") from None
    return counter.buffer.getvalue()


def execute(store: ox.Store, job: Job, limits: Limits) -> Answer:
    """Run one query on the store and serialise the answer, or say why not."""
    try:
        check_services(job.query, limits.allowed_services)
        try:
            result = store.query(job.query, default_graph=[ox.NamedNode(g) for g in job.default_graphs] or None,
                                 named_graphs=[ox.NamedNode(g) for g in job.named_graphs] or None)
        except SyntaxError as error:
            raise _syntax_refusal(job.query, error) from None
        except ValueError as error:
            raise Refused(400, f"bad dataset IRI: {error}") from None
        return _serialise(result, job, limits.max_rows)
    except Refused as refusal:
        return Answer.error(refusal.status, str(refusal))
    except (OSError, RuntimeError, ValueError) as error:  # evaluation errors surface while serialising
        return Answer.error(500, f"the query failed: {error}")


def _not_acceptable(offered: dict) -> Refused:
    return Refused(406, f"cannot answer in any type the Accept header names; offered: {', '.join(offered)}")


def _serialise(result, job: Job, max_rows: int) -> Answer:
    if isinstance(result, ox.QueryTriples):
        if job.graph_type is None:
            raise _not_acceptable(GRAPH_FORMATS)
        fmt = GRAPH_FORMATS[job.graph_type][0]
        lines = _bounded(lambda out: result.serialize(out, ox.RdfFormat.N_TRIPLES), max_rows, "triples")
        body = lines if fmt == ox.RdfFormat.N_TRIPLES else ox.serialize(
            ox.parse(lines, ox.RdfFormat.N_TRIPLES), format=fmt,
            **({"prefixes": PREFIXES} if fmt == ox.RdfFormat.TURTLE else {}))
        return Answer(200, job.graph_type, body)
    if job.result_type is None:
        raise _not_acceptable(RESULT_FORMATS)
    fmt = RESULT_FORMATS[job.result_type][0]
    if isinstance(result, ox.QueryBoolean):
        return Answer(200, job.result_type, result.serialize(format=fmt))
    lines = _bounded(lambda out: result.serialize(out, ox.QueryResultsFormat.TSV), max_rows, "rows", header_lines=1)
    body = lines if fmt == ox.QueryResultsFormat.TSV else ox.parse_query_results(
        lines, ox.QueryResultsFormat.TSV).serialize(format=fmt)
    return Answer(200, job.result_type, body)


def worker_process() -> None:
    """A worker's main: open the read-only store, then answer jobs from the socket until it closes.

    Run as `python -c` with argv: socket fd, store folder, limits as JSON.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    fd, location, settings = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
    limits = Limits(settings["timeout"], settings["max_rows"], frozenset(settings["allowed_services"]))
    connection = Connection(fd)
    store = ox.Store.read_only(location)
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(execute(store, job, limits))


@dataclass
class _Worker:
    process: subprocess.Popen
    connection: Connection


class WorkerPool:
    """Worker processes over a read-only store; a query past the time limit costs its worker, not the server.

    Workers are fresh interpreters (not multiprocessing forks), so nothing of the caller's __main__ or
    threads is carried into them.
    """

    def __init__(self, location: Path, size: int, limits: Limits):
        self.location, self.size, self.limits = str(location), size, limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        ours, theirs = socket.socketpair()
        settings = json.dumps({"timeout": self.limits.timeout, "max_rows": self.limits.max_rows,
                               "allowed_services": sorted(self.limits.allowed_services)})
        process = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import worker_process; worker_process()",
             str(theirs.fileno()), self.location, settings],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)})
        theirs.close()
        with self._lock:
            self._live.add(process)
        return _Worker(process, Connection(ours.detach()))

    def _retire(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.wait(5)
        worker.connection.close()
        with self._lock:
            self._live.discard(worker.process)

    def _replace(self, worker: _Worker) -> None:
        """Kill the worker and start another in the background, so the answer is not delayed."""
        self._retire(worker)

        def respawn() -> None:
            if not self._closed:
                self._idle.put(self._spawn())

        threading.Thread(target=respawn, daemon=True).start()

    def run(self, job: Job) -> Answer:
        """The answer to one job, within the time limit."""
        timeout = self.limits.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Answer.error(503, f"all {self.size} query workers stayed busy for {timeout:g} s; try again")
        try:
            worker.connection.send(job)
            if worker.connection.poll(timeout):
                answer = worker.connection.recv()
                self._idle.put(worker)
                return answer
            answer = Answer.error(503, f"the query ran past this server's time limit of {timeout:g} s "
                                       "and was stopped; narrow it or add a LIMIT")
        except (EOFError, OSError):
            answer = Answer.error(500, "the query worker stopped unexpectedly")
        self._replace(worker)
        return answer

    def close(self) -> None:
        """Stop every worker, busy or idle."""
        self._closed = True
        with self._lock:
            live = list(self._live)
        for process in live:
            process.kill()
            process.wait(5)


def _write_read_only_copy(store, folder: Path) -> None:
    """An on-disk pyoxigraph copy of the store that workers can open read-only side by side."""
    dump = folder / "graph.nt"
    store.serialize(dump, "ntriples")
    disk = ox.Store(str(folder / "db"))
    disk.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES)
    disk.flush()
    del disk
    dump.unlink()


def _best(accept: MIMEAccept, table: dict, aliases: dict | None = None) -> str | None:
    if not accept:
        return next(iter(table))
    offered = list(table) + list(aliases or {})
    best = accept.best_match(offered)
    return (aliases or {}).get(best, best)


class SparqlService:
    """The WSGI application: `/` the query page, `/sparql` the endpoint, `/reconcile…` the reconciliation API."""

    def __init__(self, store, pool: WorkerPool, limits: Limits):
        self.store, self.pool, self.limits = store, pool, limits
        self.triples = len(store)

    def __call__(self, environ, start_response):
        request = Request(environ)
        request.max_content_length = 10 * 1024 * 1024
        response = self.dispatch(request)
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight(request)
        path = request.path
        if path == "/reconcile" or path.startswith("/reconcile/"):
            return self.reconcile(request, path[len("/reconcile"):])
        if request.method not in ("GET", "HEAD", "POST"):
            return _answer(Answer.error(405, f"{request.method} is not supported here"), allow="GET, POST, OPTIONS")
        if path == "/":
            return Response(home_page(), content_type="text/html; charset=utf-8")
        if path == "/queries":
            return Response(json.dumps(example_queries(), ensure_ascii=False), content_type="application/json")
        if path == "/sparql":
            return self.sparql(request)
        return _answer(Answer.error(404, f"nothing at {path}; the endpoint is /sparql"))

    def sparql(self, request: Request) -> Response:
        try:
            query = _protocol_query(request)
        except Refused as refusal:
            return _answer(Answer.error(refusal.status, str(refusal)))
        if query is None:
            return self.description(request)
        job = Job(query, _best(request.accept_mimetypes, RESULT_FORMATS, RESULT_ALIASES),
                  _best(request.accept_mimetypes, GRAPH_FORMATS),
                  tuple(request.args.getlist("default-graph-uri") + request.form.getlist("default-graph-uri")),
                  tuple(request.args.getlist("named-graph-uri") + request.form.getlist("named-graph-uri")))
        response = _answer(self.pool.run(job))
        response.vary.add("Accept")
        return response

    def description(self, request: Request) -> Response:
        """The SPARQL 1.1 Service Description, or the query page for a browser."""
        media = _best(request.accept_mimetypes, GRAPH_FORMATS | {HTML: None})
        if media == HTML:
            return Response(home_page(), content_type="text/html; charset=utf-8")
        if media is None:
            return _answer(Answer.error(406, f"the service description is offered as {', '.join(GRAPH_FORMATS)}"))
        graph = service_description(request.base_url, self.triples, self.limits)
        response = Response(graph.serialize(format=_RDFLIB_FORMATS[media]), content_type=media)
        response.vary.add("Accept")
        return response

    def reconcile(self, request: Request, subpath: str) -> Response:
        """Hand /reconcile… to graphkit.reconcile (issue 5) when it is installed."""
        try:
            module = import_module("graphkit.reconcile")
        except ModuleNotFoundError as error:
            if error.name != "graphkit.reconcile":
                raise
            return _answer(Answer.error(404, "the reconciliation API is not available in this version"))
        params = {**request.args.to_dict(), **request.form.to_dict()}
        try:
            status, content_type, body = module.handle_request(
                self.store, request.method, subpath, params, request.host_url.rstrip("/"))
        except GraphkitError as error:
            return _answer(Answer.error(400, str(error)))
        return Response(body, status=status, content_type=content_type)


_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                   "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


def _answer(answer: Answer, allow: str | None = None) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.content_type)
    if allow:
        response.headers["Allow"] = allow
    return response


def _preflight(request: Request) -> Response:
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = (
        request.headers.get("Access-Control-Request-Headers") or "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _protocol_query(request: Request) -> str | None:
    """The query of a SPARQL 1.1 Protocol request, None when there is none; updates are refused."""
    content_type = request.mimetype
    if request.method == "POST" and content_type == "application/sparql-update" or "update" in request.values:
        raise Refused(403, "this endpoint is read-only: SPARQL updates are refused")
    if request.method == "POST" and content_type == "application/sparql-query":
        return request.get_data(as_text=True)
    if request.method == "POST" and content_type not in ("application/x-www-form-urlencoded", ""):
        raise Refused(415, f"POST a query as application/sparql-query or form-encoded, not {content_type}")
    queries = request.args.getlist("query") + request.form.getlist("query")
    if len(queries) > 1:
        raise Refused(400, "give exactly one query parameter")
    if request.method == "POST" and not queries:
        raise Refused(400, "the POST carries no query parameter")
    return queries[0] if queries else None


def service_description(endpoint: str, triples: int, limits: Limits) -> rdflib.Graph:
    """The endpoint described in the SPARQL 1.1 Service Description vocabulary."""
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dct", DCTERMS)
    service, dataset, default = rdflib.URIRef(endpoint + "#service"), rdflib.BNode(), rdflib.BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, rdflib.URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for _, name in (*RESULT_FORMATS.values(), *GRAPH_FORMATS.values()):
        graph.add((service, SD.resultFormat, rdflib.URIRef(FORMATS_NS + name)))
    if limits.allowed_services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    graph.add((service, DCTERMS.title, rdflib.Literal("graphkit: the cross-border knowledge graph", lang="en")))
    graph.add((service, RDFS.comment, rdflib.Literal(
        f"Read-only. Each query may run {limits.timeout:g} s and return {limits.max_rows} rows or triples; "
        f"SERVICE may reach {', '.join(sorted(limits.allowed_services)) or 'no endpoint'}.", lang="en")))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, rdflib.Literal(triples)))
    return graph


def home_page() -> bytes:
    """The query page: type a query, see a table (plain HTML and JavaScript, nothing fetched from elsewhere)."""
    return resources.files("graphkit").joinpath("static/sparql.html").read_bytes()


def example_queries() -> list[dict[str, str]]:
    """The canned queries with their default parameters bound, for the query page."""
    examples = []
    for name, canned in canned_queries().items():
        try:
            text = bind_values(canned.text, canned.bindings())
        except GraphkitError:
            continue
        examples.append({"name": name, "title": canned.title, "description": canned.description, "query": text})
    return examples


@contextmanager
def running_service(store, limits: Limits = Limits(), workers: int = DEFAULT_WORKERS) -> Iterator[SparqlService]:
    """The WSGI application over a read-only copy of the store, with its workers running until exit."""
    with tempfile.TemporaryDirectory(prefix="graphkit-serve-") as folder:
        _write_read_only_copy(store, Path(folder))
        pool = WorkerPool(Path(folder) / "db", workers, limits)
        try:
            yield SparqlService(store, pool, limits)
        finally:
            pool.close()


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port (0: any free port), refused with a plain sentence when taken."""
    try:
        return socket.create_server((host, port))
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise InputError(f"cannot listen on {host}:{port}: {reason}") from None


def http_server(app: SparqlService, listener: socket.socket) -> BaseWSGIServer:
    """A threaded HTTP server for the application on a bound socket, ready for serve_forever()."""
    host, port = listener.getsockname()[:2]
    server = make_server(host, port, app, threaded=True, fd=listener.fileno())
    listener.close()  # the server holds its own duplicate
    return server
