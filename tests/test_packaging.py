"""An installed monitor finds its rules and database files from any working directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from support import ROOT

from monitor.resources import db_dir, rules_dir


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    [built] = out.glob("*.whl")
    return zipfile.ZipFile(built)


def test_wheel_ships_every_rules_and_db_file_the_program_reads(wheel):
    names = set(wheel.namelist())
    for folder, prefix in ((ROOT / "rules", "monitor/_data/rules/"), (ROOT / "db", "monitor/_data/db/")):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix not in {".db", ".db-wal", ".db-shm"}:
                assert prefix + path.relative_to(folder).as_posix() in names


def test_wheel_does_not_ship_a_database_file(wheel):
    assert not [n for n in wheel.namelist() if n.endswith((".db", ".db-wal", ".db-shm"))]


def test_checkout_resources_resolve_to_the_repository_folders():
    assert rules_dir() == ROOT / "rules"
    assert (db_dir() / "migrations").is_dir()


def test_cli_runs_from_another_working_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "monitor", "--db", str(tmp_path / "m.db"), "feeds", "list"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_monitor_script_names_the_click_group(wheel):
    import configparser
    import importlib

    [entry_points] = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(entry_points).decode())
    module, _, name = parser["console_scripts"]["monitor"].partition(":")
    assert getattr(importlib.import_module(module), name).name == "cli"
