"""Connect as the place other products deliver a login's data to: Upload's statements become a login of the
instance, read back with a cached ``/Authorize`` and ``/GetAccountsDetail`` like a linked bank.

Upload uses this module, never Connect's tables: it opens a login (institution :data:`UPLOADED`, no bank to
sign in to again), then delivers a :class:`BankProfile` to it in its own transaction, which saves the data and
emits the KYC and GetAccountsDetail webhooks as an aggregation does, or records why nothing could be read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session as DbSession

from finstance.connect import aggregation, documents, tables, tokens
from finstance.connect.tables import UPLOADED as UPLOADED
from finstance.core.context import InstanceContext
from finstance.core.identifiers import Origin, canonical
from finstance.core.profile import BankProfile


def open_login(ctx: InstanceContext, db: DbSession, *, language: str, now: datetime) -> str:
    """A new login of this instance with no data yet; its loginId."""
    login_id = ctx.spec.ids.random()
    db.add(
        tables.Login(
            id=login_id,
            institution=UPLOADED,
            username=login_id,  # no bank username: the login stands for itself
            language=language,
            login_type="Personal",
            is_scheduled_refresh=False,
            last_refresh=None,
            last_error_code=None,
            mfa_answers={},
            created_at=now,
        )
    )
    return login_id


def deliver(
    ctx: InstanceContext, db: DbSession, login_id: str, profile: BankProfile, *, now: datetime
) -> bool:
    """Save ``profile`` as the login's data and emit its webhooks, in the caller's transaction. False when the
    login is gone (a DeleteCard came first): nothing is saved. Call :func:`delivered` after the commit."""
    login = db.get(tables.Login, login_id, with_for_update=True)
    if login is None or login.institution != UPLOADED:
        return False
    aggregation.save_profile(db, login, profile)
    login.last_refresh = now
    login.last_error_code = None
    db.flush()
    aggregation.emit_events(ctx, db, login, None)
    return True


def delivered(ctx: InstanceContext, login_id: str) -> None:
    """The delivery to ``login_id`` committed: answers kept from before are stale."""
    documents.changed(ctx, login_id)


def exists(db: DbSession, login_id: str) -> bool:
    return db.get(tables.Login, login_id) is not None


def spend_authorize_token(ctx: InstanceContext, token: str) -> None:
    """Spend an authorize token of this instance, as opening Connect does; 401 ACCESS_DENIED otherwise."""
    with ctx.store.write() as db:
        tokens.consume(db, token, ctx.clock.now())


def flow_options(ctx: InstanceContext, flow_id: str) -> dict[str, Any] | None:
    """The options of a Connect flow of this instance still open (an end-user offered to upload their
    statements instead of signing in), as plain values; None for any other flow id."""
    if ctx.spec.ids.origin(flow_id) is not Origin.THIS_INSTANCE:
        return None
    key = canonical(flow_id)
    with ctx.store.read() as db:
        flow = db.get(tables.ConnectFlow, key) if key else None
        if flow is None or flow.expires_at <= ctx.clock.now():
            return None
        options = dict(flow.options)
    return {
        "language": options.get("language", "en"),
        "redirect_url": options.get("redirect_url"),
        "inner_redirect": bool(options.get("inner_redirect")),
        "tag": options.get("tag"),
    }
