"""Option groups shared by several commands."""
from __future__ import annotations

import click

from ..store import DEFAULT_ENGINE, ENGINES

engine_option = click.option(
    "--engine", type=click.Choice(ENGINES), default=DEFAULT_ENGINE, show_default=True,
    help="Store engine: oxigraph (fast) or rdflib (reference).")


def parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    """key=value pairs from --param options."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"expected key=value, got {pair!r}", param_hint="--param")
        values[key.strip()] = value
    return values
