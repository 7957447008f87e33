"""Every error leaves in the Flinks body shape; this module is the only place that builds one."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import BaseRoute, Match

from finstance.core import errors
from finstance.core.http.responses import error_response


def _validation_message(exc: RequestValidationError) -> str:
    problems = exc.errors()
    if any(p.get("type") == "json_invalid" for p in problems):
        return "The request body is not valid JSON."
    parts = []
    for p in problems[:5]:
        where = ".".join(str(x) for x in p.get("loc", ()) if x != "body") or "body"
        parts.append(f"{where}: {p.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts)


def _allow(request: Request) -> dict[str, str]:
    """Every method of the resource: one path may be served by several routes (GET and POST polls)."""
    methods: set[str] = set()
    pending: list[Any] = list(request.app.router.routes)
    while pending:
        route = pending.pop()
        if not isinstance(route, BaseRoute) or route.matches(request.scope)[0] is not Match.PARTIAL:
            continue
        included = getattr(route, "original_router", route)  # FastAPI wraps an included router
        pending.extend(getattr(included, "routes", None) or ())
        methods |= getattr(route, "methods", None) or set()
    return {"Allow": ", ".join(sorted(methods))} if methods else {}


def install(app: FastAPI) -> None:
    async def flinks_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, errors.FlinksError)
        return error_response(exc)

    async def validation_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(errors.InvalidRequest(_validation_message(exc)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        mapped: errors.FlinksError
        if exc.status_code == 404:
            mapped = errors.NotFound()
        elif exc.status_code == 405:
            mapped = errors.MethodNotAllowed(headers={**(exc.headers or {}), **_allow(request)})
        elif exc.status_code == 413:
            mapped = errors.PayloadTooLarge()
        elif exc.status_code == 415:
            mapped = errors.UnsupportedMediaType()
        else:
            mapped = errors.InvalidRequest(str(exc.detail) if exc.detail else None)
            mapped.headers = dict(exc.headers or {})
        return error_response(mapped)

    app.add_exception_handler(errors.FlinksError, flinks_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
