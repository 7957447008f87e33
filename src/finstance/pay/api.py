"""Pay's routes on a Canadian instance, under ``/pay`` (the instance's counterpart of Flinks' payments host):
``POST /pay/api/v1/authorize`` (client credentials, a token of 599 s that starts one session) and the V2
sessions. A U.S. instance answers every ``/pay`` path with METHOD_NOT_AVAILABLE (core/http/app.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Path, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finstance.core import clients
from finstance.core.http.deps import context
from finstance.core.http.responses import COMMON, NOT_FOUND, json_response
from finstance.pay import sessions

TOKEN_LIFETIME = timedelta(seconds=599)  # the V2 session pages' figure (the authorize page says 299)
Authorization = Annotated[
    str | None, Header(alias="Authorization", description="Basic or Bearer credentials")
]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="The same key and body give back the same session"),
]
SessionId = Annotated[str, Path(alias="sessionId", max_length=100)]

router = APIRouter(prefix="/pay/api", tags=["Pay"])
FOUND = {**COMMON, **NOT_FOUND}
_ACCOUNT = {
    "type": "object",
    "properties": {
        "institutionCode": {"type": "string", "pattern": "^[0-9]{3}$"},
        "transitNumber": {"type": "string", "pattern": "^[0-9]{5}$"},
        "accountNumber": {"type": "string", "pattern": "^[0-9]{7,12}$"},
    },
    "required": ["institutionCode", "transitNumber", "accountNumber"],
}
PAYOR_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                        "amount": {"type": "number", "minimum": 0.01, "maximum": 100000},
                    },
                    "required": ["username", "password"],
                }
            }
        },
    }
}
SESSION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "referenceId": {"type": "string", "maxLength": 100},
                        "type": {"type": "string", "enum": ["EFT", "e-Transfer"]},
                        "direction": {"type": "string", "enum": ["DEBIT", "CREDIT"]},
                        "currency": {"type": "string", "enum": ["CAD"]},
                        "amount": {"type": "number", "minimum": 0.01, "maximum": 100000},
                        "options": {"type": "object"},
                        "payor": {
                            "type": "object",
                            "properties": {
                                "firstName": {"type": "string", "maxLength": 100},
                                "lastName": {"type": "string", "maxLength": 100},
                                "middleName": {"type": "string", "maxLength": 100},
                                "email": {"type": "string", "format": "email"},
                            },
                            "required": ["firstName", "lastName"],
                        },
                        "payee": {"type": "object", "properties": {"account": _ACCOUNT}},
                    },
                    "required": ["type", "direction", "payor"],
                }
            }
        },
    }
}


def _json(value: Any) -> Response:
    return Response(orjson.dumps(value, default=str), media_type="application/json")


@router.post(
    "/v1/authorize", summary="A Bearer token for an API client of Pay (client credentials)", responses=COMMON
)
async def authorize(request: Request, authorization: Authorization = None) -> Response:
    ctx, body = context(request), await request.body()
    issued = await run_in_threadpool(clients.token_request, ctx, "pay", authorization, body, TOKEN_LIFETIME)
    return json_response(issued.body(), headers={"Cache-Control": "no-store"})


@router.post(
    "/v2/sessions",
    summary="Create an EFT, Guaranteed EFT or e-Transfer session",
    openapi_extra=SESSION_BODY,
    responses=COMMON,
)
async def create_session(
    request: Request, authorization: Authorization = None, idempotency_key: IdempotencyKey = None
) -> Response:
    ctx = context(request)
    raw = await request.body()
    created = await run_in_threadpool(sessions.create, ctx, authorization, raw, idempotency_key)
    return json_response(
        created.session, headers={"Idempotent-Replayed": "true"} if created.replayed else None
    )


@router.get(
    "/v2/sessions/{sessionId}/status", summary="A session's status and statusDetails", responses=FOUND
)
def session_status(request: Request, session_id: SessionId) -> Response:
    return _json(sessions.status(context(request), session_id))


@router.get("/v2/sessions/{sessionId}/details", summary="A session's details", responses=FOUND)
def session_details(request: Request, session_id: SessionId, authorization: Authorization = None) -> Response:
    return _json(sessions.details(context(request), authorization, session_id))


@router.post(
    "/sandbox/sessions/{sessionId}/payor",
    summary="Sandbox: play the payor's flow as a test user (Happy1, Unhappy1, ...) would end it",
    openapi_extra=PAYOR_BODY,
    responses=FOUND,
)
async def sandbox_payor(
    request: Request, session_id: SessionId, authorization: Authorization = None
) -> Response:
    ctx = context(request)
    raw = await request.body()
    return _json(await run_in_threadpool(sessions.sandbox_payor, ctx, authorization, session_id, raw))


@router.post(
    "/v2/sessions/{sessionId}/cancel", summary="Cancel a session under way (EFT0501)", responses=FOUND
)
def cancel_session(request: Request, session_id: SessionId, authorization: Authorization = None) -> Response:
    return _json(sessions.cancel(context(request), authorization, session_id))
