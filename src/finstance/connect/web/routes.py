"""The Connect pages of an instance, under ``/v2/`` (and ``/`` for a browser): parse, call the flow, render.

They answer HTML, never a JSON error: whatever goes wrong is a screen the end-user can read, and an event
the embedding page can act on. Every step is post/redirect/get: ``POST /v2/flow/{id}`` acts and answers 303
to ``GET /v2/flow/{id}``, which renders the flow's current screen; so a reload or Back re-reads a page
instead of resubmitting a form. A flow this instance does not know answers 404, an expired one 410.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from finstance.connect.web import options as connect_options
from finstance.connect.web.flow import SUCCESS, Flow, Screen
from finstance.connect.web.options import ConnectOptions
from finstance.connect.web.pages import HEADERS, flow_url, render
from finstance.core.http.deps import context
from finstance.core.http.responses import json_response
from finstance.sandbox.institutions import find_institution

router = APIRouter(include_in_schema=False)

MAX_FIELD = 1000


def _page(request: Request, screen: Screen) -> Response:
    ctx = context(request)
    action = flow_url(screen.flow_id) if screen.flow_id else "/v2/"
    html = render(screen, action, company=ctx.spec.name)
    return HTMLResponse(html, status_code=screen.status, headers=HEADERS)


def _flow(request: Request) -> Flow:
    return Flow(context(request), str(request.base_url))


def _clean(value: str) -> str:
    """A field as the flow may use it: bounded, and empty when it holds a NUL (no store takes one in text)."""
    return "" if "\x00" in value else value[:MAX_FIELD]


async def start(request: Request) -> Response:
    query = {k: _clean(v) for k, v in request.query_params.items()}
    parsed = connect_options.parse(query)
    screen = await run_in_threadpool(_flow(request).start, parsed)
    return _page(request, screen)


router.add_api_route("/v2/", start, methods=["GET"])
router.add_api_route("/v2", start, methods=["GET"])


@router.get("/v2/flow/{flow_id}")
async def show(request: Request, flow_id: str) -> Response:
    """The flow's current screen (after a step's redirect, a reload, Back, or the address opened anew)."""
    screen = await run_in_threadpool(_flow(request).show, flow_id[:100])
    return _page(request, screen)


@router.post("/v2/flow/{flow_id}")
async def act(request: Request, flow_id: str) -> Response:
    raw = (await request.body()).decode("utf-8", errors="replace")
    form = {k: [_clean(v) for v in vs] for k, vs in parse_qs(raw, keep_blank_values=True).items()}
    screen = await run_in_threadpool(_flow(request).act, flow_id[:100], form)
    if screen.flow_id is None:  # unknown or expired: its error screen, here and now
        return _page(request, screen)
    # 303: the browser GETs the screen, so history holds no form post to resubmit
    return RedirectResponse(flow_url(screen.flow_id), status_code=303, headers=HEADERS)


@router.get("/v2/Result/{institution}")
async def result(request: Request, institution: str) -> Response:
    """The thank-you page a connection without redirectUrl lands on."""
    parsed = connect_options.parse({k: _clean(v) for k, v in request.query_params.items()})
    options = parsed.options if not parsed.problems else ConnectOptions()
    found = find_institution(context(request).spec.country, institution[:100])
    return _page(request, Screen(SUCCESS, options, institution=found))


@router.get("/")
async def root(request: Request) -> Response:
    """A browser gets the Connect page (the v1 address of Connect); a client, where the APIs are."""
    if wants_html(request):
        return await start(request)
    spec = context(request).spec
    base = str(request.base_url).rstrip("/")
    return json_response(
        {
            "Instance": spec.name,
            "Country": spec.country.value,
            "CustomerId": spec.customer_id,
            "Sandbox": spec.sandbox,
            "Api": f"{base}/v3/{spec.customer_id}/BankingServices",
            "OpenApi": "/openapi.json",
            "Connect": f"{base}/v2/",
        }
    )


def wants_html(request: Request) -> bool:
    """A browser asking for a page (Accept: text/html), rather than a client asking for data."""
    return "text/html" in request.headers.get("accept", "")
