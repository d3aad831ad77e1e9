"""Reviewer accounts in the `reviewers` table: add, list, remove, and the check made at sign-in.

A reviewer's session key is derived from the stored hash, so setting a new password or removing
the reviewer ends every sign-in made before, without a table of sessions.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import sqlite_utils

from monitor.errors import MonitorError
from monitor.review import passwords
from monitor.storage.connection import transaction
from monitor.timestamps import utcnow

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
NAME_RULE = "1-64 letters, digits and . _ @ -, starting with a letter or digit"


class ReviewerError(MonitorError):
    """A reviewer name or password that cannot be used, or a reviewer that does not exist."""


@dataclass(frozen=True)
class Reviewer:
    """A reviewer as listed: never the hash."""

    name: str
    added: str
    password_set: str


def check_name(name: str) -> str:
    """The name if it is one a reviewer may have (it is recorded with every review they make)."""
    if not NAME_PATTERN.fullmatch(name):
        raise ReviewerError(f"reviewer name {name[:80]!r}: use {NAME_RULE}")
    return name


def add_reviewer(
    db: sqlite_utils.Database, name: str, password: str, *, reset: bool = False
) -> None:
    """Store a new reviewer (or, with reset, a new password for an existing one) as a hash."""
    check_name(name)
    try:
        passwords.check_password_rules(password)
    except passwords.PasswordError as exc:
        raise ReviewerError(str(exc)) from None
    password_hash = passwords.hash_password(password)
    now = utcnow()
    with transaction(db) as conn:
        exists = conn.execute("SELECT 1 FROM reviewers WHERE name = ?", [name]).fetchone()
        if exists and not reset:
            raise ReviewerError(f"reviewer {name} exists (--reset sets a new password)")
        if not exists and reset:
            raise ReviewerError(f"no reviewer {name}")
        if exists:
            conn.execute(
                "UPDATE reviewers SET password_hash = ?, password_set = ? WHERE name = ?",
                [password_hash, now, name],
            )
        else:
            conn.execute(
                "INSERT INTO reviewers (name, password_hash, added, password_set) VALUES (?, ?, ?, ?)",
                [name, password_hash, now, now],
            )


def remove_reviewer(db: sqlite_utils.Database, name: str) -> None:
    """Remove a reviewer; their sign-in ends at once, their reviews and log entries stay."""
    with transaction(db) as conn:
        if conn.execute("DELETE FROM reviewers WHERE name = ?", [name]).rowcount == 0:
            raise ReviewerError(f"no reviewer {name[:80]}")


def list_reviewers(db: sqlite_utils.Database) -> list[Reviewer]:
    return [
        Reviewer(name=row[0], added=row[1], password_set=row[2])
        for row in db.execute(
            "SELECT name, added, password_set FROM reviewers ORDER BY name"
        ).fetchall()
    ]


def session_key(password_hash: str) -> str:
    """What a sign-in cookie carries to show it was made with the reviewer's current password."""
    return hashlib.sha256(password_hash.encode("ascii")).hexdigest()[:32]


def sign_in(db: sqlite_utils.Database, name: str, password: str) -> str | None:
    """The reviewer's session key if name and password match, else None (for any kind of miss)."""
    row = db.execute("SELECT password_hash FROM reviewers WHERE name = ?", [name]).fetchone()
    if row is None:
        # Spend the same time as a real check, so a miss does not tell which names exist.
        passwords.verify_password(password, _decoy_hash())
        return None
    try:
        matches = passwords.verify_password(password, row[0])
    except passwords.PasswordError:
        return None
    return session_key(row[0]) if matches else None


def current_session_key(db: sqlite_utils.Database, name: str) -> str | None:
    """The session key a reviewer's cookie must carry now; None once the reviewer is removed."""
    row = db.execute("SELECT password_hash FROM reviewers WHERE name = ?", [name]).fetchone()
    return session_key(row[0]) if row else None


@functools.cache
def _decoy_hash() -> str:
    return passwords.hash_password("not a reviewer's password", salt=b"\0" * 16)
