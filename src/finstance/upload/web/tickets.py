"""The ticket of one upload page: what the page was opened with, signed by the instance, so the form it posts
and the status page it leads to need no row of their own and cannot be redirected elsewhere.

A ticket is ``base64url(JSON).base64url(HMAC-SHA256)`` under a key derived from the instance's secret
material; it names a nonce (which uploads it sent are recorded with), its issue time, and the page's options
(language, redirect URL, inner redirect, tag). It is refused once the Connect lifetime
(``Settings.authorize_token_ttl``) has passed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson

from finstance.core.context import InstanceContext


@dataclass(frozen=True, slots=True)
class PageOptions:
    language: str = "en"
    redirect_url: str | None = None
    inner_redirect: bool = False
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class Ticket:
    nonce: str
    issued: int  # seconds since the epoch
    options: PageOptions


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(ctx: InstanceContext, payload: str) -> str:
    key = hmac.new(ctx.spec.derive_key, b"upload-page-ticket", hashlib.sha256).digest()
    return _b64(hmac.new(key, payload.encode(), hashlib.sha256).digest()[:18])


def issue(ctx: InstanceContext, options: PageOptions) -> str:
    body = {
        "n": secrets.token_hex(12),
        "t": int(ctx.clock.now().timestamp()),
        "l": options.language,
        "r": options.redirect_url,
        "i": options.inner_redirect,
        "g": options.tag,
    }
    payload = _b64(orjson.dumps(body))
    return f"{payload}.{_mac(ctx, payload)}"


def read(ctx: InstanceContext, ticket: str, now: datetime, lifetime: timedelta) -> Ticket | None:
    """The ticket's content when this instance signed it and it has not expired; else None."""
    payload, _, mac = ticket.partition(".")
    if not payload or len(ticket) > 4000 or not hmac.compare_digest(mac, _mac(ctx, payload)):
        return None
    try:
        body = orjson.loads(_unb64(payload))
        found = Ticket(
            nonce=str(body["n"]),
            issued=int(body["t"]),
            options=PageOptions(
                language=str(body["l"]), redirect_url=body["r"], inner_redirect=bool(body["i"]), tag=body["g"]
            ),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if found.issued + lifetime.total_seconds() <= now.timestamp():
        return None
    return found
