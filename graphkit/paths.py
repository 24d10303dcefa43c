"""Where the project's ontology, data and queries live."""
from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ontology/, data/ and queries/.

    GRAPHKIT_ROOT wins; then the checkout this package sits in (an editable install);
    then the current folder or one above it.
    """
    if os.environ.get("GRAPHKIT_ROOT"):
        return Path(os.environ["GRAPHKIT_ROOT"]).resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / "ontology").is_dir():
        return here
    for folder in [Path.cwd(), *Path.cwd().parents]:
        if (folder / "ontology").is_dir() and (folder / "data").is_dir():
            return folder
    return Path.cwd()


def ontology_dir() -> Path:
    return project_root() / "ontology"


def data_dir() -> Path:
    return project_root() / "data"


def queries_dir() -> Path:
    return project_root() / "queries"


def build_dir() -> Path:
    return project_root() / "build"
