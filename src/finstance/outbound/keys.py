"""The instance's Outbound signing key, and the access tokens it signs.

The key is an ECDSA P-256 key derived from the instance's secret material (``InstanceSpec.derive_key``): every
process of an instance derives the same key, nothing is stored, and two instances never share one, so a token
minted by acme-ca fails its signature on acme-us by construction. The public half is published at
``/outbound/.well-known/jwks.json`` for recipients that verify tokens themselves.

Access tokens are JWTs (RFC 9068 profile, ``typ: at+jwt``) with Flinks' claims ``client_id``, ``sub`` and
``exp``, plus ``iss`` (the instance), ``iat``, ``jti``, ``scope`` and the consent they were issued under.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from finstance.core.instance import InstanceSpec

if TYPE_CHECKING:  # joserfc and cryptography are loaded by the first token: a region's start does not wait
    from joserfc.jwk import ECKey

ALGORITHM = "ES256"
TOKEN_TYPE = "at+jwt"  # noqa: S105 (a media type)
# The order of the P-256 group: a private scalar is in [1, n-1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@lru_cache(maxsize=64)
def _derived_key(derive_key: bytes) -> ECKey:
    from cryptography.hazmat.primitives.asymmetric import ec
    from joserfc.jwk import ECKey

    seed = hmac.new(derive_key, b"finstance-outbound-signing-key", hashlib.sha512).digest()
    scalar = int.from_bytes(seed, "big") % (_P256_ORDER - 1) + 1
    return ECKey.import_key(ec.derive_private_key(scalar, ec.SECP256R1()))


def signing_key(spec: InstanceSpec) -> ECKey:
    return _derived_key(spec.derive_key)


def key_id(spec: InstanceSpec) -> str:
    return signing_key(spec).thumbprint()


def jwks(spec: InstanceSpec) -> dict[str, Any]:
    """The public key set of the instance (never the private half)."""
    public = signing_key(spec).as_dict(private=False)
    return {"keys": [{**public, "kid": key_id(spec), "use": "sig", "alg": ALGORITHM}]}


def issuer(spec: InstanceSpec) -> str:
    return f"finstance:{spec.name}"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    client_id: str
    subject: str
    scope: str
    consent_id: str | None  # None: a client-credentials token (no end-user)
    expires_at: int
    token_id: str


def sign_access_token(
    spec: InstanceSpec,
    now: datetime,
    *,
    client_id: str,
    subject: str,
    scope: str,
    lifetime_seconds: int,
    consent_id: str | None,
) -> str:
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        "iss": issuer(spec),
        "aud": issuer(spec),
        "sub": subject,
        "client_id": client_id,
        "scope": scope,
        "iat": issued,
        "exp": issued + lifetime_seconds,
        "jti": secrets.token_hex(16),
    }
    if consent_id is not None:
        claims["consent_id"] = consent_id
    from joserfc import jwt

    header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": key_id(spec)}
    return jwt.encode(header, claims, signing_key(spec), algorithms=[ALGORITHM])


def verify_access_token(spec: InstanceSpec, token: str, now: datetime) -> AccessClaims | None:
    """The claims of a token this instance signed and that is still valid at ``now``; None otherwise (another
    instance's key, a forged or altered token, another issuer, expired, or not a JWT at all)."""
    from joserfc import jwt
    from joserfc.errors import JoseError

    if not token or len(token) > 4096:
        return None
    try:
        decoded = jwt.decode(token, signing_key(spec), algorithms=[ALGORITHM])
    except (JoseError, ValueError, TypeError):
        return None
    if decoded.header.get("typ") != TOKEN_TYPE:
        return None
    claims = decoded.claims
    try:
        expires_at = int(claims["exp"])
        parsed = AccessClaims(
            client_id=str(claims["client_id"]),
            subject=str(claims["sub"]),
            scope=str(claims.get("scope") or ""),
            consent_id=str(claims["consent_id"]) if claims.get("consent_id") else None,
            expires_at=expires_at,
            token_id=str(claims["jti"]),
        )
    except (KeyError, TypeError, ValueError):
        return None
    if claims.get("iss") != issuer(spec) or claims.get("aud") != issuer(spec):
        return None
    if expires_at <= int(now.timestamp()):
        return None
    return parsed
