"""Remote SPARQL endpoints: the canned queries through SPARQLWrapper, and pushing the graph into a store.

Parameters reach a remote endpoint as a VALUES block of escaped RDF terms (`binding.bind_values`, the
same text every local engine runs), so a value can never become query syntax. Credentials come only
from the environment (GRAPHKIT_ENDPOINT_USER, GRAPHKIT_ENDPOINT_PASSWORD), never from arguments, URLs
or messages. Every failure is an EndpointError naming the endpoint in one line.
"""
from __future__ import annotations

import ast
import base64
import http.client
import json
import math
import os
import socket
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Mapping

import rdflib
from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import CONSTRUCT, DESCRIBE, JSON, POST, SPARQLWrapper, TURTLE
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .binding import bind_values, term_text
from .errors import EndpointError, InputError
from .iri import BASE
from .query import CannedQuery
from .store import QueryResult

DEFAULT_TIMEOUT = 30.0
DEFAULT_GRAPH = BASE + "graph"
USER_VARIABLE = "GRAPHKIT_ENDPOINT_USER"
PASSWORD_VARIABLE = "GRAPHKIT_ENDPOINT_PASSWORD"

# Content type of a graph answer -> rdflib parser name
_GRAPH_PARSERS = {
    "text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "nt",
    "text/plain": "nt", "application/rdf+xml": "xml", "application/ld+json": "json-ld",
}
# SPARQLWrapper's exception classes name the status they stand for only in their docs.
_WRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
                   "URITooLong": 414, "EndPointInternalError": 500}


def check_endpoint(url: str) -> str:
    """The URL if it is an http(s) endpoint without credentials in it."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"not an http(s) endpoint URL: {url!r}")
    if parts.username or parts.password:
        raise InputError(f"put credentials in {USER_VARIABLE} and {PASSWORD_VARIABLE}, not in the endpoint URL")
    return url


def credentials() -> tuple[str, str] | None:
    """User and password for the endpoint, from the environment only."""
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    return (user, password or "") if user else None


def _first_line(body: bytes | str | None) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:197] + "..."


def _wrapped_body(error: SPARQLWrapperException) -> bytes | None:
    """The server's answer, which SPARQLWrapper keeps only as a repr inside its message."""
    _, found, text = str(error).partition("Response:\n")
    try:
        body = ast.literal_eval(text) if found else None
    except (ValueError, SyntaxError):
        return None
    return body if isinstance(body, (bytes, str)) else None


def _http_error(url: str, status: int, body: bytes | str | None) -> EndpointError:
    reason = http.client.responses.get(status, "")
    detail = _first_line(body)
    return EndpointError(f"HTTP {status} {reason}" + (f": {detail}" if detail else ""), url)


def _failure(url: str, error: BaseException, timeout: float) -> EndpointError:
    """One plain sentence for whatever went wrong on the way to the endpoint and back."""
    if isinstance(error, SPARQLWrapperException):
        return _http_error(url, _WRAPPER_STATUS.get(type(error).__name__, 0), _wrapped_body(error))
    if isinstance(error, urllib.error.HTTPError):
        return _http_error(url, error.code, error.read())
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return EndpointError(f"no answer within {timeout:g} s", url)
    if isinstance(reason, http.client.HTTPException):
        return EndpointError(f"the answer is not HTTP: {type(reason).__name__} {reason}".rstrip(), url)
    return EndpointError(f"cannot reach the endpoint: {getattr(reason, 'strerror', None) or reason}", url)


_NETWORK_ERRORS = (SPARQLWrapperException, urllib.error.URLError, OSError, http.client.HTTPException)


def _wrapper(url: str, timeout: float) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(check_endpoint(url), updateEndpoint=url)
    wrapper.setMethod(POST)
    wrapper.setOnlyConneg(True)  # content negotiation only: no format=/output= parameters
    wrapper.setTimeout(max(1, math.ceil(timeout)))  # SPARQLWrapper takes whole seconds
    login = credentials()
    if login:
        wrapper.setCredentials(*login)
    return wrapper


