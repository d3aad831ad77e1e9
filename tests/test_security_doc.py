"""SECURITY.md's tables name the tests that back each line: every one it names must exist."""

from __future__ import annotations

import re

import pytest
from support import ROOT

SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")


def named_tests() -> list[tuple[str, str | None]]:
    """(test file, test function or None) for each `tests/...py[::name]` and each `::name` that
    follows one in the same cell."""
    found = []
    for cell in re.findall(r"\|([^|\n]*tests/[^|\n]*)", SECURITY):
        path = None
        for match in re.finditer(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", cell):
            path = match.group(1) or path
            if path:
                found.append((path, match.group(2)))
    return found


NAMED = named_tests()


def test_security_md_names_tests():
    assert len(NAMED) > 20


@pytest.mark.parametrize("path, name", NAMED, ids=[f"{p}::{n}" if n else p for p, n in NAMED])
def test_every_test_security_md_names_exists(path, name):
    file = ROOT / path
    assert file.is_file(), f"SECURITY.md names {path}, which does not exist"
    if name:
        assert re.search(rf"^(async )?def {name}\(", file.read_text(encoding="utf-8"), re.M), (
            f"SECURITY.md names {path}::{name}, which does not exist"
        )
