"""serve, push: the graph as a SPARQL endpoint, and the graph pushed into a remote store."""
from __future__ import annotations

import signal
from pathlib import Path

import click

from ..load import load_graph
from ..remote import DEFAULT_GRAPH, DEFAULT_TIMEOUT, PUSH_METHODS, push_graph
from ..serve import DEFAULT_MAX_ROWS, DEFAULT_WORKERS, Limits, http_server, listen, running_service
from ..serve import DEFAULT_TIMEOUT as QUERY_TIME_LIMIT
from . import main

sources_argument = click.argument("sources", nargs=-1, type=click.Path(path_type=Path))


def _stop(signum, frame):
    raise KeyboardInterrupt


@main.command()
@sources_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=QUERY_TIME_LIMIT, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=DEFAULT_MAX_ROWS, show_default=True,
              help="Most rows (or triples) one answer may hold.")
@click.option("--workers", type=click.IntRange(min=1), default=DEFAULT_WORKERS, show_default=True,
              help="Queries run at once, each in its own process.")
@click.option("--allow-service", "allowed", multiple=True, metavar="URL",
              help="An endpoint SERVICE clauses may reach (repeatable); any other SERVICE is refused.")
def serve(sources: tuple[Path, ...], host: str, port: int, timeout: float, max_rows: int, workers: int,
          allowed: tuple[str, ...]) -> None:
    """Serve the graph (or the given files and folders) as a read-only SPARQL endpoint."""
    listener = listen(host, port)  # before loading anything, so a taken port fails at once
    store = load_graph(list(sources) if sources else None)
    limits = Limits(timeout, max_rows, frozenset(allowed))
    with running_service(store, limits, workers) as app:
        server = http_server(app, listener)
        signal.signal(signal.SIGTERM, _stop)
        click.echo(f"Serving {len(store)} triples: query page http://{host}:{server.port}/ , "
                   f"SPARQL endpoint http://{host}:{server.port}/sparql (Ctrl+C stops)", err=True)
        try:
            server.serve_forever()  # returns on Ctrl+C or SIGTERM
        finally:
            server.server_close()
    click.echo("Stopped.", err=True)


@main.command()
@sources_argument
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL (--method graph-store) or SPARQL Update URL (--method update).")
@click.option("--graph", "graph_iri", default=DEFAULT_GRAPH, show_default=True, metavar="IRI",
              help="The named graph to replace.")
@click.option("--method", type=click.Choice(list(PUSH_METHODS)), default="graph-store", show_default=True,
              help="graph-store: HTTP PUT of N-Triples; update: DROP SILENT GRAPH + INSERT DATA.")
@click.option("--timeout", type=click.FloatRange(min=1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for the store.")
def push(sources: tuple[Path, ...], endpoint: str, graph_iri: str, method: str, timeout: float) -> None:
    """Replace a named graph in a remote store with the graph (or the given files and folders).

    Credentials, when the store needs them, come from GRAPHKIT_ENDPOINT_USER and GRAPHKIT_ENDPOINT_PASSWORD.
    """
    store = load_graph(list(sources) if sources else None)
    count = push_graph(store, endpoint, graph_iri, method, timeout)
    click.echo(f"Pushed {count} triples into <{graph_iri}> at {endpoint}.")
