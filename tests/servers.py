"""Real servers for the SPARQL tests, each on 127.0.0.1 at a random free port, started and stopped here.

- `graphkit serve` as a subprocess (the command users run),
- the Oxigraph server from PyPI as an independent triple store,
- a tiny HTTP listener standing in for a remote endpoint: it records every request it gets and
  answers with a fixed status and body (optionally after a delay), for SERVICE, timeout and
  malformed-answer tests.
Import the fixtures into a test module by name.
"""
from __future__ import annotations

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import pytest

from support.browser import chromium

READY_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = READY_TIMEOUT) -> None:
    """Poll url until it answers (any HTTP status), failing early if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:g} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


GRAPHKIT = [sys.executable, "-c", "from graphkit.cli import main; main()"]


@contextmanager
def graphkit_server(*options: str) -> Iterator[str]:
    """`graphkit serve` with the given options; yields its base URL (no trailing slash)."""
    port = free_port()
    process = subprocess.Popen([*GRAPHKIT, "serve", "--port", str(port), *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/sparql", process)
        yield base
    finally:
        stop(process)


@contextmanager
def oxigraph_server(folder) -> Iterator[str]:
    """The Oxigraph server (read-write, union default graph) over a store in folder; yields its base URL."""
    executable = shutil.which("oxigraph")
    if executable is None:
        raise RuntimeError("the oxigraph server is missing: pip install -e '.[test]'")
    port = free_port()
    process = subprocess.Popen([executable, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query?query=ASK%7B%7D", process)
        yield base
    finally:
        stop(process)


@dataclass
class Listener:
    """A stand-in remote endpoint: what it answers, and every request it got."""

    url: str
    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
    delay: float = 0.0
    hits: list[dict] = field(default_factory=list)


@contextmanager
def listening(**answer) -> Iterator[Listener]:
    """A Listener on a free port, for the duration of the block."""
    listener = Listener(url="", **answer)

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            listener.hits.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                  "body": self.rfile.read(length) if length else b""})
            time.sleep(listener.delay)
            self.send_response(listener.status)
            self.send_header("Content-Type", listener.content_type)
            self.send_header("Content-Length", str(len(listener.body)))
            self.end_headers()
            self.wfile.write(listener.body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()


def closed_port_url() -> str:
    """An endpoint URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/sparql"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory) -> Iterator[str]:
    """An empty Oxigraph server for this module."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium_path() -> str:
    """Debian's Chromium, which the browser tests drive through Playwright."""
    return chromium()