def query_endpoint(url: str, sparql: str, bindings: Mapping[str, Node] | None = None,
                   timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a query on a remote SPARQL endpoint with its parameters bound as VALUES."""
    wrapper = _wrapper(url, timeout)
    wrapper.setQuery(bind_values(sparql, bindings))
    graph_answer = wrapper.queryType in (CONSTRUCT, DESCRIBE)
    wrapper.setReturnFormat(TURTLE if graph_answer else JSON)
    try:
        response = wrapper.query().response
        body = response.read()
        content_type = response.headers.get_content_type()
    except _NETWORK_ERRORS as error:
        raise _failure(url, error, timeout) from None
    return _read_graph(body, content_type, url) if graph_answer else _read_results(body, url)


def run_remote_query(url: str, query: CannedQuery, values: Mapping[str, str] | None = None,
                     timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a canned query on a remote endpoint with its parameters bound."""
    return query_endpoint(url, query.text, query.bindings(values), timeout)


def _term(value: dict) -> Node:
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return Literal(value["value"], lang=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(value["value"], datatype=URIRef(datatype))
        return Literal(value["value"])
    raise ValueError(f"unknown term type {kind!r}")


def _read_results(body: bytes, url: str) -> QueryResult:
    """A QueryResult from SPARQL 1.1 Query Results JSON."""
    try:
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        variables = list(data["head"]["vars"])
        rows = [{v: (_term(b[v]) if v in b else None) for v in variables} for b in data["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        detail = f"{type(error).__name__}: {error}" if not isinstance(error, KeyError) else f"no {error} member"
        raise EndpointError(f"the answer is not SPARQL results JSON ({detail})", url) from None
    return QueryResult("select", variables=variables, rows=rows)


def _read_graph(body: bytes, content_type: str, url: str) -> QueryResult:
    graph = rdflib.Graph()
    try:
        graph.parse(data=body, format=_GRAPH_PARSERS.get(content_type, "turtle"))
    except Exception as error:  # rdflib's parsers raise many types for bad input
        raise EndpointError(f"the answer is not RDF ({content_type}): {_first_line(str(error))}", url) from None
    return QueryResult("graph", graph=graph)


def _graph_iri(graph: str) -> str:
    return term_text(URIRef(graph))  # refuses an IRI that could break out of <...>


def _put_graph(ntriples: Path, url: str, graph: str, timeout: float) -> None:
    """SPARQL 1.1 Graph Store Protocol: PUT replaces the named graph in one request."""
    _graph_iri(graph)
    target = f"{check_endpoint(url)}{'&' if '?' in url else '?'}graph={urllib.parse.quote(graph, safe='')}"
    headers = {"Content-Type": "application/n-triples", "Content-Length": str(ntriples.stat().st_size)}
    login = credentials()
    if login:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(login).encode()).decode()
    with ntriples.open("rb") as body:
        request = urllib.request.Request(target, data=body, headers=headers, method="PUT")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        except _NETWORK_ERRORS as error:
            raise _failure(url, error, timeout) from None


def _update_graph(ntriples: Path, url: str, graph: str, timeout: float) -> None:
    """SPARQL 1.1 Update: DROP SILENT GRAPH and INSERT DATA in one request, so blank nodes stay whole."""
    target = _graph_iri(graph)
    data = ntriples.read_text(encoding="utf-8")
    wrapper = _wrapper(url, timeout)
    wrapper.setQuery(f"DROP SILENT GRAPH {target} ;\nINSERT DATA {{ GRAPH {target} {{\n{data}}} }}")
    try:
        wrapper.query().response.read()
    except _NETWORK_ERRORS as error:
        raise _failure(url, error, timeout) from None


PUSH_METHODS = {"graph-store": _put_graph, "update": _update_graph}


def push_graph(store, url: str, graph: str = DEFAULT_GRAPH, method: str = "graph-store",
               timeout: float = DEFAULT_TIMEOUT) -> int:
    """Replace the named graph at a remote store with the store's triples; the number of triples sent."""
    if method not in PUSH_METHODS:
        raise InputError(f"unknown push method {method!r}; choose one of {', '.join(PUSH_METHODS)}")
    check_endpoint(url)
    with tempfile.TemporaryDirectory(prefix="graphkit-push-") as folder:
        ntriples = Path(folder) / "graph.nt"
        store.serialize(ntriples, "ntriples")
        PUSH_METHODS[method](ntriples, url, graph, timeout)
    return len(store)
