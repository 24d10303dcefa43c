"""graphkit.remote: canned queries on remote endpoints through SPARQLWrapper, and `graphkit push`.

The three-way test runs every canned query in queries/ in-process, through `graphkit serve`, and
through SPARQLWrapper against an independent Oxigraph server the graph was pushed into, and asks
for the same answers.
"""
from __future__ import annotations

import base64
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from graphkit import paths
from graphkit.cli import main
from graphkit.errors import EndpointError, InputError
from graphkit.load import load_graph
from graphkit.query import canned_queries, find_query, run_query
from graphkit.remote import DEFAULT_GRAPH, PASSWORD_VARIABLE, USER_VARIABLE, query_endpoint, run_remote_query
from servers import closed_port_url, graphkit_server, listening, oxigraph, oxigraph_server  # noqa: F401

ECHO = Path(__file__).parent / "fixtures" / "echo-parameter.rq"
EXAMPLE = re.compile(r"\be\.g\.\s+(.+?)(?:\s+\(|$)")


@pytest.fixture(scope="module")
def local():
    return load_graph()


@pytest.fixture(scope="module")
def served():
    """`graphkit serve` over the project's graph; yields its SPARQL endpoint URL."""
    with graphkit_server("--timeout", "20") as base:
        yield f"{base}/sparql"


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    """An Oxigraph server the graph was pushed into with `graphkit push`; yields its query URL."""
    with oxigraph_server(tmp_path_factory.mktemp("pushed")) as base:
        result = CliRunner().invoke(main, ["push", "--endpoint", f"{base}/store"])
        assert result.exit_code == 0, result.output
        yield f"{base}/query"


SEPARATOR = re.compile(r"""separator\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""", re.IGNORECASE)


def concat_separators(query: str) -> list[str]:
    """The separators of the query's GROUP_CONCATs (a space when none is named)."""
    named = [double or single for double, single in SEPARATOR.findall(query)]
    return named + [" "] if query.upper().count("GROUP_CONCAT") > len(named) else named


def normalised(result, separators: list[str] = ()) -> Counter:
    """The answer as a multiset of rows of comparable terms.

    Blank node labels differ between stores, and SPARQL leaves the order inside a GROUP_CONCAT
    undefined, so plain strings are compared as sorted lists of their separated parts.
    """
    split = re.compile("|".join(re.escape(s) for s in sorted(separators, key=len, reverse=True))) if separators else None

    def term(value):
        if isinstance(value, BNode):
            return ("bnode",)
        if isinstance(value, Literal):
            text = str(value)
            if split and not value.language and not value.datatype:
                text = tuple(sorted(split.split(text)))
            return ("literal", text, value.language, str(value.datatype) if value.datatype else None)
        return ("iri", str(value)) if isinstance(value, URIRef) else None

    if result.kind == "ask":
        return Counter([result.boolean])
    if result.kind == "graph":
        return Counter(tuple(term(t) for t in triple) for triple in result.graph)
    return Counter(tuple(term(row.get(v)) for v in result.variables) for row in result.rows)


def cases() -> list[tuple[str, dict[str, str]]]:
    """Every canned query with its defaults, and again with the example values its header gives."""
    found = []
    for name, canned in canned_queries().items():
        found.append(pytest.param(name, {}, id=f"{name}-defaults"))
        examples = {p.name: m.group(1) for p in canned.parameters if (m := EXAMPLE.search(p.description))}
        if examples:
            found.append(pytest.param(name, examples, id=f"{name}-examples"))
    return found


def test_the_canned_queries_are_found():
    assert len(canned_queries()) >= 1
    assert {Path(q.path).parent for q in canned_queries().values()} == {paths.queries_dir()}


@pytest.mark.parametrize("name, values", cases())
def test_canned_query_answers_the_same_in_process_through_serve_and_through_oxigraph(
        local, served, pushed, name, values):
    canned = canned_queries()[name]
    in_process = run_query(local, canned, values)
    through_serve = run_remote_query(served, canned, values, timeout=30)
    through_oxigraph = run_remote_query(pushed, canned, values, timeout=30)
    separators = concat_separators(canned.text)
    assert through_serve.kind == through_oxigraph.kind == in_process.kind
    assert normalised(through_serve, separators) == normalised(in_process, separators)
    assert normalised(through_oxigraph, separators) == normalised(in_process, separators)


