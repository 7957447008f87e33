"""API clients: the client credentials of the server-to-server products (Pay, Upload) and their Bearer tokens.

Flinks gives a client of Pay or of the Upload API a client id and a client secret, exchanged for a short-lived
Bearer token (OAuth 2.0 client credentials: ``POST …/api/v1/authorize`` for Pay, ``POST …/api/v1/token`` for
Upload). Each instance keeps its own clients in its own store: a client of one instance, or of one product,
gets nothing from another. The operator creates and rotates them with ``finstance clients``.

- the client id is a GUID minted by the instance (another instance's is refused before the store is read);
- the secret is shown once and kept only as a hash; rotating it revokes the client's tokens at once;
- tokens are random, kept only as hashes, bound to one product and a lifetime; a token ``spent`` once has
  started what a single-use token may start ("a token can only initiate a single session", Pay);
- wrong secrets count against ``Settings.bad_secret_rate`` and token requests against ``Settings.token_rate``,
  in the store, so N processes share the limits.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors, ratelimit
from finstance.core.context import InstanceContext
from finstance.core.identifiers import Origin, canonical
from finstance.core.keys import hash_key, hash_token, key_matches
from finstance.core.store import tables

BEARER = "Bearer"
_BAD = "The client credentials are not valid for this instance."
_NO_TOKEN = "A valid Bearer token is required: request one with the client credentials."  # noqa: S105


class ClientError(ValueError):
    """A client that cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True, slots=True)
class Issued:
    """A client with its secret, as shown once at creation or rotation."""

    client_id: str
    client_secret: str
    product: str
    name: str | None


@dataclass(frozen=True, slots=True)
class ApiClient:
    """A client as listed: never its secret."""

    client_id: str
    product: str
    name: str | None
    created_at: str
    secret_rotated_at: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "product": self.product,
            "name": self.name,
            "created_at": self.created_at,
            "secret_rotated_at": self.secret_rotated_at,
        }


@dataclass(frozen=True, slots=True)
class Grant:
    """A token as the token endpoint answers it."""

    access_token: str
    expires_in: int
    token_type: str = BEARER

    def body(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "token_type": self.token_type,
            "expires_in": self.expires_in,
        }


@dataclass(frozen=True, slots=True)
class TokenUse:
    """An authenticated call: which token (its stored hash) and which client."""

    token_id: str
    client_id: str
    spent: bool


def _minted_here(ctx: InstanceContext, client_id: str) -> str | None:
    """The canonical client id when this instance could have minted it, else None."""
    if not client_id or len(client_id) > 64:
        return None
    value = canonical(client_id)
    if value is None or ctx.spec.ids.origin(value) is not Origin.THIS_INSTANCE:
        return None
    return value


def create(ctx: InstanceContext, product: str, name: str | None = None) -> Issued:
    if product not in {p.name for p in ctx.products}:
        raise ClientError(f"{ctx.spec.name} does not serve the product {product!r}")
    if name is not None:
        name = name.strip() or None
        if name is not None and len(name) > 200:
            raise ClientError("a client name has at most 200 characters")
    client_id = ctx.spec.ids.random()
    secret = secrets.token_hex(32)
    with ctx.store.write() as db:
        db.add(
            tables.ApiClient(
                client_id=client_id,
                product=product,
                name=name,
                secret_hash=hash_key(secret),
                created_at=ctx.clock.now(),
            )
        )
    return Issued(client_id, secret, product, name)


def rotate(ctx: InstanceContext, product: str, client_id: str) -> Issued:
    """A new secret for a client; the old one and every token issued with it stop working at once."""
    secret = secrets.token_hex(32)
    found = _minted_here(ctx, client_id)
    with ctx.store.write() as db:
        row = db.get(tables.ApiClient, found) if found else None
        if row is None or row.product != product:
            raise ClientError(f"{ctx.spec.name} has no {product} client {client_id!r}")
        row.secret_hash = hash_key(secret)
        row.secret_rotated_at = ctx.clock.now()
        db.execute(delete(tables.ApiToken).where(tables.ApiToken.client_id == row.client_id))
        return Issued(row.client_id, secret, row.product, row.name)


def listed(ctx: InstanceContext, product: str | None = None) -> list[ApiClient]:
    query = select(tables.ApiClient).order_by(tables.ApiClient.created_at, tables.ApiClient.client_id)
    if product is not None:
        query = query.where(tables.ApiClient.product == product)
    with ctx.store.read() as db:
        return [
            ApiClient(
                row.client_id,
                row.product,
                row.name,
                row.created_at.isoformat(),
                row.secret_rotated_at.isoformat() if row.secret_rotated_at else None,
            )
            for row in db.scalars(query)
        ]


def presented(authorization: str | None, form: Mapping[str, str]) -> tuple[str, str] | None:
    """The client id and secret a token request presents: HTTP Basic first (RFC 6749 §2.3.1, Flinks' guides),
    else the form fields ``client_id``/``client_secret`` or ``Username``/``Password`` (Flinks' API schema)."""
    if authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() == "basic" and value:
            try:
                decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return None
            client_id, sep, secret = decoded.partition(":")
            return (client_id, secret) if sep and client_id and secret else None
    for id_field, secret_field in (("client_id", "client_secret"), ("Username", "Password")):
        form_id, form_secret = form.get(id_field), form.get(secret_field)
        if form_id and form_secret:
            return form_id, form_secret
    return None


