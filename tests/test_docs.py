"""Documentation that cannot drift: every command has help and appears in the README, every module
says what lives in it."""

from __future__ import annotations

import ast

import click
import pytest
from support import ROOT

from monitor.cli.main import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from walk(command, path + " ")


COMMANDS = list(walk(cli))


@pytest.mark.parametrize("path, command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_command_has_help_and_is_in_the_readme(path, command):
    assert (command.help or "").strip(), f"{path} has no help text"
    assert f"`{path}" in README, f"README does not document `{path}`"


@pytest.mark.parametrize("path, command", COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_option_has_help(path, command):
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts[0]} has no help"


MODULES = sorted((ROOT / "monitor").rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_every_module_and_subpackage_says_what_lives_there(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.relative_to(ROOT)} has no module docstring"
    assert not docstring.startswith("Code parts dedicated"), "say what lives there, not that it does"
