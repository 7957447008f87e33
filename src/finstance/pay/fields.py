"""What Pay's API reads from a call, the same way in each of its modules: an object field of a JSON body; an
id a client gave, and the row it names when that client owns it (404 otherwise, whatever the reason: an id of
another client, of another instance, or of nothing); an ``Idempotency-Key`` and what it already created."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import orjson
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.identifiers import canonical

MAX_KEY = 255  # an Idempotency-Key's length, at most


class _Owned(Protocol):
    client_id: str


class _Keyed(_Owned, Protocol):
    request_hash: str


R = TypeVar("R", bound=_Owned)
K = TypeVar("K", bound=_Keyed)
T = TypeVar("T")


def object_field(body: dict[str, Any], field: str, where: str = "") -> dict[str, Any]:
    """``body[field]`` when it is an object, ``{}`` when absent; 400 naming it otherwise."""
    value = body.get(field)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.InvalidRequest(f"{where}{field} must be an object.")
    return value


def identifier(key: Any) -> str | None:
    """The canonical form of an id a client gave; None when it cannot be one."""
    return canonical(key) if isinstance(key, str) and len(key) <= 64 else None


def owned(db: DbSession, model: type[R], key: Any, client_id: str, message: str, *, lock: bool = False) -> R:
    """The row of ``model`` whose id is ``key`` when the API client ``client_id`` owns it; else 404."""
    found = identifier(key)
    row = db.get(model, found, with_for_update=lock) if found else None
    if row is None or row.client_id != client_id:
        raise errors.NotFound(message)
    return row


def body_hash(body: Any) -> str:
    """What an ``Idempotency-Key`` is checked against: the body's JSON with its keys sorted."""
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def check_key(key: str | None) -> None:
    if key is not None and not 0 < len(key) <= MAX_KEY:
        raise errors.InvalidRequest(f"Idempotency-Key must be 1 to {MAX_KEY} characters.")


def replay(
    db: DbSession, model: type[K], client_id: str, key: str | None, digest: str, what: str
) -> K | None:
    """What the client already created with ``key`` (None: nothing, or no key); 400 when that was made from
    another body."""
    if key is None:
        return None
    columns: Any = model
    row: K | None = db.scalars(
        select(model).where(columns.client_id == client_id, columns.idempotency_key == key)
    ).first()
    if row is not None and not hmac.compare_digest(row.request_hash, digest):
        raise errors.InvalidRequest(
            f"This Idempotency-Key was used with another body: use a new key for a new {what}."
        )
    return row


def once_per_key(create: Callable[[], T], key: str | None) -> T:
    """``create()``, run once more when a create racing with the same key stored first: the loser's insert
    breaks the key's uniqueness, and its second run finds (and replays) the winner's row."""
    try:
        return create()
    except IntegrityError:
        if key is None:
            raise
        return create()
