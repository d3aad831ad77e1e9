"""The WHERE clause of a query whose filters are optional, the one way every analyst query and
`reprocess` builds it: each condition's SQL beside the value its `?`s stand for."""

from __future__ import annotations

from collections.abc import Mapping


def where_clause(conditions: Mapping[str, object]) -> tuple[str, list[object]]:
    """`" WHERE a AND b"` (or `""`) and its parameters. A condition whose value was not given
    (None or an empty string) is left out; a value fills every `?` of its condition, so
    `"(company = ? OR subject = ?)"` takes one name twice."""
    given = {sql: value for sql, value in conditions.items() if value is not None and value != ""}
    params = [value for sql, value in given.items() for _ in range(sql.count("?"))]
    return (" WHERE " + " AND ".join(given) if given else ""), params
