"""EFT API V1's routes on a Canadian instance, under ``/pay/api/v1`` (reference 6.3b): transactions,
schedules, PAD agreements, contacts, payment requests, institutions and purpose categories.

A call authenticates with a Bearer token from ``/pay/api/v1/authorize`` (not spent: only a V2 session spends
one), or with ``x-client-id`` and ``x-api-key`` (the client's secret). Everything a client creates is its own:
another client of the instance, or another instance, gets 404 for its ids.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finstance.core import clients
from finstance.core.http.deps import context
from finstance.core.http.responses import COMMON, NOT_FOUND, json_response
from finstance.pay import catalog, contacts, pads, payments, schedules

Authorization = Annotated[str | None, Header(alias="Authorization", description="Bearer token")]
ClientId = Annotated[str | None, Header(alias="x-client-id", description="The API client's id")]
ApiKey = Annotated[str | None, Header(alias="x-api-key", description="The API client's secret")]
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="The same key and body give back the same schedule"),
]

router = APIRouter(prefix="/pay/api/v1", tags=["Pay: EFT API V1"])
FOUND = {**COMMON, **NOT_FOUND}
_ACCOUNT_INFO = {
    "type": "object",
    "properties": {
        "accountId": {"type": "string", "format": "uuid"},
        "institutionCode": {"type": "string", "pattern": "^[0-9]{3}$"},
        "transitNumber": {"type": "string", "pattern": "^[0-9]{5}$"},
        "accountNumber": {"type": "string", "pattern": "^[0-9]{7,12}$"},
    },
}
_CONTACT_INFO = {
    "type": "object",
    "properties": {
        "contactId": {"type": "string", "format": "uuid"},
        **{f: {"type": "string", "maxLength": 100} for f in ("firstName", "lastName", "legalName")},
        "email": {"type": "string", "format": "email"},
    },
}
_PARTY = {
    "type": "object",
    "nullable": True,
    "properties": {"accountInfo": _ACCOUNT_INFO, "contactInfo": _CONTACT_INFO},
    "required": ["accountInfo"],
}
TRANSACTION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                        "type": "object",
                        "properties": {
                            "transactionCode": {"type": "integer", "example": 450},
                            "amount": {"type": "number", "minimum": 0.01, "maximum": 100000},
                            "paymentDirection": {"type": "string", "enum": ["DEBIT", "CREDIT"]},
                            "currency": {"type": "string", "enum": ["CAD"]},
                            "description": {"type": "string", "maxLength": 15},
                            "crossReferenceNumber": {
                                "type": "string",
                                "maxLength": 36,
                                "pattern": "^[A-Za-z0-9-]+$",
                            },
                            "payor": _PARTY,
                            "payee": _PARTY,
                            "scheduleInfo": {
                                "type": "object",
                                "properties": {
                                    "paymentFrequency": {
                                        "type": "string",
                                        "enum": list(schedules.FREQUENCIES),
                                    },
                                    "startDate": {"type": "string", "format": "date"},
                                    "endDate": {"type": "string", "format": "date"},
                                    "transactionsCount": {"type": "integer", "minimum": 1, "maximum": 300},
                                },
                                "required": ["paymentFrequency", "startDate"],
                            },
                        },
                        "required": ["transactionCode", "amount", "paymentDirection", "scheduleInfo"],
                    },
                }
            }
        },
    }
}


def base_url(request: Request) -> str:
    """The instance's address as the caller reached it: a padLink opens on it."""
    return str(request.base_url).rstrip("/")


async def caller(
    request: Request, authorization: Authorization = None, client_id: ClientId = None, api_key: ApiKey = None
) -> str:
    """The API client a call comes from (its Bearer token, or its id and secret); 401 otherwise."""
    ctx = context(request)
    return await run_in_threadpool(clients.authenticate_key, ctx, "pay", authorization, client_id, api_key)


Caller = Annotated[str, Depends(caller)]


@router.post(
    "/transactions",
    summary="Create one EFT transaction: a one-time or recurring schedule (a JSON array of one object)",
    openapi_extra=TRANSACTION_BODY,
    responses=COMMON,
)
async def create_transaction(
    request: Request,
    client: Caller,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    ctx = context(request)
    raw = await request.body()
    created = await run_in_threadpool(schedules.create, ctx, client, raw, idempotency_key)
    return json_response(created.body, headers={"Idempotent-Replayed": "true"} if created.replayed else None)


@router.get(
    "/schedules/{scheduleId}", summary="A schedule, its PAD agreement's id and its payments", responses=FOUND
)
async def get_schedule(
    request: Request,
    schedule_id: Annotated[str, Path(alias="scheduleId", max_length=100)],
    client: Caller,
) -> Response:
    return json_response(await run_in_threadpool(schedules.get, context(request), client, schedule_id))


@router.post(
    "/schedules/{scheduleId}/cancel",
    summary="Cancel a schedule: every payment not yet sent is stopped (an empty 200)",
    responses=FOUND,
)
async def cancel_schedule(
    request: Request,
    schedule_id: Annotated[str, Path(alias="scheduleId", max_length=100)],
    client: Caller,
) -> Response:
    await run_in_threadpool(schedules.cancel, context(request), client, schedule_id)
    return Response(status_code=200)


@router.get("/pads/{padId}", summary="A PAD agreement, with the padLink its payor signs at", responses=FOUND)
async def get_pad(
    request: Request,
    pad_id: Annotated[str, Path(alias="padId", max_length=100)],
    client: Caller,
) -> Response:
    pad = await run_in_threadpool(pads.get, context(request), client, pad_id, base_url(request))
    return json_response(pad)


@router.get("/contacts/{contactId}", summary="A contact and its EFT accounts (accountId)", responses=FOUND)
async def get_contact(
    request: Request,
    contact_id: Annotated[str, Path(alias="contactId", max_length=100)],
    client: Caller,
) -> Response:
    return json_response(await run_in_threadpool(contacts.get, context(request), client, contact_id))


@router.get("/paymentrequests/{requestId}", summary="A payment request's status", responses=FOUND)
async def get_payment_request(
    request: Request,
    request_id: Annotated[str, Path(alias="requestId", max_length=100)],
    client: Caller,
    refresh_status: Annotated[bool, Query(alias="refreshStatus")] = False,  # every read is fresh
) -> Response:
    ctx = context(request)
    return json_response(await run_in_threadpool(payments.get, ctx, client, request_id, base_url(request)))


@router.post(
    "/paymentrequests/{requestId}/cancel",
    summary="Cancel a payment request before it is sent (Cancelled, EFT0501)",
    responses=FOUND,
)
async def cancel_payment_request(
    request: Request,
    request_id: Annotated[str, Path(alias="requestId", max_length=100)],
    client: Caller,
) -> Response:
    ctx = context(request)
    return json_response(await run_in_threadpool(payments.cancel, ctx, client, request_id, base_url(request)))


@router.get(
    "/institutions",
    summary="The institutions EFT reaches, by institution number",
    responses=COMMON,
    dependencies=[Depends(caller)],
)
async def institutions() -> Response:
    return json_response(catalog.institutions())


@router.get(
    "/purposecategories/{direction}",
    summary="The purpose codes (transactionCode) of Debit or Credit transactions",
    responses=COMMON,
    dependencies=[Depends(caller)],
)
async def purpose_categories(direction: Annotated[str, Path(max_length=10)]) -> Response:
    return json_response(catalog.purpose_categories(catalog.direction_of(direction)))
