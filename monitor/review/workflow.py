"""The analysts' review of claims: set a status or note, read the queue; every change is logged.

The log itself is written by the `claims_review_logged` trigger (db/migrations/0002), so the
terminal queue, the review page, Datasette's canned query and plain sqlite3 all leave the same trail.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from monitor.errors import MonitorError
from monitor.models import REVIEW_STATUSES
from monitor.storage.connection import transaction
from monitor.timestamps import utcnow


class ReviewError(MonitorError):
    """A review names a claim that does not exist or a status that is not one of REVIEW_STATUSES."""


@dataclass
class QueueItem:
    """A claim as a reviewer sees it: the claim marked inside its sentence, and where it came from."""

    id: int
    kind: str
    text: str
    before: str  # sentence text before the claim
    marked: str  # the claim as it stands in the article text
    after: str  # sentence text after the claim
    article: int
    article_title: str | None
    source: str | None
    published: str | None
    status: str
    note: str | None
    detail: str  # speaker, value and unit, what is measured: what the rules understood


def default_reviewer() -> str:
    """Who is reviewing: $MONITOR_REVIEWER, else the login name (the OS user)."""
    name = os.environ.get("MONITOR_REVIEWER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no passwd entry and no $USER
        raise ReviewError("no login name to record as the reviewer: give --reviewer NAME") from None


def set_status(
    db: sqlite_utils.Database,
    claim_ids: list[int],
    status: str,
    *,
    reviewer: str,
    note: str | None = None,
) -> int:
    """Accept, reject (or return to pending) claims, all or none; returns how many changed."""
    if status not in REVIEW_STATUSES:
        raise ReviewError(f"unknown review status {status!r}; one of {', '.join(REVIEW_STATUSES)}")
    return _update(db, claim_ids, reviewer=reviewer, status=status, note=note)


def add_note(db: sqlite_utils.Database, claim_id: int, note: str, *, reviewer: str) -> int:
    """Attach a note to a claim without changing its status (the previous note stays in review_log)."""
    if not note.strip():
        raise ReviewError("an empty note")
    return _update(db, [claim_id], reviewer=reviewer, status=None, note=note.strip())


def _update(
    db: sqlite_utils.Database,
    claim_ids: list[int],
    *,
    reviewer: str,
    status: str | None,
    note: str | None,
) -> int:
    changed = 0
    with transaction(db) as conn:
        for claim_id in claim_ids:
            row = conn.execute(
                "SELECT review_status, review_note FROM claims WHERE id = ?", [claim_id]
            ).fetchone()
            if row is None:
                raise ReviewError(f"no claim with id {claim_id}")
            new_status = status or row[0]
            new_note = note if note else row[1]
            if (new_status, new_note) == tuple(row):
                continue
            conn.execute(
                "UPDATE claims SET review_status = ?, review_note = ?, reviewer = ?, reviewed = ? WHERE id = ?",
                [new_status, new_note, reviewer, utcnow(), claim_id],
            )
            changed += 1
    return changed


def review_history(db: sqlite_utils.Database, claim_id: int) -> list[dict[str, Any]]:
    """Every logged change of one claim, oldest first."""
    return list(db.query("SELECT * FROM review_log WHERE claim = ? ORDER BY id", [claim_id]))


def queue(
    db: sqlite_utils.Database,
    *,
    kind: str | None = None,
    after_id: int = 0,
    limit: int = 50,
) -> list[QueueItem]:
    """Pending claims after `after_id`, in id order, each marked inside its sentence."""
    sql = (
        "SELECT c.*, a.text AS article_text, a.title AS article_title, a.source, a.published "
        "FROM claims c JOIN articles a ON a.id = c.article "
        "WHERE c.review_status = 'pending' AND c.id > ?"
    )
    params: list[Any] = [after_id]
    if kind:
        sql += " AND c.kind = ?"
        params.append(kind)
    sql += " ORDER BY c.id LIMIT ?"
    params.append(limit)
    return [queue_item(row) for row in db.query(sql, params)]


def queue_item(row: dict[str, Any]) -> QueueItem:
    before, marked, after = mark_in_sentence(
        row["article_text"], row["start"], row["end"], row.get("sentence")
    )
    return QueueItem(
        id=row["id"],
        kind=row["kind"],
        text=row["text"],
        before=before,
        marked=marked,
        after=after,
        article=row["article"],
        article_title=row["article_title"],
        source=row["source"],
        published=row["published"],
        status=row["review_status"],
        note=row["review_note"],
        detail=describe(row),
    )


def mark_in_sentence(text: str, start: int, end: int, sentence: str | None) -> tuple[str, str, str]:
    """Split the claim's sentence into (before, claim, after) using the claim's exact offsets."""
    lo, hi = start, end
    if sentence:
        found = text.rfind(sentence, max(0, start - len(sentence)), end + len(sentence))
        if found != -1 and found <= start and found + len(sentence) >= end:
            lo, hi = found, found + len(sentence)
    return " ".join(text[lo:start].split()), text[start:end], " ".join(text[end:hi].split())


def describe(row: dict[str, Any]) -> str:
    """What the rules understood of a claim, in a few words."""
    parts = []
    if row.get("speaker"):
        parts.append(f"speaker: {row['speaker']}")
    if row.get("value") is not None:
        value = f"{row['value']:g}" + (f"-{row['high']:g}" if row.get("high") is not None else "")
        parts.append(f"value: {value} {row.get('unit') or ''}".rstrip())
    if row.get("object"):
        parts.append(f"of: {row['object']}")
    who = row.get("subject") or row.get("company")
    if who:
        parts.append(f"about: {who}")
    return "; ".join(parts)
