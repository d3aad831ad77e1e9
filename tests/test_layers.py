"""The package's layers (pyproject.toml [tool.importlinter]) hold: no wrong-way import, no circle."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from support import ROOT


def lint_imports(cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())"],
        cwd=cwd, capture_output=True, text=True,
    )


def test_every_layer_imports_only_layers_below_it():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Layers import only downward KEPT" in result.stdout


def test_a_wrong_way_import_breaks_the_contract(tmp_path):
    # a copy of the package where storage imports the poller: the contract must catch it
    import shutil

    shutil.copytree(ROOT / "monitor", tmp_path / "monitor")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    wrong = tmp_path / "monitor" / "storage" / "wrong_way.py"
    wrong.write_text(textwrap.dedent("""\
        from monitor.poller import run  # noqa: F401
    """))
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "monitor.storage is not allowed to import monitor.poller" in result.stdout
