"""Loading the ontology and the curated data into a store."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from . import paths
from .errors import InputError
from .store import DEFAULT_ENGINE, new_store

RDF_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".rdf")


def graph_files(roots: Iterable[Path]) -> list[Path]:
    """Every RDF file under the given files and folders, in a stable order."""
    files: list[Path] = []
    for root in roots:
        root = Path(root)
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.suffix in RDF_SUFFIXES))
        elif root.is_file():
            files.append(root)
        else:
            raise InputError("no such file or folder", root)
    return files


def default_sources() -> list[Path]:
    """The ontology (without the SHACL shapes) and the curated data."""
    ontology = [p for p in graph_files([paths.ontology_dir()]) if p.name != "shapes.ttl"]
    return ontology + graph_files([paths.data_dir()])


def load_graph(sources: Iterable[Path] | None = None, engine: str = DEFAULT_ENGINE):
    """A store holding the given files (default: ontology and data)."""
    store = new_store(engine)
    for path in (graph_files(sources) if sources is not None else default_sources()):
        store.load(path)
    return store
