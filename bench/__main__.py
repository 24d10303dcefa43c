"""python -m bench: generate graphs at each scale, time graphkit against rdflib + pyshacl, print the table."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .run import ROOT, benchmark, parse_scale, results_markdown, table


@click.command()
@click.option("--scales", default="100k,1M", show_default=True, help="Comma-separated graph sizes in triples (e.g. 100k,1M,10M).")
@click.option("--quick", is_flag=True, help="A smoke run: one tiny graph, each step once (overrides --scales and --repeat).")
@click.option("--repeat", default=5, show_default=True, help="Runs of each query; the median is reported.")
@click.option("--baseline-max", default="1M", show_default=True, help="Largest graph the rdflib + pyshacl baseline runs on.")
@click.option("--export-max", default="1M", show_default=True, help="Largest graph the exports run on.")
@click.option("--timeout", type=float, default=None, help="Stop a baseline run after this many seconds (its finished steps are kept).")
@click.option("--seed", default=7, show_default=True, help="Seed of the generator.")
@click.option("--workdir", type=click.Path(path_type=Path), default=ROOT / "build" / "bench", show_default=True,
              help="Where generated graphs are kept (and reused).")
@click.option("--results", type=click.Path(path_type=Path), default=None,
              help="Also write the machine and the table to this Markdown file (e.g. bench/RESULTS.md).")
def main(scales: str, quick: bool, repeat: int, baseline_max: str, export_max: str, timeout: float | None,
         seed: int, workdir: Path, results: Path | None) -> None:
    """Benchmark graphkit (Oxigraph, set-at-a-time validation) against rdflib + pyshacl."""
    try:
        sizes = [parse_scale("3k")] if quick else [parse_scale(s) for s in scales.split(",") if s.strip()]
        limits = parse_scale(baseline_max), parse_scale(export_max)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    quiet = not sys.stderr.isatty()
    runs = benchmark(sizes, workdir, seed=seed, repeat=1 if quick else repeat, baseline_max=limits[0],
                     export_max=limits[1], timeout=timeout,
                     progress=lambda text: None if quiet else click.echo(text, err=True))
    click.echo(table(runs))
    if results:
        command = "python -m bench " + " ".join(sys.argv[1:])
        results.write_text(results_markdown(runs, command.strip()), encoding="utf-8")


main()