def token_request(
    ctx: InstanceContext, product: str, authorization: str | None, body: bytes, lifetime: timedelta
) -> Grant:
    """A token endpoint's answer to a request (``application/x-www-form-urlencoded`` body): the
    ``client_credentials`` grant with the credentials :func:`presented` finds, else 400 or 401."""
    form = dict(parse_qsl(body.decode("utf-8", errors="replace"))) if body else {}
    grant = form.get("grant_type")
    if grant is not None and grant != "client_credentials":
        raise errors.InvalidRequest("grant_type must be client_credentials.")
    found = presented(authorization, form)
    if found is None:
        raise errors.Unauthorized(
            "Present the API client's id and secret: HTTP Basic, client_id and client_secret, or Username "
            "and Password."
        )
    return issue_token(ctx, product, *found, lifetime)


def issue_token(
    ctx: InstanceContext, product: str, client_id: str, client_secret: str, lifetime: timedelta
) -> Grant:
    """A Bearer token for a client of ``product``; 401 UNAUTHORIZED for anything but its own right secret."""
    settings = ctx.settings
    found = verified(ctx, product, client_id, client_secret)
    token = secrets.token_hex(32)
    now = ctx.clock.now()
    with ctx.store.write() as db:  # the token is counted against the rate in the transaction that stores it
        if (
            settings.token_rate > 0
            and ratelimit.count_in(ctx, db, "client-token", product) > settings.token_rate
        ):
            raise ratelimit.too_many(ctx)
        db.add(
            tables.ApiToken(
                token_hash=hash_token(token),
                client_id=found,
                product=product,
                expires_at=now + lifetime,
                spent=False,
                created_at=now,
            )
        )
    return Grant(token, int(lifetime.total_seconds()))


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value and len(value) <= 200 else None


def authenticate(ctx: InstanceContext, product: str, authorization: str | None) -> TokenUse:
    """The token a call presents, when it is this instance's, of ``product`` and not expired; else 401."""
    with ctx.store.read() as db:
        return authenticate_in(ctx, db, product, authorization)


def authenticate_in(ctx: InstanceContext, db: DbSession, product: str, authorization: str | None) -> TokenUse:
    """:func:`authenticate` in the caller's transaction (a create checks, spends and stores in one)."""
    token = bearer_token(authorization)
    if token is None:
        raise errors.Unauthorized(_NO_TOKEN)
    token_id = hash_token(token)
    row = db.get(tables.ApiToken, token_id)
    if row is None or row.product != product or row.expires_at <= ctx.clock.now():
        raise errors.Unauthorized(_NO_TOKEN)
    return TokenUse(token_id, row.client_id, bool(row.spent))


def authenticate_key(
    ctx: InstanceContext, product: str, authorization: str | None, client_id: str | None, api_key: str | None
) -> str:
    """The API client a call comes from, by its Bearer token or by its id and secret in headers (Pay's EFT
    API: ``x-client-id`` with ``x-api-key``); its client id, else 401. The id alone, which Flinks' EFT pages
    show, is not taken: here a client id is an identifier, and only its secret proves who calls."""
    if authorization or not (client_id or api_key):
        return authenticate(ctx, product, authorization).client_id
    if not client_id or not api_key:
        raise errors.Unauthorized(
            "Send x-client-id with x-api-key (the client's secret), or a Bearer token from /authorize."
        )
    return verified(ctx, product, client_id, api_key)


def verified(ctx: InstanceContext, product: str, client_id: str, secret: str) -> str:
    """The canonical id of this instance's client of ``product`` whose secret ``secret`` is; else 401
    UNAUTHORIZED, counted against ``Settings.bad_secret_rate``."""
    found = _minted_here(ctx, client_id)
    with ctx.store.read() as db:  # one read: the wrong-secret counter, then the client
        ratelimit.check_in(ctx, db, ctx.settings.bad_secret_rate, "client-secret", product)
        row = db.get(tables.ApiClient, found) if found else None
        stored = row.secret_hash if row is not None and row.product == product else None
    if stored is None or not key_matches(secret, stored):
        if stored is None:
            key_matches(secret, hash_key(""))  # the same work either way
        ratelimit.count(ctx, "client-secret", product)
        raise errors.Unauthorized(_BAD)
    assert found is not None
    return found


def spend(db: DbSession, token_id: str) -> bool:
    """Mark a token as having started what it may start once; False when it already had."""
    row = db.get(tables.ApiToken, token_id, with_for_update=True)  # SQLite: the write transaction's lock
    if row is None or row.spent:
        return False
    row.spent = True
    return True


def prune(ctx: InstanceContext) -> int:
    """Forget the tokens that have expired."""
    with ctx.store.write() as db:
        result = db.execute(delete(tables.ApiToken).where(tables.ApiToken.expires_at <= ctx.clock.now()))
        return int(getattr(result, "rowcount", 0) or 0)
