"""The package's layers (pyproject.toml [tool.importlinter]) hold: no wrong-way import, no circle."""

from __future__ import annotations

import subprocess
import sys

import pytest
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
    assert "spaCy components never import the pipeline or its factories KEPT" in result.stdout
    assert "No import circle between siblings KEPT" in result.stdout


@pytest.mark.parametrize("module, imports, broken", [
    ("storage/wrong_way.py", "from monitor.poller import run",
     "monitor.storage is not allowed to import monitor.poller"),
    ("nlp/quotes/wrong_way.py", "from monitor.nlp.pipeline import load_pipeline",
     "monitor.nlp.quotes is not allowed to import monitor.nlp.pipeline"),
    # the quote finder reads text_layout: text_layout reading a quote module back is a circle
    ("nlp/text_layout.py", "from monitor.nlp.quotes import marks",
     "No cycles are allowed in monitor.nlp."),
])
def test_a_wrong_way_import_breaks_the_contract(tmp_path, module, imports, broken):
    # a copy of the package with one wrong-way import: the contracts must catch it
    import shutil

    shutil.copytree(ROOT / "monitor", tmp_path / "monitor")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "monitor" / module).write_text(imports + "  # noqa: F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert broken in result.stdout
