"""graphkit.serve: the SPARQL 1.1 Protocol endpoint, run as `graphkit serve` on 127.0.0.1 and asked over HTTP."""
from __future__ import annotations

import csv
import io
import json
import re
import socket
import subprocess
import sys
import types
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from werkzeug.test import Client

from graphkit.load import load_graph
from graphkit.serve import SD, Limits, running_service
from servers import GRAPHKIT, chromium_path, graphkit_server, listening  # noqa: F401  (fixtures)

TIME_LIMIT = "2"
MAX_ROWS = 1000

UNITS = """PREFIX xbkg: <https://w3id.org/xbkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?unit ?name WHERE {
  ?unit a xbkg:AdministrativeUnit ; skos:prefLabel ?name .
  FILTER (lang(?name) = "vi")
} ORDER BY ?unit LIMIT 7"""
PARTNERS = """PREFIX xbkg: <https://w3id.org/xbkg/ontology#>
CONSTRUCT { ?twinning xbkg:partner ?unit } WHERE { ?twinning a xbkg:Twinning ; xbkg:partner ?unit }"""
EVERYTHING = "SELECT * WHERE { ?s ?p ?o }"
CUBED = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def allowed():
    """The one endpoint the server lets SERVICE reach."""
    with listening() as listener:
        yield listener


@pytest.fixture(scope="module")
def endpoint(allowed):
    """`graphkit serve` with a 2 s time limit, 1000 rows at most and one allowed SERVICE endpoint."""
    with graphkit_server("--timeout", TIME_LIMIT, "--max-rows", str(MAX_ROWS),
                         "--allow-service", allowed.url) as base:
        yield base


@pytest.fixture(scope="module")
def local():
    return load_graph()


def ask(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one HTTP request, whatever the status."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def get(endpoint: str, query: str, accept: str = "application/sparql-results+json"):
    return ask(f"{endpoint}/sparql?{urllib.parse.urlencode({'query': query})}", headers={"Accept": accept})


def post_form(endpoint: str, query: str, accept: str = "application/sparql-results+json", field: str = "query"):
    return ask(f"{endpoint}/sparql", urllib.parse.urlencode({field: query}).encode(),
               {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})


def local_rows(local, query: str) -> list[tuple[str, ...]]:
    result = local.query(query)
    return [tuple(str(row[v]) for v in result.variables) for row in result.rows]


def json_rows(body: bytes, variables: list[str]) -> list[tuple[str, ...]]:
    return [tuple(b[v]["value"] for v in variables) for b in json.loads(body)["results"]["bindings"]]


def test_get_query_answers_in_sparql_json(endpoint, local):
    status, headers, body = get(endpoint, UNITS)
    assert (status, headers.get_content_type()) == (200, "application/sparql-results+json")
    assert json_rows(body, ["unit", "name"]) == local_rows(local, UNITS)


def test_post_form_encoded_query_answers(endpoint, local):
    status, _, body = post_form(endpoint, UNITS)
    assert status == 200
    assert json_rows(body, ["unit", "name"]) == local_rows(local, UNITS)


def test_post_sparql_query_body_answers(endpoint, local):
    status, _, body = ask(f"{endpoint}/sparql", UNITS.encode(), {"Content-Type": "application/sparql-query"})
    assert status == 200
    assert json_rows(body, ["unit", "name"]) == local_rows(local, UNITS)


@pytest.mark.parametrize("media, fmt", [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
])
def test_select_is_negotiated_into_each_results_format(endpoint, local, media, fmt):
    status, headers, body = get(endpoint, UNITS, accept=media)
    assert (status, headers.get_content_type()) == (200, media)
    rows = [(s["unit"].value, s["name"].value) for s in ox.parse_query_results(body, fmt)]
    assert rows == local_rows(local, UNITS)


def test_select_is_negotiated_into_csv(endpoint, local):
    status, headers, body = get(endpoint, UNITS, accept="text/csv")
    assert (status, headers.get_content_type()) == (200, "text/csv")
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == ["unit", "name"]
    assert [tuple(r) for r in table[1:]] == local_rows(local, UNITS)


def test_accept_quality_values_pick_the_preferred_format(endpoint):
    status, headers, _ = get(endpoint, UNITS, accept="application/sparql-results+json;q=0.5, text/csv;q=0.9")
    assert (status, headers.get_content_type()) == (200, "text/csv")


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_is_negotiated(endpoint, media):
    status, headers, body = get(endpoint, "ASK { ?s a <https://w3id.org/xbkg/ontology#Twinning> }", accept=media)
    assert (status, headers.get_content_type()) == (200, media)
    assert bool(ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(media))) is True


