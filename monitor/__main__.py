"""`python -m monitor` runs the CLI."""

from monitor.cli.main import cli

cli()
