"""Identifiers minted by an instance: standard GUIDs that carry a verifiable tag of their issuer.

Layout of the 16 bytes (a UUID of version 8, RFC 9562 "custom"):

- bytes 0-8: the body (random, or derived for loginIds); the version nibble sits in byte 6 and the
  variant bits in byte 8, so 66 bits remain free;
- bytes 9-11: the issuer tag, the first 3 bytes of SHA-256(customerId);
- bytes 12-15: a check, the first 4 bytes of SHA-256("finstance-id|" + bytes 0-11).

Anyone can tell whether a GUID was minted by some finstance instance (the check verifies), and which
instance minted it when its customerId is known (the tag matches). Nothing else about the identifier
leaks: the body of a loginId is an HMAC of the instance's secret material.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass

_CHECK_PREFIX = b"finstance-id|"


@functools.lru_cache(maxsize=1024)
def issuer_tag(customer_id: str) -> bytes:
    return hashlib.sha256(customer_id.lower().encode()).digest()[:3]


def _seal(body: bytes, tag: bytes) -> str:
    raw = bytearray(body[:9] + tag)
    raw[6] = (raw[6] & 0x0F) | 0x80  # version 8
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122/9562 variant
    head = bytes(raw)
    check = hashlib.sha256(_CHECK_PREFIX + head).digest()[:4]
    return str(uuid.UUID(bytes=head + check))


@dataclass(frozen=True, slots=True)
class IdMinter:
    """Mints and recognises the identifiers of one instance."""

    customer_id: str
    derive_key: bytes  # secret material for derived (deterministic) identifiers

    @property
    def tag(self) -> bytes:
        return issuer_tag(self.customer_id)

    def random(self) -> str:
        return _seal(secrets.token_bytes(9), self.tag)

    def derived(self, *parts: str) -> str:
        mac = hmac.new(self.derive_key, "|".join(parts).encode(), hashlib.sha256).digest()
        return _seal(mac, self.tag)

    def origin(self, value: str) -> Origin:
        return classify(value, self.customer_id)


class Origin(enum.StrEnum):
    """Where an identifier comes from, as seen by one instance."""

    MALFORMED = "malformed"  # not a GUID at all
    FOREIGN_FORMAT = "foreign-format"  # a GUID, but not one minted by finstance
    THIS_INSTANCE = "this-instance"
    OTHER_INSTANCE = "other-instance"


def parse_guid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip())
    except (ValueError, AttributeError, TypeError):
        return None


def is_finstance_id(value: str) -> bool:
    parsed = parse_guid(value)
    return parsed is not None and _sealed(parsed.bytes)


def _sealed(raw: bytes) -> bool:
    """Whether a GUID's 16 bytes carry the check finstance seals its identifiers with."""
    return hmac.compare_digest(hashlib.sha256(_CHECK_PREFIX + raw[:12]).digest()[:4], raw[12:])


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments; a client repeats its identifiers
def classify(value: str, customer_id: str) -> Origin:
    parsed = parse_guid(value)
    if parsed is None:
        return Origin.MALFORMED
    if not _sealed(parsed.bytes):
        return Origin.FOREIGN_FORMAT
    if hmac.compare_digest(parsed.bytes[9:12], issuer_tag(customer_id)):
        return Origin.THIS_INSTANCE
    return Origin.OTHER_INSTANCE


@functools.lru_cache(maxsize=4096)
def canonical(value: str) -> str | None:
    """The lower-case hyphenated form of a GUID, or None when it is not one."""
    parsed = parse_guid(value)
    return None if parsed is None else str(parsed)
