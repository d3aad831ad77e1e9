"""Reviewers' passwords as salted scrypt hashes, and the check of a password against one.

scrypt (RFC 7914, in the standard library through OpenSSL) is memory-hard: each guess costs
16 MiB and ~60 ms, which blunts the GPU rigs that make a fast hash like SHA-256, or even
PBKDF2, cheap to attack offline if the database file leaks. No dependency is needed for it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ALGORITHM = "scrypt"
# n=2**14, r=8, p=1: the parameters RFC 7914 and OWASP give for interactive logins.
COST, BLOCK_SIZE, PARALLELISM = 2**14, 8, 1
KEY_BYTES = 32
MAX_MEMORY = 64 * 1024 * 1024
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # a multi-megabyte "password" would only be a way to spend our CPU


class PasswordError(ValueError):
    """A password too short or too long, or a stored hash that is not one of ours."""


def check_password_rules(password: str) -> None:
    """Refuse a password a reviewer should not be given (length only: a passphrase is best)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$key`, salt and key in base64: everything needed to check it again."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    key = _derive(password, salt, COST, BLOCK_SIZE, PARALLELISM)
    return "$".join(
        [ALGORITHM, str(COST), str(BLOCK_SIZE), str(PARALLELISM), _b64(salt), _b64(key)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` is the one `stored` was made from (in constant time for a given hash)."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        algorithm, n, r, p, salt, key = stored.split("$")
        if algorithm != ALGORITHM:
            raise ValueError(algorithm)
        expected = base64.b64decode(key, validate=True)
        derived = _derive(
            password, base64.b64decode(salt, validate=True), int(n), int(r), int(p), len(expected)
        )
    except ValueError:
        raise PasswordError("not a password hash made by ev-claims-monitor") from None
    return hmac.compare_digest(derived, expected)


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=length
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
