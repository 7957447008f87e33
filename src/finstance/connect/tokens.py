"""Authorize tokens: minted with the secret key, single use, 30 minutes, reused only for MFA answers."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from finstance.connect import tables
from finstance.core import errors, ratelimit
from finstance.core.context import InstanceContext
from finstance.core.keys import hash_token, key_matches

INVALID_AUTH_KEY = "You must provide a valid auth key"
INVALID_TOKEN = "You must provide a valid authorize token"  # noqa: S105 (a message)


def generate(ctx: InstanceContext, secret_key: str | None) -> str:
    limits = ctx.settings
    ratelimit.check(ctx, limits.bad_secret_rate, "bad-secret")  # a brute force locks the window out
    if not key_matches(secret_key, ctx.key_hashes()[0]):
        if limits.bad_secret_rate:
            ratelimit.count(ctx, "bad-secret")
        raise errors.AccessDenied(INVALID_AUTH_KEY)
    ratelimit.hit(ctx, limits.token_rate, "token")
    return mint(ctx)


class _Refused(Exception):
    """A limit refused the call: the transaction rolls back, and the route counts and refuses it."""


def generate_within_limits(ctx: InstanceContext) -> str | None:
    """:func:`generate` for a secret key already checked, with the token and its rate count in one
    transaction; None, with nothing written, when a limit refuses it (the route then counts and refuses it
    as :func:`generate` does). The fast lane's (``connect/fast.py``)."""
    limits = ctx.settings
    if limits.bad_secret_rate and ratelimit.peek(ctx, "bad-secret") >= limits.bad_secret_rate:
        return None
    token = str(uuid.uuid4())
    now = ctx.clock.now()
    try:
        with ctx.store.transaction() as conn:
            if limits.token_rate and ratelimit.count_on(ctx, conn, "token") > limits.token_rate:
                raise _Refused
            ctx.store.insert_on(conn, _INSERT, _row(ctx, token, now))
    except _Refused:
        return None
    return token


def _row(ctx: InstanceContext, token: str, now: datetime) -> dict[str, object]:
    return {
        "token_hash": hash_token(token),
        "created_at": now,
        "expires_at": now + ctx.settings.authorize_token_ttl,
    }


def mint(ctx: InstanceContext, token: str | None = None) -> str:
    """A new token, for the instance's own use (the Connect pages, the demo page): no key is checked.

    ``token``: a value the caller derived itself (the Connect pages derive each attempt's token from the
    instance's secret material, so that they can present it again without keeping it); random otherwise.
    """
    token = token or str(uuid.uuid4())
    now = ctx.clock.now()
    with ctx.store.transaction() as conn:
        ctx.store.insert_on(conn, _INSERT, _row(ctx, token, now))
    return token


# Core statements: a token is one row written once and spent once, and an ORM unit of work costs several
# times the statement.
_TABLE = cast(Table, tables.AuthorizeToken.__table__)
_INSERT = insert(_TABLE)
_FRESH = (
    _TABLE.c.token_hash == bindparam("hash"),
    _TABLE.c.used_at.is_(None),
    _TABLE.c.expires_at > bindparam("now"),
)
SPEND = update(_TABLE).where(*_FRESH).values(used_at=bindparam("now"))
# Spent on a session whose RequestId is known already (a cached Authorize in the fast lane): one statement.
SPEND_ON = update(_TABLE).where(*_FRESH).values(used_at=bindparam("now"), request_id=bindparam("rid"))
BIND = update(_TABLE).where(_TABLE.c.token_hash == bindparam("hash")).values(request_id=bindparam("rid"))


def consume(db: Session, presented: str | None, now: datetime) -> str:
    """Spend a fresh token on a new session. Returns its hash; raises when it is unknown, used or expired.

    One conditional UPDATE: of two calls spending the same token at once, exactly one changes its row."""
    if not presented:
        raise errors.AccessDenied(INVALID_TOKEN)
    token_hash = hash_token(presented)
    spent = db.connection().execute(SPEND, {"hash": token_hash, "now": now})
    if spent.rowcount != 1:
        raise errors.AccessDenied(INVALID_TOKEN)
    return token_hash


def usable(db: Session, presented: str, now: datetime) -> bool:
    """Whether a token could still open a session (known, unused, unexpired), without spending it."""
    row = db.get(tables.AuthorizeToken, hash_token(presented))
    return row is not None and row.used_at is None and row.expires_at > now


def bind(db: Session, token_hash: str, request_id: str) -> None:
    db.connection().execute(BIND, {"hash": token_hash, "rid": request_id})


def matches_session(presented: str | None, session: tables.Session) -> bool:
    """The MFA continuation must present the very token that opened the session."""
    return (
        bool(presented)
        and session.token_hash is not None
        and hmac.compare_digest(hash_token(presented or ""), session.token_hash)
    )