PAYLOADS = [
    'Lào Cai" } ; DROP ALL ; #',
    "it's {braces} and \"quotes\"",
    '""" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o } #',
    "back\\slash \\u0022 and a\nnew line",
    "} UNION { ?s ?p ?o }",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_parameter_payload_stays_a_value_in_process_and_remote(local, served, pushed, payload):
    echo = find_query(str(ECHO))
    for result in (run_query(local, echo, {"text": payload}),
                   run_remote_query(served, echo, {"text": payload}),
                   run_remote_query(pushed, echo, {"text": payload})):
        assert [str(row["echo"]) for row in result.rows] == [payload]
        assert int(result.rows[0]["triples"]) >= len(local)


def test_iri_parameter_that_would_break_out_is_refused_before_sending():
    with listening() as endpoint:
        canned = canned_queries()["aggregate-claims"]
        with pytest.raises(InputError, match="not a valid IRI"):
            query_endpoint(endpoint.url, canned.text, {"unit": URIRef("https://x> } ; DROP ALL ; <y")})
        assert endpoint.hits == []


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_on_a_named_endpoint_prints_what_the_local_query_prints(served, fmt):
    args = ["query", str(ECHO), "--param", 'text=a, "quoted"\tvalue', "--format", fmt]
    here = CliRunner().invoke(main, args)
    there = CliRunner().invoke(main, [*args, "--endpoint", served])
    assert here.exit_code == there.exit_code == 0, there.output
    assert there.stdout == here.stdout


def test_query_on_a_named_endpoint_prints_sparql_json(served, local):
    result = CliRunner().invoke(main, ["query", str(ECHO), "--param", "text=x", "--format", "json",
                                       "--endpoint", served])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["echo", "triples"]
    assert data["results"]["bindings"][0]["echo"] == {"type": "literal", "value": "x"}


def one_line_failure(args: list[str], env: dict | None = None) -> str:
    """The CLI's message for a failing command, which must be one line and a non-zero exit."""
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_unreachable_endpoint_is_a_one_line_error():
    url = closed_port_url()
    message = one_line_failure(["query", "aggregate-claims", "--endpoint", url])
    assert message.startswith(f"graphkit: {url}: cannot reach the endpoint")


def test_http_error_is_a_one_line_error_with_the_status_and_the_server_message(served):
    url = served.replace("/sparql", "/nowhere")
    message = one_line_failure(["query", "aggregate-claims", "--endpoint", url])
    assert message == f"graphkit: {url}: HTTP 404 Not Found: nothing at /nowhere; the endpoint is /sparql"


def test_server_error_status_is_a_one_line_error():
    with listening(status=503, content_type="text/plain", body=b"overloaded\nretry later\n") as endpoint:
        message = one_line_failure(["query", "aggregate-claims", "--endpoint", endpoint.url])
    assert message == f"graphkit: {endpoint.url}: HTTP 503 Service Unavailable: overloaded"


def test_malformed_answer_is_a_one_line_error():
    with listening(content_type="application/sparql-results+json", body=b"<html>not json</html>") as endpoint:
        message = one_line_failure(["query", "aggregate-claims", "--endpoint", endpoint.url])
    assert message.startswith(f"graphkit: {endpoint.url}: the answer is not SPARQL results JSON")


def test_answer_without_results_is_a_malformed_answer():
    with listening(body=b'{"head": {"vars": ["x"]}}') as endpoint, pytest.raises(EndpointError, match="results"):
        query_endpoint(endpoint.url, "SELECT ?x WHERE { ?x ?p ?o }")


def test_slow_endpoint_is_given_up_after_the_timeout():
    with listening(delay=3) as endpoint:
        message = one_line_failure(["query", "aggregate-claims", "--endpoint", endpoint.url, "--timeout", "1"])
    assert message == f"graphkit: {endpoint.url}: no answer within 1 s"


def test_construct_on_an_endpoint_answers_a_graph(served, local):
    query = "PREFIX xbkg: <https://w3id.org/xbkg/ontology#> CONSTRUCT WHERE { ?t a xbkg:Twinning }"
    remote = query_endpoint(served, query)
    assert remote.kind == "graph"
    assert normalised(remote) == normalised(local.query(query))


def test_ask_on_an_endpoint_answers_a_boolean(served, pushed):
    query = "ASK { ?t a <https://w3id.org/xbkg/ontology#Twinning> }"
    assert query_endpoint(served, query).boolean is True
    assert query_endpoint(pushed, query.replace("Twinning", "NoSuchClass")).boolean is False


def count_in_graph(query_url: str, graph: str) -> int:
    result = query_endpoint(query_url, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(result.rows[0]["n"])


@pytest.mark.parametrize("method, path", [("graph-store", "/store"), ("update", "/update")])
def test_pushing_twice_leaves_the_same_triples(oxigraph, local, method, path):
    graph = f"https://example.org/test/push-twice-{method}"
    for _ in range(2):
        result = CliRunner().invoke(main, ["push", "--endpoint", oxigraph + path, "--graph", graph,
                                           "--method", method])
        assert result.exit_code == 0, result.output
        assert count_in_graph(f"{oxigraph}/query", graph) == len(local)
    assert result.stdout.strip() == f"Pushed {len(local)} triples into <{graph}> at {oxigraph}{path}."


def test_push_replaces_the_old_content_of_the_graph(oxigraph):
    graph = "https://example.org/test/push-replaces"
    small = paths.data_dir() / "sources.ttl"
    runner = CliRunner()
    assert runner.invoke(main, ["push", "--endpoint", f"{oxigraph}/store", "--graph", graph]).exit_code == 0
    assert runner.invoke(main, ["push", str(small), "--endpoint", f"{oxigraph}/store", "--graph", graph]).exit_code == 0
    assert count_in_graph(f"{oxigraph}/query", graph) == len(load_graph([small]))


def test_push_leaves_other_graphs_alone(oxigraph):
    small = paths.data_dir() / "sources.ttl"
    runner = CliRunner()
    for graph in ("https://example.org/test/keep", "https://example.org/test/other"):
        assert runner.invoke(main, ["push", str(small), "--endpoint", f"{oxigraph}/store", "--graph", graph]).exit_code == 0
    assert count_in_graph(f"{oxigraph}/query", "https://example.org/test/keep") == len(load_graph([small]))


def test_push_sends_credentials_from_the_environment_and_never_prints_them():
    env = {USER_VARIABLE: "curator", PASSWORD_VARIABLE: "s3cret-pa55"}
    small = str(paths.data_dir() / "sources.ttl")
    with listening(status=204, body=b"") as store:
        result = CliRunner().invoke(main, ["push", small, "--endpoint", store.url], env=env)
    assert result.exit_code == 0, result.output
    hit = store.hits[0]
    assert hit["method"] == "PUT"
    assert hit["path"] == "/sparql?graph=" + DEFAULT_GRAPH.replace(":", "%3A").replace("/", "%2F")
    assert hit["headers"]["Authorization"] == "Basic " + base64.b64encode(b"curator:s3cret-pa55").decode()
    assert "s3cret" not in result.output


def test_query_sends_credentials_from_the_environment():
    env = {USER_VARIABLE: "reader", PASSWORD_VARIABLE: "pw"}
    with listening() as endpoint:
        result = CliRunner().invoke(main, ["query", "aggregate-claims", "--endpoint", endpoint.url], env=env)
    assert result.exit_code == 0, result.output
    assert endpoint.hits[0]["headers"]["Authorization"] == "Basic " + base64.b64encode(b"reader:pw").decode()


def test_push_and_query_take_no_credentials_on_the_command_line():
    for command in ("push", "query"):
        options = {opt for param in main.commands[command].params for opt in param.opts}
        assert not {o for o in options if re.search("user|pass|cred|auth", o)}


def test_credentials_in_the_endpoint_url_are_refused_without_echoing_them():
    url = f"http://curator:s3cret@127.0.0.1:{closed_port_url().split(':')[2]}"
    message = one_line_failure(["push", "--endpoint", url])
    assert "GRAPHKIT_ENDPOINT_USER" in message
    assert "s3cret" not in message