@pytest.mark.parametrize("media, parser", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_is_negotiated_into_each_rdf_format(endpoint, local, media, parser):
    status, headers, body = get(endpoint, PARTNERS, accept=media)
    assert (status, headers.get_content_type()) == (200, media)
    graph = rdflib.Graph().parse(data=body, format=parser)
    assert len(graph) > 0
    assert isomorphic(graph, local.query(PARTNERS).graph)


def test_unacceptable_media_type_gets_406(endpoint):
    status, _, body = get(endpoint, UNITS, accept="image/png")
    assert status == 406
    assert b"application/sparql-results+json" in body


@pytest.mark.parametrize("media, parser", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
])
def test_service_description_parses_and_names_the_endpoint(endpoint, media, parser):
    status, headers, body = ask(f"{endpoint}/sparql", headers={"Accept": media})
    assert (status, headers.get_content_type()) == (200, media)
    graph = rdflib.Graph().parse(data=body, format=parser)
    service = graph.value(predicate=SD.endpoint, object=rdflib.URIRef(f"{endpoint}/sparql"))
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.feature, SD.BasicFederatedQuery) in graph
    formats = {str(o) for o in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats


def test_browser_at_the_endpoint_without_a_query_gets_the_query_page(endpoint):
    status, headers, body = ask(f"{endpoint}/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert (status, headers.get_content_type()) == (200, "text/html")
    assert b'id="query"' in body


def test_answers_carry_cors_header_for_any_origin(endpoint):
    request_headers = {"Origin": "http://yasgui.example", "Accept": "application/sparql-results+json"}
    status, headers, _ = ask(f"{endpoint}/sparql?{urllib.parse.urlencode({'query': UNITS})}", headers=request_headers)
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_refusals_carry_cors_header_too(endpoint):
    status, headers, _ = get(endpoint, "SELECT WHERE {")
    assert status == 400
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_cors_preflight_allows_post_with_content_type(endpoint):
    status, headers, _ = ask(f"{endpoint}/sparql", method="OPTIONS", headers={
        "Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


INSERT = "INSERT DATA { <https://example.org/x> <https://example.org/p> <https://example.org/y> }"
INSERTED = "ASK { <https://example.org/x> <https://example.org/p> <https://example.org/y> }"


@pytest.mark.parametrize("how", ["update form field", "sparql-update body", "update text as a query"])
def test_update_is_refused_with_403_and_changes_nothing(endpoint, how):
    if how == "update form field":
        status, _, body = post_form(endpoint, INSERT, field="update")
    elif how == "sparql-update body":
        status, _, body = ask(f"{endpoint}/sparql", INSERT.encode(), {"Content-Type": "application/sparql-update"})
    else:
        status, _, body = post_form(endpoint, INSERT)
    assert status == 403
    assert b"read-only" in body
    assert json.loads(get(endpoint, INSERTED)[2])["boolean"] is False


def test_query_past_the_time_limit_is_stopped_and_the_server_answers_the_next(endpoint, local):
    status, _, body = get(endpoint, CUBED)
    assert status == 503
    assert f"time limit of {TIME_LIMIT} s".encode() in body
    status, _, body = get(endpoint, UNITS)
    assert status == 200
    assert json_rows(body, ["unit", "name"]) == local_rows(local, UNITS)


@pytest.mark.parametrize("shape", [
    pytest.param("SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", id="iri"),
    pytest.param("PREFIX far: <{base}> SELECT * WHERE {{ SERVICE SILENT far:sparql {{ ?s ?p ?o }} }}",
                 id="prefixed-silent"),
    pytest.param("SELECT * WHERE {{ ?s a ?t FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}", id="in-exists"),
    pytest.param("SELECT * WHERE {{ {{ SELECT ?s WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
                 id="in-subquery"),
    pytest.param("SELECT * WHERE {{ VALUES ?far {{ <{url}> }} SERVICE ?far {{ ?s ?p ?o }} }}", id="variable"),
    pytest.param("SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}", id="codepoint-escape"),
])
def test_service_to_a_host_not_allowed_is_refused_and_nothing_is_fetched(endpoint, shape):
    with listening() as elsewhere:
        query = shape.format(url=elsewhere.url, base=elsewhere.url.removesuffix("sparql"))
        status, _, body = get(endpoint, query)
        assert status in (400, 403)
        assert b"SERVICE" in body or b"malformed" in body
        assert elsewhere.hits == []


def test_service_to_the_allowed_endpoint_is_fetched(endpoint, allowed):
    before = len(allowed.hits)
    status, _, body = get(endpoint, f"SELECT * WHERE {{ SERVICE <{allowed.url}> {{ ?x ?p ?o }} }}")
    assert status == 200, body
    assert len(allowed.hits) == before + 1


def test_malformed_query_gets_400_with_the_parser_message(endpoint):
    malformed = "SELECT ?s WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(malformed)
    status, headers, body = get(endpoint, malformed)
    assert (status, headers.get_content_type()) == (400, "text/plain")
    assert body.decode("utf-8").strip() == f"malformed query: {parser.value}"


@pytest.mark.parametrize("query, what", [(EVERYTHING, "rows"), ("CONSTRUCT WHERE { ?s ?p ?o }", "triples")])
def test_huge_result_is_refused_with_the_limit_and_the_server_stays_up(endpoint, query, what):
    status, _, body = get(endpoint, query, accept="application/sparql-results+json, text/turtle")
    assert status == 422
    assert f"more than {MAX_ROWS} {what}".encode() in body
    assert get(endpoint, "ASK {}")[0] == 200


def test_result_at_the_limit_is_served(endpoint):
    status, _, body = get(endpoint, f"{EVERYTHING} LIMIT {MAX_ROWS}")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS


def test_unsupported_post_content_type_gets_415(endpoint):
    status, _, _ = ask(f"{endpoint}/sparql", b"{}", {"Content-Type": "application/json"})
    assert status == 415


def test_home_page_is_plain_html_fetching_nothing_from_elsewhere(endpoint):
    status, headers, body = ask(f"{endpoint}/")
    assert (status, headers.get_content_type()) == (200, "text/html")
    page = body.decode("utf-8")
    assert "<textarea" in page
    linked = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page)
    assert linked and not [link for link in linked if "//" in link]


def test_home_page_runs_a_typed_query_and_shows_a_table(endpoint, local, chromium_path):
    from playwright.sync_api import sync_playwright

    expected = local_rows(local, UNITS)
    requested = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{endpoint}/")
            page.fill("#query", UNITS)
            page.click("#run")
            page.wait_for_selector("#results tbody tr", timeout=15000)
            header = page.locator("#results thead th").all_inner_texts()
            names = page.locator("#results tbody tr td:nth-child(2)").all_inner_texts()
            status = page.inner_text("#status")
        finally:
            browser.close()
    assert header == ["unit", "name"]
    assert names == [f"{row[1]}@vi" for row in expected]
    assert status.startswith(f"{len(expected)} rows")
    assert all(url.startswith(endpoint) for url in requested)


def test_home_page_shows_the_parser_message_for_a_malformed_query(endpoint, chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path)
        try:
            page = browser.new_page()
            page.goto(f"{endpoint}/")
            page.fill("#query", "SELECT ?s WHERE { ?s ?p }")
            page.click("#run")
            page.wait_for_selector("#status.error", timeout=15000)
            message = page.inner_text("#status")
        finally:
            browser.close()
    assert message.startswith("HTTP 400: malformed query")


def test_taken_port_is_a_one_line_error():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run([*GRAPHKIT, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"graphkit: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.fixture(scope="module")
def in_process(local):
    """The WSGI application itself, for routing tests that need a stand-in reconciliation module."""
    with running_service(local, Limits(timeout=10), workers=1) as app:
        yield Client(app)


def test_reconcile_paths_are_handed_to_graphkit_reconcile(in_process, monkeypatch):
    calls = []
    stand_in = types.ModuleType("graphkit.reconcile")

    def handle_request(store, method, subpath, params, base_url):
        calls.append((method, subpath, params, base_url, len(store)))
        return 200, "application/json", b'{"name": "stand-in"}'

    stand_in.handle_request = handle_request
    monkeypatch.setitem(sys.modules, "graphkit.reconcile", stand_in)
    response = in_process.post("/reconcile/suggest/entity?prefix=L%C3%A0o", data={"limit": "3"},
                               base_url="http://127.0.0.1:9999")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json() == {"name": "stand-in"}
    method, subpath, params, base_url, triples = calls[0]
    assert (method, subpath, params, base_url) == ("POST", "/suggest/entity", {"prefix": "Lào", "limit": "3"},
                                                   "http://127.0.0.1:9999")
    assert triples > 0


def test_reconcile_manifest_path_has_an_empty_subpath(in_process, monkeypatch):
    seen = []
    stand_in = types.ModuleType("graphkit.reconcile")
    stand_in.handle_request = lambda store, method, subpath, params, base_url: (
        seen.append(subpath) or (200, "application/json", b"{}"))
    monkeypatch.setitem(sys.modules, "graphkit.reconcile", stand_in)
    assert in_process.get("/reconcile").status_code == 200
    assert seen == [""]


def test_reconcile_answers_404_while_the_module_is_absent(in_process, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphkit.reconcile", None)
    response = in_process.get("/reconcile")
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
