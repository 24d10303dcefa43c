"""The benchmark: generate graphs, run graphkit and the rdflib + pyshacl baseline on each, print a table."""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .generate import Manifest, generate

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
# Goals of issue 6, checked on graphs of a million triples or more: (max seconds, min speed-up).
GOALS = {"load": (3.0, 10.0), "validate": (15.0, None), "query": (0.1, 20.0), "export": (15.0, None)}
# ... and on ten million: loading and answering the canned queries within this much memory.
MEMORY_GOAL = 8 * 1024 ** 3


def parse_scale(text: str) -> int:
    """100k -> 100000, 1M -> 1000000, 2500 -> 2500."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not match:
        raise ValueError(f"not a scale: {text!r} (write e.g. 100k, 1M or 2500)")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return int(float(match[1]) * factor)


def scale_name(triples: int) -> str:
    if triples >= 1_000_000 and triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    if triples >= 1_000 and triples % 1_000 == 0:
        return f"{triples // 1_000}k"
    return str(triples)


@dataclass
class EngineRun:
    """The steps one engine completed on one graph, by step name, and why it stopped if it did."""

    steps: dict[str, dict] = field(default_factory=dict)
    note: str = ""


@dataclass
class ScaleRun:
    scale: int
    manifest: Manifest
    graphkit: EngineRun
    baseline: EngineRun | None
    measured: str = ""
    load_average: str = ""

    def save(self, workdir: Path) -> None:
        path = workdir / f"run-{scale_name(self.scale)}-seed{self.manifest.seed}.json"
        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, workdir: Path, scale: int, seed: int) -> "ScaleRun":
        path = workdir / f"run-{scale_name(scale)}-seed{seed}.json"
        if not path.is_file():
            raise ValueError(f"no saved run for {scale_name(scale)} in {workdir}; run the benchmark at that scale first")
        data = json.loads(path.read_text(encoding="utf-8"))
        baseline = EngineRun(**data["baseline"]) if data["baseline"] else None
        return cls(data["scale"], Manifest(**data["manifest"]), EngineRun(**data["graphkit"]), baseline,
                   data.get("measured", ""), data.get("load_average", ""))


def graph_for(triples: int, workdir: Path, seed: int) -> Manifest:
    """A generated graph of this size, reused from workdir when it is already there."""
    path = workdir / f"graph-{scale_name(triples)}-seed{seed}.nt"
    manifest_path = path.with_suffix(".json")
    if path.is_file() and manifest_path.is_file():
        return Manifest.load(manifest_path)
    manifest = generate(path, triples, seed=seed)
    manifest.save(manifest_path)
    return manifest


def run_engine(engine: str, graph_file: Path, repeat: int, exports: bool, step_timeout: float | None,
               validate_timeout: float | None = None) -> EngineRun:
    """Run bench.worker for one engine in a child process and read back the steps it finished."""
    out = graph_file.with_name(f"{graph_file.stem}.{engine}.{os.getpid()}.jsonl")
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.worker", engine, str(graph_file), str(out), str(repeat),
               "1" if exports else "0", str(step_timeout or 0), str(validate_timeout or 0)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    note = ""
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        note = f"stopped with an error: {(finished.stderr.strip().splitlines() or ['?'])[-1][:160]}"
    steps = {}
    if out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            steps[record["step"]] = record
        out.unlink()
    return EngineRun(steps, note)


def benchmark(scales: list[int], workdir: Path, seed: int = 7, repeat: int = 5, baseline_max: int = 1_000_000,
              export_max: int = 1_000_000, step_timeout: float | None = None,
              validate_timeout: float | None = None, progress=lambda text: None) -> list[ScaleRun]:
    """Measure every scale: graphkit always, the baseline up to baseline_max triples."""
    workdir.mkdir(parents=True, exist_ok=True)
    runs = []
    for triples in scales:
        progress(f"{scale_name(triples)}: generating")
        manifest = graph_for(triples, workdir, seed)
        exports = triples <= export_max
        progress(f"{scale_name(triples)}: graphkit ({manifest.triples:,} triples)")
        fast = run_engine("graphkit", Path(manifest.path), repeat, exports, None)
        baseline = None
        if triples <= baseline_max:
            progress(f"{scale_name(triples)}: rdflib + pyshacl baseline")
            baseline = run_engine("baseline", Path(manifest.path), repeat, exports, step_timeout, validate_timeout)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        run = ScaleRun(triples, manifest, fast, baseline, time.strftime("%Y-%m-%d %H:%M %Z"), load)
        run.save(workdir)
        runs.append(run)
    return runs


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def _mib(peak: int | None) -> str:
    return "—" if peak is None else f"{peak / MIB:,.0f}"


def _ratio(baseline: float | None, fast: float | None, at_least: bool = False) -> str:
    if not baseline or not fast:
        return "—"
    return f"{'> ' if at_least else ''}{baseline / fast:,.1f}x"


def _base_time(base: dict | None) -> str:
    if not base:
        return "—"
    if "timeout" in base:
        return f"> {_time(base['timeout'])}"
    return _time(base.get("seconds"))


def _goal(step: str, triples: int, fast: dict, base: dict | None) -> str:
    kind = step.split()[0]
    if triples < 1_000_000 or kind not in GOALS or "seconds" not in fast:
        return ""
    if triples >= 10_000_000:
        if kind not in ("load", "query"):
            return ""
        return f"goal < 8 GiB: {'met' if fast['peak'] < MEMORY_GOAL else 'MISSED'}"
    limit, speedup = GOALS[kind]
    met = fast["seconds"] <= limit
    text = f"goal ≤ {_time(limit)}"
    if speedup is not None and base and ("seconds" in base or "timeout" in base):
        met = met and base.get("seconds", base.get("timeout")) / fast["seconds"] >= speedup
        text += f" and ≥ {speedup:g}x"
    return f"{text}: {'met' if met else 'MISSED'}"


def _what(step: str, record: dict, base: dict | None) -> str:
    if "error" in record:
        return f"error: {record['error']}"
    if "missing" in record:
        return record["missing"]
    if step == "load":
        return f"{record['triples']:,} triples"
    if step == "validate":
        same = ""
        if base and "keys" in base:
            same = "; same results as pyshacl" if base["keys"] == record["keys"] else "; DIFFERENT results from pyshacl"
        elif base and "timeout" in base:
            same = "; pyshacl did not finish, results not compared"
        return f"{record['results']} results{same}"
    if "rows" in record:
        values = ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in record.get("values", {}).items())
        return f"{record['rows']} rows" + (f" ({values})" if values else "")
    if "bytes" in record:
        return f"{record['bytes'] / MIB:,.1f} MiB written"
    return ""


def table(runs: list[ScaleRun]) -> str:
    """The results as a Markdown table, graphkit beside the baseline with the ratio of each."""
    lines = ["Measured: " + "; ".join(f"{scale_name(r.scale)} at {r.measured} (load average {r.load_average})"
                                       for r in runs), "",
             "| graph | step | graphkit | peak MiB | rdflib + pyshacl | peak MiB | speed-up | memory | what | goal |",
             "|---|---|---:|---:|---:|---:|---:|---:|---|---|"]
    notes = []
    for run in runs:
        name = f"{scale_name(run.scale)} ({run.manifest.triples:,})"
        base_steps = run.baseline.steps if run.baseline else {}
        for step, record in run.graphkit.steps.items():
            base = base_steps.get(step)
            lines.append("| " + " | ".join([
                name, step, _time(record.get("seconds")), _mib(record.get("peak")),
                _base_time(base), _mib(base.get("peak")) if base else "—",
                _ratio(base.get("seconds", base.get("timeout")) if base else None, record.get("seconds"),
                       at_least=bool(base and "timeout" in base)),
                _ratio(base.get("peak") if base else None, record.get("peak")),
                _what(step, record, base), _goal(step, run.scale, record, base)]) + " |")
        if run.baseline is None:
            notes.append(f"{name}: baseline not run (above --baseline-max).")
        elif run.baseline.note:
            notes.append(f"{name}: baseline {run.baseline.note}.")
        if run.graphkit.note:
            notes.append(f"{name}: graphkit {run.graphkit.note}.")
        if not any(step.startswith("export") for step in run.graphkit.steps):
            notes.append(f"{name}: exports not measured at this size (above --export-max).")
    return "\n".join(lines + [""] + [f"- {note}" for note in notes])


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    if Path("/proc/cpuinfo").is_file():
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found[1].strip() if found else cpu
    memory = "unknown"
    if Path("/proc/meminfo").is_file():
        found = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        memory = f"{int(found[1]) / 1024 / 1024:.1f} GiB" if found else memory
    versions = ", ".join(f"{name} {_version(name)}" for name in ("pyoxigraph", "rdflib", "pyshacl", "networkx"))
    return {"CPU": cpu, "cores (nproc)": str(os.cpu_count()), "memory": memory,
            "shared with": "five other processes' work at the same time (load averages below), so figures are noisy",
            "Python": platform.python_version(), "libraries": versions, "table written": time.strftime("%Y-%m-%d %H:%M %Z")}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def results_markdown(runs: list[ScaleRun], command: str) -> str:
    """bench/RESULTS.md: the machine, the command, the table."""
    facts = "\n".join(f"- {key}: {value}" for key, value in machine().items())
    return (f"# Benchmark results\n\nWritten by `{command}`; each graph size was measured by `python -m bench "
            f"--scales SIZE` (when: the line above the table) on:\n\n{facts}\n\n"
            "Times are medians (queries: of several runs; a baseline query is repeated only within a 20 s budget); "
            "peak MiB is the process's peak resident memory during the step, the loaded graph included. "
            "Speed-up and memory are the baseline's figure divided by graphkit's.\n\n" + table(runs) + "\n")
