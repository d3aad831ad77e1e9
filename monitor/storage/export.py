"""Claims out of the database as CSV, JSON or JSON lines, streamed so a large export stays small in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

import sqlite_utils

from monitor.storage.filters import where_clause

FORMATS = ("csv", "json", "jsonl")


def select_claims(
    db: sqlite_utils.Database,
    *,
    status: str | None = None,
    since: str | None = None,
    kind: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Rows of claim_details, oldest articles first, filtered like `monitor claims`."""
    where, params = where_clause(
        {"review_status = ?": status, "coalesce(published, '') >= ?": since, "kind = ?": kind}
    )
    yield from db.query(f"SELECT * FROM claim_details{where} ORDER BY coalesce(published, ''), article, id", params)


def write_claims(rows: Iterator[dict[str, Any]], out: TextIO, fmt: str) -> int:
    """Write rows in one of FORMATS; returns how many were written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    count = 0
    if fmt == "csv":
        writer = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            count += 1
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    else:
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    return count
