"""`python -m monitor` runs the CLI."""

from .cli import cli

cli()
