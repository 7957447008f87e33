"""The payment widget's address on the instance, ``/pay/app/?sessionId=...`` (Flinks' ``/app/?sessionId=``):
its pages, and the form posts that move the flow (pay/widget.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from finstance.core.http.deps import context
from finstance.core.http.pages import embedded_headers, script_json, templates
from finstance.pay import widget
from finstance.pay.web.text import dollars, text

HEADERS = embedded_headers()  # the widget is embedded in the client's page
BANK = "Flinks Capital"
SessionId = Annotated[str, Query(alias="sessionId", max_length=100)]
Language = Annotated[str, Query(alias="lang", max_length=5)]

router = APIRouter(prefix="/pay/app", tags=["Pay widget"], include_in_schema=False)


def render(page: widget.Page) -> Response:
    if page.redirect is not None:
        return RedirectResponse(page.redirect, status_code=303, headers=HEADERS)
    lang = page.language
    error = text(lang, page.error) if page.error else None
    html = (
        templates(Path(__file__).parent / "templates")
        .get_template("pay.html")
        .render(
            page=page,
            action=widget.url(page.session_id, lang),
            bank=BANK,
            error=error,
            events_json=script_json(page.events),
            dollars=lambda cents: dollars(cents, lang),
            t=lambda key, **values: text(lang, key, **values),
        )
    )
    return HTMLResponse(html, status_code=page.status_code, headers=HEADERS)


@router.get("/")
async def show(
    request: Request, session_id: SessionId = "", language: Language = "en", posted: str | None = None
) -> Response:
    page = await run_in_threadpool(widget.Widget(context(request)).show, session_id, language, posted)
    return render(page)


@router.post("/")
async def act(request: Request, session_id: SessionId = "", language: Language = "en") -> Response:
    raw = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items() if v}
    form["lang"] = language  # the page's language rides in the form's address, as in the page's own
    page = await run_in_threadpool(widget.Widget(context(request)).act, session_id, form)
    return render(page)
