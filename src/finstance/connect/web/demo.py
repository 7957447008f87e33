"""The demo host page of a sandbox instance (``/demo``): the whole Connect flow, seen from the integrator.

It plays the integrator's two halves. Its server half mints an authorize token for the embedded Connect
page; its browser half lists the events Connect posts, and on ``REDIRECT`` asks its server half to open a
cached session with the loginId and read the accounts the end-user shared (the event's ``accountId``, as
``AccountsFilter``), polling 202 as an integrator would. The server half calls the same services as the
API, with no keys, so it exists on sandbox instances only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from finstance.connect import data, sessions, tokens, wire
from finstance.connect.web.pages import environment, script_json
from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.http.deps import context
from finstance.core.http.responses import json_response

router = APIRouter(include_in_schema=False)

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}


def _sandbox(request: Request) -> InstanceContext:
    ctx = context(request)
    if not ctx.spec.sandbox:
        raise errors.NotFound("The demo page exists on sandbox instances only.")
    return ctx


@router.get("/demo")
async def demo(request: Request) -> Response:
    ctx = _sandbox(request)
    language = "fr" if request.query_params.get("language", "").lower() == "fr" else "en"
    token = await run_in_threadpool(tokens.mint, ctx)
    base = str(request.base_url).rstrip("/")
    params = {
        "demo": "true",
        "authorizeToken": token,
        "redirectUrl": f"{base}/demo",
        "jsRedirect": "true",
        "accountSelectorEnable": "true",
        "customerName": "Demo App",
        "tag": "demo",
        "language": language,
    }
    html = (
        environment()
        .get_template("demo.html")
        .render(
            instance=ctx.spec.name,
            country=ctx.spec.country.value,
            connect_url=f"/v2/?{urlencode(params)}",
            config=script_json({"language": language}),
        )
    )
    return HTMLResponse(html, headers=HEADERS)


def _open_session(ctx: InstanceContext, login_id: str) -> dict[str, Any]:
    token = tokens.mint(ctx)
    outcome = sessions.authorize(
        ctx, token, sessions.AuthorizeInput(login_id=login_id, most_recent_cached=True)
    )
    if outcome.error is not None:
        raise outcome.error
    return {"HttpStatusCode": 200, "RequestId": outcome.session.id}


MAX_FILTER = 50


def _accounts(
    ctx: InstanceContext, request_id: str, first: bool, accounts_filter: list[str] | None = None
) -> dict[str, Any]:
    """GetAccountsDetail: the first call sets the options (the shared accounts only), polls replay them."""
    options = wire.AccountsDetailRequest(
        request_id=request_id,
        with_kyc=True,
        with_account_identity=True,
        days_of_transactions="Days90",
        accounts_filter=accounts_filter,
    )
    return data.fetch(ctx, data.DETAIL, request_id, options if first else None)


def _accounts_filter(body: dict[str, Any]) -> list[str] | None:
    """``AccountsFilter``: the account ids the REDIRECT event carried, when the end-user chose some."""
    value = body.get("AccountsFilter")
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or not 0 < len(value) <= MAX_FILTER
        or not all(isinstance(v, str) and 0 < len(v) <= 100 for v in value)
    ):
        raise errors.InvalidRequest(f"AccountsFilter must be a list of 1 to {MAX_FILTER} account ids.")
    return value


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body is not JSON.") from None
    if not isinstance(body, dict):
        raise errors.InvalidRequest("The body must be a JSON object.")
    return body


@router.post("/demo/session")
async def open_session(request: Request) -> Response:
    ctx = _sandbox(request)
    login_id = (await _json(request)).get("LoginId")
    if not isinstance(login_id, str):
        raise errors.InvalidRequest("LoginId is required.")
    return json_response(await run_in_threadpool(_open_session, ctx, login_id[:100]))


@router.post("/demo/accounts/{request_id}")
async def accounts(request: Request, request_id: str) -> Response:
    ctx = _sandbox(request)
    body = await _json(request)
    first, accounts_filter = body.get("First") is True, _accounts_filter(body)
    return json_response(await run_in_threadpool(_accounts, ctx, request_id[:100], first, accounts_filter))
