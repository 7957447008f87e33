"""Data recipients: the OAuth clients of an instance, registered by its operator with the CLI.

A recipient gets a ``client_id`` (``dc-`` and a GUID minted by the instance) and a ``client_secret`` shown
once and stored only as a hash. Its redirect URIs are matched exactly. Registrations with providers have
Flinks' three statuses; a recipient created by the operator is registered, active, with Flinks Capital.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from finstance.core.context import InstanceContext
from finstance.core.identifiers import Origin
from finstance.outbound import tables
from finstance.outbound.providers import FLINKS_CAPITAL, providers
from finstance.outbound.tables import RegistrationStatus

CLIENT_PREFIX = "dc-"
_SECRET_PREFIX = "sha256$"  # noqa: S105 (a hash prefix)
LOOPBACK = {"localhost", "127.0.0.1", "::1"}


class RecipientError(ValueError):
    """A recipient that cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Issued:
    """A recipient with its secret, as shown once at creation or rotation."""

    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str]


def hash_secret(secret: str) -> str:
    return _SECRET_PREFIX + hashlib.sha256(b"finstance-outbound-secret|" + secret.encode()).hexdigest()


def secret_matches(candidate: str | None, stored_hash: str) -> bool:
    if not candidate:
        hmac.compare_digest(stored_hash, stored_hash)
        return False
    return hmac.compare_digest(hash_secret(candidate), stored_hash)


def minted_here(ctx: InstanceContext, client_id: str) -> bool:
    """Whether a client_id names a recipient this instance could have registered (the GUID after ``dc-``
    carries the instance's tag); another instance's client is refused before the store is read."""
    return client_id.startswith(CLIENT_PREFIX) and (
        ctx.spec.ids.origin(client_id[len(CLIENT_PREFIX) :]) is Origin.THIS_INSTANCE
    )


def check_redirect_uri(uri: str, *, sandbox: bool) -> str:
    """An absolute https URI without fragment; plain http only to the loopback of a sandbox instance."""
    parts = urlsplit(uri)
    if not parts.scheme or not parts.hostname or parts.fragment or len(uri) > 2000:
        raise RecipientError(f"redirect URI {uri!r} must be an absolute URL without a fragment")
    if parts.scheme == "https":
        return uri
    host = parts.hostname.lower()
    if parts.scheme == "http" and sandbox and (host in LOOPBACK or host.endswith(".localhost")):
        return uri
    raise RecipientError(
        f"redirect URI {uri!r} must use https (http only to localhost, on sandbox instances)"
    )


def create(
    ctx: InstanceContext,
    name: str,
    redirect_uris: list[str],
    *,
    contacts: list[str] | None = None,
    description: str | None = None,
    client_uri: str | None = None,
    register: bool = True,
) -> Issued:
    name = name.strip()
    if not name or len(name) > 200:
        raise RecipientError("a recipient needs a name of 1 to 200 characters")
    if not redirect_uris:
        raise RecipientError("a recipient needs at least one redirect URI")
    uris = list(dict.fromkeys(check_redirect_uri(u.strip(), sandbox=ctx.spec.sandbox) for u in redirect_uris))
    now = ctx.clock.now()
    client_id = CLIENT_PREFIX + ctx.spec.ids.random()
    secret = secrets.token_urlsafe(32)
    with ctx.store.write() as db:
        db.add(
            tables.Recipient(
                client_id=client_id,
                name=name,
                secret_hash=hash_secret(secret),
                redirect_uris=uris,
                description=description,
                client_uri=client_uri,
                contacts=list(contacts or []),
                created_at=now,
            )
        )
        if register:
            db.flush()
            db.add(
                tables.Registration(
                    client_id=client_id,
                    provider_id=FLINKS_CAPITAL,
                    status=RegistrationStatus.ACTIVE,
                    requested_on=now,
                )
            )
    return Issued(client_id, secret, name, uris)


def rotate(ctx: InstanceContext, client_id: str) -> Issued:
    """A new secret for a recipient; the old one stops working at once."""
    secret = secrets.token_urlsafe(32)
    with ctx.store.write() as db:
        row = db.get(tables.Recipient, client_id) if minted_here(ctx, client_id) else None
        if row is None:
            raise RecipientError(f"{ctx.spec.name} has no recipient {client_id!r}")
        row.secret_hash = hash_secret(secret)
        row.secret_rotated_at = ctx.clock.now()
        return Issued(row.client_id, secret, row.name, list(row.redirect_uris))


def find(db: DbSession, ctx: InstanceContext, client_id: str | None) -> tables.Recipient | None:
    if not client_id or len(client_id) > 64 or not minted_here(ctx, client_id):
        return None
    return db.get(tables.Recipient, client_id)


def public(row: tables.Recipient, country: str) -> dict[str, Any]:
    """A recipient as Flinks lists it (``GET /api/v1/recipients``): never its secret."""
    return {
        "client_id": row.client_id,
        "name": row.name,
        "logo_uri": row.logo_uri,
        "description": row.description,
        "terms_uri": row.terms_uri,
        "client_uri": row.client_uri,
        "country": country,
        "contacts": [{"email": e} for e in row.contacts],
    }


def listed(ctx: InstanceContext) -> list[dict[str, Any]]:
    with ctx.store.read() as db:
        rows = db.scalars(select(tables.Recipient).order_by(tables.Recipient.created_at))
        return [{**public(r, ctx.spec.country.value), "redirect_uris": list(r.redirect_uris)} for r in rows]


def registrations(db: DbSession, ctx: InstanceContext, client_id: str | None = None) -> list[dict[str, Any]]:
    """Registration requests as Flinks lists them, oldest first."""
    known = providers(ctx.spec.country)
    r, g = tables.Recipient, tables.Registration
    query = select(g, r.name).join(r, r.client_id == g.client_id).order_by(g.requested_on, g.provider_id)
    if client_id is not None:
        query = query.where(g.client_id == client_id)
    out = []
    for reg, name in db.execute(query):
        provider = known.get(reg.provider_id)
        out.append(
            {
                "client_id": reg.client_id,
                "client_name": name,
                "provider_id": reg.provider_id,
                "provider_name": provider.name if provider else None,
                "country": ctx.spec.country.value,
                "registration_status": reg.status.value,
                "requested_on": _flinks_time(reg.requested_on),
            }
        )
    return out


def request_registration(
    db: DbSession, ctx: InstanceContext, client_id: str, provider_id: int, now: datetime
) -> tables.Registration | None:
    """Ask to be registered with a provider: PENDING_APPROVAL, or the registration that already exists.
    None when the provider is unknown."""
    if provider_id not in providers(ctx.spec.country):
        return None
    row = db.get(tables.Registration, (client_id, provider_id))
    if row is None:
        row = tables.Registration(
            client_id=client_id,
            provider_id=provider_id,
            status=RegistrationStatus.PENDING_APPROVAL,
            requested_on=now,
        )
        db.add(row)
    return row


def is_active(db: DbSession, client_id: str, provider_id: int) -> bool:
    row = db.get(tables.Registration, (client_id, provider_id))
    return row is not None and row.status is RegistrationStatus.ACTIVE


def _flinks_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f0Z")
