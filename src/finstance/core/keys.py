"""Secret keys: generated at random, stored only as hashes, compared in constant time.

The keys are 122-bit random GUIDs, so a fast keyed hash is enough (no password stretching needed):
what matters is that a stolen store or directory does not reveal a usable key.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from functools import lru_cache

_PREFIX = "sha256$"


def new_key() -> str:
    return str(uuid.uuid4())


def hash_key(key: str) -> str:
    digest = hashlib.sha256(b"finstance-key|" + key.strip().lower().encode()).hexdigest()
    return _PREFIX + digest


def key_matches(candidate: str | None, stored_hash: str) -> bool:
    """Constant-time check of a presented key against its stored hash."""
    if not candidate:
        hmac.compare_digest(stored_hash, stored_hash)  # same work either way
        return False
    return hmac.compare_digest(_presented_hash(candidate), stored_hash)


@lru_cache(maxsize=256)
def _presented_hash(candidate: str) -> str:
    """An API client presents the same key at every call: its hash is computed once (a bounded memo)."""
    return hash_key(candidate)


def hash_token(token: str) -> str:
    """Authorize tokens are stored hashed too: the store never holds a usable token."""
    return hashlib.sha256(b"finstance-token|" + token.strip().lower().encode()).hexdigest()
