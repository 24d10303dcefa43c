"""The `graphkit` command: a thin layer that parses arguments, calls the library and prints."""
from __future__ import annotations

import os
import sys

import click

from ..errors import GraphkitError


class Graphkit(click.Group):
    """Turns library errors into one clear line and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GraphkitError as error:
            click.echo(f"graphkit: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader went away (`graphkit queries | head`): nothing more to say
            sys.stderr.close()
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("graphkit: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # a bug: say so plainly; GRAPHKIT_DEBUG=1 shows the traceback
            if os.environ.get("GRAPHKIT_DEBUG"):
                raise
            click.echo(f"graphkit: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(3)


@click.group(cls=Graphkit)
@click.version_option(package_name="graphkit")
def main() -> None:
    """The cross-border knowledge graph: build, validate, query and export it."""


from . import core  # noqa: E402  (commands register themselves on `main`)
from . import link  # noqa: E402
from . import export  # noqa: E402
from . import sparql  # noqa: E402
