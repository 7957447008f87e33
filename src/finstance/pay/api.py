"""Pay's routes on a Canadian instance, under ``/pay`` (the instance's counterpart of Flinks' payments host):
``POST /pay/api/v1/authorize`` (client credentials, a token of 599 s that starts one session), the V2
sessions, the settlement's CPA-005 files, and a sandbox's controls. A U.S. instance answers every ``/pay``
path with METHOD_NOT_AVAILABLE (core/http/app.py)."""

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
from finstance.pay import files, sandbox, sessions
from finstance.pay.eft import base_url

TOKEN_LIFETIME = timedelta(seconds=599)  # the V2 session pages' figure (the authorize page says 299)
Authorization = Annotated[
    str | None, Header(alias="Authorization", description="Basic or Bearer credentials")
]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="The same key and body give back the same session"),
]
SessionId = Annotated[str, Path(alias="sessionId", max_length=100)]
FileDate = Annotated[str, Path(alias="fileDate", max_length=10, description="YYYY-MM-DD")]

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


def _body(properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """OpenAPI's description of a route's JSON request body: the route reads the raw bytes itself."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


_AMOUNT = {"type": "number", "minimum": 0.01, "maximum": 100000}
PAYOR_BODY = _body(
    {"username": {"type": "string"}, "password": {"type": "string"}, "amount": _AMOUNT},
    ("username", "password"),
)
SIMULATE_BODY = _body(
    {
        "event": {"type": "string", "enum": list(sandbox.FORCED)},
        "returnCode": {"type": "string", "pattern": "^9[0-9]{2}$"},
        "statusDetails": {"type": "string", "enum": ["EFT0401", "EFT0402", "EFT0403", "EFT0404"]},
    },
    ("event",),
)
CLOCK_BODY = _body(
    {
        "to": {"type": "string", "format": "date-time"},
        **{unit: {"type": "integer", "minimum": 0} for unit in ("days", "hours", "minutes")},
    }
)
_NAME = {"type": "string", "maxLength": 100}
SESSION_BODY = _body(
    {
        "referenceId": {"type": "string", "maxLength": 100},
        "type": {"type": "string", "enum": ["EFT", "e-Transfer"]},
        "direction": {"type": "string", "enum": ["DEBIT", "CREDIT"]},
        "currency": {"type": "string", "enum": ["CAD"]},
        "amount": _AMOUNT,
        "options": {"type": "object"},
        "payor": {
            "type": "object",
            "properties": {
                "firstName": _NAME,
                "lastName": _NAME,
                "middleName": _NAME,
                "email": {"type": "string", "format": "email"},
            },
            "required": ["firstName", "lastName"],
        },
        "payee": {"type": "object", "properties": {"account": _ACCOUNT}},
    },
    ("type", "direction", "payor"),
)


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
    return _json(await run_in_threadpool(sandbox.payor, ctx, authorization, session_id, raw))


@router.post(
    "/sandbox/sessions/{sessionId}/simulate",
    summary="Sandbox: force a return (with its CPA code), a decline or a failure on a session's money",
    openapi_extra=SIMULATE_BODY,
    responses=FOUND,
)
async def sandbox_simulate(
    request: Request, session_id: SessionId, authorization: Authorization = None
) -> Response:
    ctx = context(request)
    raw = await request.body()
    return _json(await run_in_threadpool(sandbox.simulate, ctx, authorization, session_id, raw))


@router.post(
    "/sandbox/paymentrequests/{requestId}/simulate",
    summary="Sandbox: force a return (with its CPA code) on a payment of an EFT V1 schedule",
    openapi_extra=_body(
        {"event": {"type": "string", "enum": ["return"]}, "returnCode": {"type": "string"}},
        ("event", "returnCode"),
    ),
    responses=FOUND,
)
async def sandbox_simulate_request(
    request: Request,
    request_id: Annotated[str, Path(alias="requestId", max_length=100)],
    authorization: Authorization = None,
) -> Response:
    ctx = context(request)
    raw = await request.body()
    base = base_url(request)
    return _json(await run_in_threadpool(sandbox.simulate_request, ctx, authorization, request_id, raw, base))


@router.get("/sandbox/clock", summary="Sandbox: the Pay clock's time", responses=COMMON)
def sandbox_clock(request: Request, authorization: Authorization = None) -> Response:
    return _json(sandbox.clock_now(context(request), authorization))


@router.post(
    "/sandbox/clock",
    summary="Sandbox: move the Pay clock forward and settle what it makes due",
    openapi_extra=CLOCK_BODY,
    responses=COMMON,
)
async def sandbox_advance_clock(request: Request, authorization: Authorization = None) -> Response:
    ctx = context(request)
    raw = await request.body()
    return _json(await run_in_threadpool(sandbox.advance_clock, ctx, authorization, raw))


@router.get("/v1/settlement/files", summary="The CPA-005 files settlement wrote", responses=COMMON)
def settlement_files(request: Request, authorization: Authorization = None) -> Response:
    return _json(files.listing(context(request), authorization))


@router.get(
    "/v1/settlement/files/{fileDate}",
    summary="One day's CPA-005 file, as written",
    responses={**FOUND, 200: {"content": {"text/plain": {}}}},
)
def settlement_file(request: Request, file_date: FileDate, authorization: Authorization = None) -> Response:
    content = files.download(context(request), authorization, file_date)
    return Response(
        content,
        media_type="text/plain; charset=us-ascii",
        headers={"Content-Disposition": f'attachment; filename="cpa005-{file_date}.txt"'},
    )


@router.post(
    "/v2/sessions/{sessionId}/guarantees/confirm",
    summary="Accept (true) or reject (false) the guarantee a GuaranteeIssued webhook announced",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "boolean"}}}}
    },
    responses=FOUND,
)
async def confirm_guarantee(
    request: Request, session_id: SessionId, authorization: Authorization = None
) -> Response:
    ctx = context(request)
    raw = await request.body()
    return _json(await run_in_threadpool(sessions.confirm_guarantee, ctx, authorization, session_id, raw))


@router.post(
    "/v2/sessions/{sessionId}/cancel", summary="Cancel a session under way (EFT0501)", responses=FOUND
)
def cancel_session(request: Request, session_id: SessionId, authorization: Authorization = None) -> Response:
    return _json(sessions.cancel(context(request), authorization, session_id))
