"""The FDX v5 routes under ``/outbound/api/fdx/5``: authenticate the token, call the service
(:mod:`finstance.outbound.fdx`), answer JSON (or a statement's PDF) with Flinks' ``ob-correlation-id`` and
``ob-trace-id`` headers, and FDX error bodies ``{code, message, debugMessage}``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.security import HTTPBearer
from starlette.responses import Response

from finstance.core.http.deps import context
from finstance.core.http.responses import json_response
from finstance.outbound import fdx, wire

router = APIRouter(
    prefix="/outbound/api/fdx/5",
    tags=["Outbound: FDX v5"],
    dependencies=[Depends(HTTPBearer(auto_error=False, description="An access token of a consent"))],
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": wire.FdxError, "description": description}
    for status, description in {
        400: "Invalid Input (401), invalid dates (702, 703)",
        401: "Customer not authorized (602): no token, another instance's, expired, or a revoked consent",
        403: "Subscription not found (403): the consent lacks the scope",
        404: "Account not found (701), data not found (1107)",
        405: "Subsystem unavailable (501): statements on a U.S. instance",
        422: "Account type not supported (704)",
        500: "Internal server error (500): the provider could not retrieve the data",
        503: "Scheduled maintenance (503): the data is being retrieved; Retry-After says when to retry",
    }.items()
}


def _headers(request: Request) -> dict[str, str]:
    correlation = request.headers.get("ob-correlation-id") or request.headers.get("x-fapi-interaction-id")
    if not correlation or len(correlation) > 100 or not correlation.isprintable():
        correlation = str(uuid.uuid4())
    out = {"ob-correlation-id": correlation, "ob-trace-id": str(uuid.uuid4()), "Cache-Control": "no-store"}
    if request.headers.get("x-fapi-interaction-id"):
        out["x-fapi-interaction-id"] = correlation
    return out


def _answer(request: Request, call: Callable[[fdx.Grant], Any]) -> Response:
    headers = _headers(request)
    ctx = context(request)
    try:
        grant = fdx.authenticate(ctx, request.headers.get("authorization"))
        result = call(grant)
    except fdx.FdxError as exc:
        return json_response(exc.body(), exc.status, {**headers, **exc.headers})
    if isinstance(result, bytes):
        return Response(result, media_type="application/pdf", headers=headers)
    return json_response(result, 200, headers)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/accounts", summary="The consented accounts", response_model=wire.FdxAccounts, responses=_ERRORS)
def accounts(
    request: Request,
    account_ids: Annotated[str | None, Query(alias="accountIds", description="Comma-separated ids")] = None,
    result_type: Annotated[
        str | None, Query(alias="resultType", description="lightweight or details")
    ] = None,
    offset: Annotated[str | None, Query(description="Opaque cursor (one page holds every account)")] = None,
    limit: Annotated[str | None, Query(description="Page size")] = None,
) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.accounts(ctx, grant, account_ids, result_type))


AccountId = Annotated[str, Path(alias="accountId", description="An account of the consent")]


@router.get(
    "/accounts/{accountId}", summary="One consented account", response_model=dict[str, Any], responses=_ERRORS
)
def account(request: Request, account_id: AccountId) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.account(ctx, grant, account_id[:64]))


@router.get(
    "/accounts/{accountId}/transactions",
    summary="An account's transactions, newest first, in pages",
    response_model=wire.FdxTransactions,
    responses=_ERRORS,
)
def transactions(
    request: Request,
    account_id: AccountId,
    start_time: Annotated[str | None, Query(alias="startTime", description="YYYY-MM-DD (inclusive)")] = None,
    end_time: Annotated[str | None, Query(alias="endTime", description="YYYY-MM-DD (inclusive)")] = None,
    limit: Annotated[str | None, Query(description=f"Page size, 1 to {fdx.MAX_LIMIT}")] = None,
    offset: Annotated[str | None, Query(description="The nextOffset of the previous page")] = None,
) -> Response:
    ctx = context(request)
    return _answer(
        request,
        lambda grant: fdx.transactions(
            ctx,
            grant,
            account_id[:64],
            start_time=start_time,
            end_time=end_time,
            limit=limit,
            offset=offset,
            base_url=_base(request),
        ),
    )


@router.get(
    "/accounts/{accountId}/contact",
    summary="The account holder's contact (CUSTOMER_CONTACT)",
    response_model=dict[str, Any],
    responses=_ERRORS,
)
def contact(request: Request, account_id: AccountId) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.account_contact(ctx, grant, account_id[:64]))


@router.get(
    "/accounts/{accountId}/payment-networks",
    summary="How to pay into or from the account (ACCOUNT_PAYMENTS)",
    response_model=dict[str, Any],
    responses=_ERRORS,
)
def payment_networks(request: Request, account_id: AccountId) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.payment_networks(ctx, grant, account_id[:64]))


@router.get(
    "/accounts/{accountId}/statements",
    summary="The account's statements (STATEMENTS; Canadian instances)",
    response_model=wire.FdxStatements,
    responses=_ERRORS,
)
def statements(request: Request, account_id: AccountId) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.statements(ctx, grant, account_id[:64], _base(request)))


@router.get(
    "/accounts/{accountId}/statements/{statementId}",
    summary="One statement, as PDF",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "The statement"}, **_ERRORS},
)
def statement(
    request: Request, account_id: AccountId, statement_id: Annotated[str, Path(alias="statementId")]
) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.statement_pdf(ctx, grant, account_id[:64], statement_id))


@router.get(
    "/customers/current",
    summary="The end-user as this recipient knows them (CUSTOMER_PERSONAL or CUSTOMER_CONTACT)",
    response_model=dict[str, Any],
    responses=_ERRORS,
)
def current_customer(request: Request) -> Response:
    ctx = context(request)
    return _answer(request, lambda grant: fdx.current_customer(ctx, grant))
