"""The one exception family graphkit raises; the CLI turns it into a message and an exit code."""
from __future__ import annotations

from pathlib import Path


class GraphkitError(Exception):
    """A problem a user can fix, with the file and line it is in when there is one."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class InputError(GraphkitError):
    """Bad input: a missing file, a syntax error, an unknown name or parameter."""


class ValidationFailed(GraphkitError):
    """The graph has at least one SHACL Violation."""

    exit_code = 1


class EndpointError(GraphkitError):
    """A remote SPARQL endpoint could not be reached or answered badly."""
