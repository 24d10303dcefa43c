"""build, validate, query, queries, search, stats, reference."""
from __future__ import annotations

import json
import textwrap
from dataclasses import asdict
from pathlib import Path

import click

from .. import paths
from ..load import load_graph
from ..namespaces import shorten
from ..output import RESULT_FORMATS, render
from ..query import canned_queries, find_query, run_query
from ..remote import DEFAULT_TIMEOUT as REMOTE_TIMEOUT, run_remote_query
from ..reference import write_reference
from ..search import search_units
from ..summary import summarise
from ..validate import validate, validation_sources
from ..errors import InputError, ValidationFailed
from . import main
from .options import engine_option, parse_params
from .report import REPORT_FORMATS, render_report, render_summary


@main.command()
@engine_option
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output folder (default: build/).")
def build(engine: str, out: Path | None) -> None:
    """Load ontology and data, validate, write build/graph.ttl and .nt, print a summary."""
    store = load_graph(engine=engine)
    report = validate(store)
    out = out or paths.build_dir()
    store.serialize(out / "graph.nt", "ntriples")
    store.serialize(out / "graph.ttl", "turtle")
    click.echo(render_summary(summarise(store), report))
    click.echo(f"Wrote {out / 'graph.ttl'} and {out / 'graph.nt'} ({len(store)} triples).")
    if not report.conforms:
        raise ValidationFailed(f"{report.count('Violation')} SHACL violation(s); see above")


@main.command("validate")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(REPORT_FORMATS)), default="text", show_default=True)
@engine_option
def validate_command(sources: tuple[Path, ...], fmt: str, engine: str) -> None:
    """Validate the graph, or the given files and folders with the ontology, against ontology/shapes.ttl."""
    store = load_graph(validation_sources(sources) if sources else None, engine=engine)
    report = validate(store)
    text = render_report(report, fmt)
    click.echo(text, nl=not text.endswith("\n"))
    if not report.conforms:
        raise ValidationFailed(f"{report.count('Violation')} SHACL violation(s)")


def _param_values(params: tuple[str, ...]) -> dict[str, str]:
    """--param key=value pairs, a malformed one refused in one line."""
    try:
        return parse_params(params)
    except click.BadParameter as error:
        raise InputError(f"--param: {error.message}") from None


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True)
@engine_option
@click.option("--endpoint", metavar="URL", default=None, help="Run it on this SPARQL endpoint instead of the local graph.")
@click.option("--timeout", type=click.FloatRange(min=1), default=REMOTE_TIMEOUT, show_default=True,
              help="Seconds to wait for --endpoint.")
def query(name: str, params: tuple[str, ...], fmt: str, engine: str, endpoint: str | None, timeout: float) -> None:
    """Run a canned query by NAME, or any .rq FILE, with bound parameters."""
    canned = find_query(name)
    values = _param_values(params)
    canned.bindings(values)  # refuse unknown or malformed parameters before loading anything
    if endpoint:
        result = run_remote_query(endpoint, canned, values, timeout)
    else:
        result = run_query(load_graph(engine=engine), canned, values)
    text = render(result, fmt)
    click.echo(text, nl=not text.endswith("\n"))


@main.command()
def queries() -> None:
    """List the canned queries with their descriptions and parameters."""
    for name, canned in canned_queries().items():
        click.echo(f"{name}: {canned.title}")
        if canned.description:
            click.echo(textwrap.fill(canned.description, width=100, initial_indent="  ", subsequent_indent="  "))
        for p in canned.parameters:
            default = f" (default {p.default})" if p.default else ""
            click.echo(f"  --param {p.name}=<{p.type}>{default}  {p.description}")
        click.echo()


@main.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@engine_option
def search(text: str, limit: int, as_json: bool, engine: str) -> None:
    """Find units by any name or spelling, with or without diacritics."""
    hits = search_units(load_graph(engine=engine), text, limit)
    if as_json:
        click.echo(json.dumps([asdict(h) | {"validity": h.validity} for h in hits], ensure_ascii=False, indent=1))
        return
    if not hits:
        click.echo(f"No unit matches {text!r}.")
        return
    for hit in hits:
        parent = f"in {hit.parent}" if hit.parent and hit.parent != hit.country else ""
        where = ", ".join(part for part in (hit.level, parent, hit.country) if part)
        validity = f"  {hit.validity}" if hit.validity else ""
        click.echo(f"{hit.label}  [{where}]{validity}  matched {hit.matched!r}  {shorten(hit.unit)}")


@main.command()
@engine_option
def stats(engine: str) -> None:
    """Counts by kind, level and country pair, and the aggregate claims against the graph."""
    click.echo(render_summary(summarise(load_graph(engine=engine)), None))


@main.command()
def reference() -> None:
    """Regenerate data/reference/ from the cited packages (pycountry, vietnam-provinces)."""
    for path in write_reference():
        click.echo(f"wrote {path}")
