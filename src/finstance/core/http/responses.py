"""Serialization: bodies are built as dicts by the services and written with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from finstance.core import errors, wire

JSON = "application/json; charset=utf-8"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def error_response(exc: errors.FlinksError) -> Response:
    return json_response(exc.body(), exc.http_status, exc.headers or None)


def _err(description: str) -> dict[str, Any]:
    return {"model": wire.FlinksErrorBody, "description": description}


BAD_REQUEST: dict[int | str, dict[str, Any]] = {
    400: _err("Invalid request (INVALID_REQUEST, SESSION_NONEXISTENT, CARD_IN_USE, ...)")
}
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: _err("Authentication or institution error (ACCESS_DENIED, INVALID_LOGIN, ...)")
}
PENDING: dict[int | str, dict[str, Any]] = {
    202: _err("Data not ready yet: OPERATION_PENDING or OPERATION_DISPATCHED, with the Async link")
}
AGGREGATION: dict[int | str, dict[str, Any]] = {500: _err("The aggregation failed (AGGREGATION_ERROR)")}
DISABLED: dict[int | str, dict[str, Any]] = {
    405: _err("The institution is not available (DISABLED_INSTITUTION)")
}
COMMON: dict[int | str, dict[str, Any]] = {**BAD_REQUEST, **UNAUTHORIZED}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _err("No such object on this instance (NOT_FOUND)")}
