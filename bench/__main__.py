"""python -m bench: generate graphs at each scale, time graphkit against rdflib + pyshacl, print the table."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from graphkit.store import write_atomically

from .run import ROOT, ScaleRun, benchmark, parse_scale, results_markdown, table


@click.command()
@click.option("--scales", default="100k,1M", show_default=True, help="Comma-separated graph sizes in triples (e.g. 100k,1M,10M).")
@click.option("--quick", is_flag=True, help="A smoke run: one tiny graph, each step once (overrides --scales and --repeat).")
@click.option("--repeat", default=5, show_default=True, help="Runs of each query; the median is reported.")
@click.option("--baseline-max", default="1M", show_default=True, help="Largest graph the rdflib + pyshacl baseline runs on.")
@click.option("--export-max", default="1M", show_default=True, help="Largest graph the exports run on.")
@click.option("--step-timeout", type=float, default=300, show_default=True,
              help="Stop a baseline query or export after this many seconds and report it as taking longer (0: no limit).")
@click.option("--validate-timeout", type=float, default=3600, show_default=True,
              help="The same for the baseline's validation (pyshacl), which is worth waiting for longer.")
@click.option("--seed", default=7, show_default=True, help="Seed of the generator.")
@click.option("--workdir", type=click.Path(path_type=Path), default=ROOT / "build" / "bench", show_default=True,
              help="Where generated graphs are kept (and reused).")
@click.option("--results", type=click.Path(path_type=Path), default=None,
              help="Also write the machine and the table to this Markdown file (e.g. bench/RESULTS.md).")
@click.option("--saved", is_flag=True, help="Measure nothing: print the table of the runs saved in --workdir for --scales.")
def main(scales: str, quick: bool, repeat: int, baseline_max: str, export_max: str, step_timeout: float,
         validate_timeout: float,
         seed: int, workdir: Path, results: Path | None, saved: bool) -> None:
    """Benchmark graphkit (Oxigraph, set-at-a-time validation) against rdflib + pyshacl."""
    try:
        sizes = [parse_scale("3k")] if quick else [parse_scale(s) for s in scales.split(",") if s.strip()]
        limits = parse_scale(baseline_max), parse_scale(export_max)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    quiet = not sys.stderr.isatty()
    if saved:
        try:
            runs = [ScaleRun.load(workdir, size, seed) for size in sizes]
        except ValueError as error:
            raise click.ClickException(str(error)) from None
    else:
        runs = benchmark(sizes, workdir, seed=seed, repeat=1 if quick else repeat, baseline_max=limits[0],
                         export_max=limits[1], step_timeout=step_timeout, validate_timeout=validate_timeout,
                         progress=lambda text: None if quiet else click.echo(text, err=True))
    click.echo(table(runs))
    if results:
        command = "python -m bench " + " ".join(sys.argv[1:])
        text = results_markdown(runs, command.strip())
        write_atomically(results, lambda tmp: tmp.write_text(text, encoding="utf-8"))


main()
