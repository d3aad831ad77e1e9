"""Regex building shared by the rules: word lists compiled as character tries.

Python's `re` tries the branches of a flat `a|b|c` one by one; the same words arranged as a trie
share their prefixes, which keeps gazetteer-sized lists cheap to scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_alternation(words: Iterable[str], *, space: str | None = None) -> str:
    """A regex matching any of the literal `words`, longest first; `space`, when given, is the
    pattern a space inside a word stands for (r"\\s+", say). An empty list never matches."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _emit(root, space) if root else "(?!)"


def _emit(node: dict, space: str | None) -> str:
    branches = [
        (space if space is not None and char == " " else re.escape(char)) + _emit(node[char], space)
        for char in sorted(k for k in node if k)
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body
