"""link: units matched to ISO 3166, GeoNames, GSO codes and Wikidata, with a curator's review file."""
from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import ValidationFailed
from ..gazetteers import DEFAULT_ENDPOINT, USER_AGENT, WikidataClient, default_cache_dir
from ..link import SOURCE_CHOICES, iso_code_problems, run_link, sources_for
from ..load import load_graph
from . import main
from .options import engine_option


@main.command("link")
@click.option("--source", type=click.Choice(SOURCE_CHOICES), default="offline", show_default=True,
              help="Gazetteer: iso, geonames, national (GSO codes), wikidata; offline = the first three.")
@click.option("--endpoint", default=None, metavar="URL",
              help=f"Wikidata-shaped SPARQL endpoint (default $GRAPHKIT_WIKIDATA_ENDPOINT or {DEFAULT_ENDPOINT}).")
@click.option("--review", type=click.Path(path_type=Path), default=None,
              help="Review file a curator edits (default data/links/review.csv).")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Folder of link files (default data/links/).")
@click.option("--cache", type=click.Path(path_type=Path), default=None,
              help="Folder caching Wikidata answers, so a broken run resumes (default build/cache/wikidata/).")
@click.option("--user-agent", default=USER_AGENT, show_default=True, help="User-Agent sent to the endpoint.")
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Items per Wikidata query.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Tries again after a network error, waiting longer each time.")
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="Seconds before the first retry; doubled for each next one.")
@click.option("--unit", "units", multiple=True, metavar="IRI", help="Link only this unit (repeatable).")
@click.option("--date", "today", default=None, metavar="YYYY-MM-DD", help="Date stamped on new links (default today).")
@click.option("--check", is_flag=True, help="Then check that every xbkg:isoCode is also a linked ISO identifier.")
@engine_option
def link(source: str, endpoint: str | None, review: Path | None, out: Path | None, cache: Path | None,
         user_agent: str, batch_size: int, retries: int, backoff: float, units: tuple[str, ...],
         today: str | None, check: bool, engine: str) -> None:
    """Propose links from units to external gazetteers; write data/links/ and the review file."""
    sources = sources_for(source)
    client = None
    if "wikidata" in sources:
        client = WikidataClient(endpoint or os.environ.get("GRAPHKIT_WIKIDATA_ENDPOINT") or DEFAULT_ENDPOINT,
                                user_agent, batch_size, retries, backoff, cache_dir=cache or default_cache_dir())
    report = run_link(load_graph(engine=engine), sources, out, review, client, today, list(units) or None)
    for name, counts in report.counts.items():
        summary = ", ".join(f"{n} {status}" for status, n in counts.items())
        click.echo(f"{name}: {summary}; {report.links[name]} link(s) written")
    if client is not None:
        click.echo(f"wikidata: {report.batches_fetched} batch(es) fetched, {report.batches_cached} from the cache")
    for path in report.written:
        click.echo(f"wrote {path}")
    click.echo(f"review file: {report.review_rows} row(s); set 'decision' to accept, reject or pick, then run again")
    if check:
        problems = iso_code_problems(load_graph(engine=engine))
        for problem in problems:
            click.echo(f"  {problem}")
        if problems:
            raise ValidationFailed(f"{len(problems)} unit(s) whose ISO code is not linked")
        click.echo("check: every xbkg:isoCode is a linked ISO 3166 identifier")
