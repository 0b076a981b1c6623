"""Unguessable tokens, kept only as hashes.

A link token is 256 random bits, so a plain SHA-256 of it is enough to make a stolen database
useless for opening episodes; slow password hashing is for low-entropy secrets.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """Lower-case base32: safe in a URL and on a command line (never starts with '-')."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode().rstrip("=").lower()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
