"""One benchmark run of one engine on one graph file, in a process of its own so memory is its own.

Each step is timed with a monotonic clock, and its peak resident memory is read from the kernel's
high-water mark (VmHWM), reset before the step (/proc/self/clear_refs), so a step's peak includes
what earlier steps left in memory (the loaded graph) but not their transient peaks. Each step is
written as one JSON line as soon as it ends, so a run stopped for taking too long keeps what it did.
"""
from __future__ import annotations

import json
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ENGINES = ("graphkit", "baseline")
# A baseline query is repeated until this many seconds are spent on it (at least once).
BASELINE_QUERY_BUDGET = 20.0


def peak_rss() -> int:
    """The process's peak resident memory since the last reset, in bytes."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)\s+kB", status).group(1)) * 1024


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:  # not Linux, or not allowed: the peak then runs from the process start
        pass


class StepTimeout(BaseException):
    """A step ran past the step time limit (a BaseException, so no library's `except Exception` hides it)."""


def _alarm(signum, frame):
    raise StepTimeout()


def measure(step: Callable[[], object], repeat: int = 1, budget: float | None = None) -> tuple[float, int, object]:
    """(median seconds, peak bytes, last answer) of running step `repeat` times (fewer past `budget`)."""
    reset_peak()
    times, answer, spent = [], None, 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        answer = step()
        times.append(time.perf_counter() - start)
        spent += times[-1]
        if budget is not None and spent > budget:
            break
    return statistics.median(times), peak_rss(), answer


def query_values(query, graph_file: Path) -> dict[str, str]:
    """Typical values for a canned query's parameters, taken from the generated graph's manifest."""
    from .generate import Manifest

    manifest_path = graph_file.with_suffix(".json")
    samples = Manifest.load(manifest_path).samples if manifest_path.is_file() else {}
    typical = {"agreement": samples.get("agreement"), "date": "2024-06-01",
               "name": samples.get("name"), "node": samples.get("twinning"), "twinning": samples.get("twinning"),
               "under": samples.get("province"), "unit": samples.get("province"), "year": "2023"}
    return {p.name: typical[p.name] for p in query.parameters if typical.get(p.name)}


def canonical_keys(report) -> list[list[str]]:
    """Result keys with blank-node focus nodes written as _: (each parser labels them its own way)."""
    keys = []
    for focus, shape, path, severity in sorted(report.keys()):
        keys.append(["_:" if not focus.startswith(("http:", "https:", "urn:")) else focus, shape, path, severity])
    return keys


def limited(limit: float | None, emit, step: str, action: Callable[[], None]) -> None:
    """Run one step, recording it as timed out when it passes `limit` seconds (pure-Python work stops at once)."""
    if limit:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        action()
    except StepTimeout:
        emit(step=step, timeout=limit, peak=peak_rss())
    finally:
        if limit:
            signal.setitimer(signal.ITIMER_REAL, 0)


def run(engine: str, graph_file: Path, out: Path, repeat: int, exports: bool, limit: float | None = None,
        validate_limit: float | None = None) -> None:
    from graphkit.query import canned_queries, run_query
    from graphkit.store import OxigraphStore, RdflibStore
    from graphkit.validate import load_shapes, validate_graph
    from graphkit.fastvalidate import validate_fast

    def emit(**record) -> None:
        with out.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")

    store = OxigraphStore() if engine == "graphkit" else RdflibStore()
    seconds, peak, _ = measure(lambda: store.load(graph_file))
    emit(step="load", seconds=seconds, peak=peak, triples=len(store))

    shapes = load_shapes()
    check = (lambda: validate_fast(store, shapes)) if engine == "graphkit" else \
        (lambda: validate_graph(store.graph, shapes))

    def validate_step() -> None:
        seconds, peak, report = measure(check)
        emit(step="validate", seconds=seconds, peak=peak, results=len(report.results), keys=canonical_keys(report))
    limited(validate_limit or limit, emit, "validate", validate_step)

    for name, query in canned_queries().items():
        def query_step(q=query, name=name) -> None:
            budget = BASELINE_QUERY_BUDGET if engine == "baseline" else None
            values = query_values(q, graph_file)
            seconds, peak, answer = measure(lambda: run_query(store, q, values), repeat, budget)
            emit(step=f"query {name}", seconds=seconds, peak=peak, rows=len(answer.rows), values=values)
        limited(limit, emit, f"query {name}", query_step)

    if exports:
        run_exports(store, emit, limit)


def run_exports(store, emit, limit: float | None) -> None:
    try:
        from graphkit.export import FORMATS, export
    except ImportError as error:
        emit(step="export", missing=f"graphkit.export cannot be imported ({error})")
        return
    with tempfile.TemporaryDirectory(prefix="graphkit-bench-") as folder:
        for name, spec in FORMATS.items():
            def export_step(name=name, spec=spec) -> None:
                target = Path(folder) / f"out-{name}{spec.suffix}"
                try:
                    seconds, peak, written = measure(lambda: export(store, name, target))
                except StepTimeout:
                    raise
                except Exception as error:  # a failing writer is a figure to report, not a reason to stop
                    emit(step=f"export {name}", error=f"{type(error).__name__}: {error}"[:200])
                    return
                size = sum(p.stat().st_size for p in written if p.is_file())
                emit(step=f"export {name}", seconds=seconds, peak=peak, bytes=size)
            limited(limit, emit, f"export {name}", export_step)


def main(argv: list[str]) -> None:
    engine, graph_file, out, repeat, exports = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3]), argv[4] == "1"
    limit = float(argv[5]) if len(argv) > 5 and float(argv[5]) > 0 else None
    validate_limit = float(argv[6]) if len(argv) > 6 and float(argv[6]) > 0 else None
    if engine not in ENGINES:
        raise SystemExit(f"engine must be one of {ENGINES}")
    run(engine, graph_file, out, repeat, exports, limit, validate_limit)


if __name__ == "__main__":
    main(sys.argv[1:])
