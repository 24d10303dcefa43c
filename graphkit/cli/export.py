"""export, view, coordinates and docs: the drawing tools' formats, the static site, generated files."""
from __future__ import annotations

from pathlib import Path

import click

from ..coordinates import write_coordinates
from ..export import FORMATS, export
from ..load import load_graph
from ..network import parse_filter
from ..ontology_docs import write_docs
from ..view import write_view
from . import main
from .options import engine_option


def _format_help() -> str:
    return "; ".join(f"{name}: {spec.description}" for name, spec in FORMATS.items())


@main.command("export")
@click.option("--format", "fmt", required=True, metavar="FORMAT", help=f"One of: {_format_help()}.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Output file (a folder for csv).")
@click.option("--countries", metavar="XX-YY", help="Only twinnings between these two countries (ISO codes, e.g. VN-CN).")
@click.option("--level", help="Only twinnings with a partner at this level (vn-commune) or tier (commune).")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Only twinnings known to exist by this day.")
@click.option("--kind", help="Only twinnings of this kind or a narrower one (e.g. friendship-twinning).")
@click.option("--under", metavar="UNIT", help="Only twinnings with a partner at or under this unit (unit:vn-02).")
@click.option("--hierarchy", is_flag=True, help="Add the partners' parents up to the country as 'parent' edges.")
@engine_option
def export_command(fmt: str, out: Path, countries: str | None, level: str | None, as_of: str | None,
                   kind: str | None, under: str | None, hierarchy: bool, engine: str) -> None:
    """Write the twinning network (or the RDF) in a format for Gephi, yEd, Cytoscape, Graphviz, QGIS..."""
    selection = parse_filter(countries, level, as_of, kind, under, hierarchy)
    if fmt not in FORMATS:
        export(None, fmt, out)  # raises the unknown-format error before loading anything
    for path in export(load_graph(engine=engine), fmt, out, selection):
        click.echo(f"wrote {path}")


@main.command()
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder for the site.")
@engine_option
def view(out: Path, engine: str) -> None:
    """Write a self-contained static site (map and network) that works offline and from file://."""
    written = write_view(load_graph(engine=engine), out)
    click.echo(f"wrote {len(written)} files; open {out / 'index.html'}")


@main.command()
def coordinates() -> None:
    """Regenerate data/reference/coordinates.ttl: seats of countries and provinces from GeoNames."""
    click.echo(f"wrote {write_coordinates()}")


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Folder (default: docs/).")
def docs(out: Path | None) -> None:
    """Regenerate the ontology and shapes documentation in docs/ from ontology/."""
    for path in write_docs(out):
        click.echo(f"wrote {path}")
