"""What Pay's API reads from a call, the same way in each of its modules: an object field of a JSON body, and
a row by the id a client gave, found only when that client owns it (404 otherwise, whatever the reason: an id
of another client, of another instance, or of nothing)."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session as DbSession

from finstance.core import errors
from finstance.core.identifiers import canonical


class _Owned(Protocol):
    client_id: str


R = TypeVar("R", bound=_Owned)


def object_field(body: dict[str, Any], field: str, where: str = "") -> dict[str, Any]:
    """``body[field]`` when it is an object, ``{}`` when absent; 400 naming it otherwise."""
    value = body.get(field)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.InvalidRequest(f"{where}{field} must be an object.")
    return value


def owned(db: DbSession, model: type[R], key: Any, client_id: str, message: str, *, lock: bool = False) -> R:
    """The row of ``model`` whose id is ``key`` when the API client ``client_id`` owns it; else 404."""
    found = canonical(key) if isinstance(key, str) and len(key) <= 64 else None
    row = db.get(model, found, with_for_update=lock) if found else None
    if row is None or row.client_id != client_id:
        raise errors.NotFound(message)
    return row
