"""The PAD agreement page, ``/pay/pad/{padId}`` (an EFT V1 agreement's ``padLink``): the payor reads the
terms and signs them (pay/pads.py). It may be embedded as the payment widget is, and posts Flinks-style events
to its host: ``APP_MOUNTED`` when shown, ``SUCCESS`` once signed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from finstance.core import errors
from finstance.core.http.deps import context
from finstance.core.http.pages import embedded_headers, script_json, templates
from finstance.pay import pads
from finstance.pay.web.text import dollars, text

HEADERS = embedded_headers()
Language = Annotated[str, Query(alias="lang", max_length=5)]

router = APIRouter(prefix="/pay/pad", tags=["Pay PAD agreement"], include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Page:
    language: str
    events: list[dict[str, Any]] = field(default_factory=list)


def _language(value: str) -> str:
    return value if value in ("en", "fr") else "en"


def render(
    pad: pads.Agreement | None,
    lang: str,
    *,
    error: str | None = None,
    status: int = 200,
    step: str | None = None,
) -> Response:
    events = [] if pad is None or step is None else [{"step": step, "padId": pad.pad_id}]
    html = (
        templates(Path(__file__).parent / "templates")
        .get_template("pad.html")
        .render(
            page=Page(lang, events),
            pad=pad,
            action="?" + urlencode({"lang": lang}),
            error=None if error is None else text(lang, error),
            events_json=script_json(events),
            dollars=lambda cents: dollars(cents, lang),
            t=lambda key, **values: text(lang, key, **values),
        )
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


@router.get("/{pad_id}")
async def show(request: Request, pad_id: str, language: Language = "en") -> Response:
    lang = _language(language)
    try:
        pad = await run_in_threadpool(pads.agreement, context(request), pad_id)
    except errors.NotFound:
        return render(None, lang, status=404)
    return render(pad, lang, step="APP_MOUNTED" if pad.status == pads.SIGNABLE else None)


@router.post("/{pad_id}")
async def sign(request: Request, pad_id: str, language: Language = "en") -> Response:
    lang = _language(language)
    ctx = context(request)
    raw = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items() if v}
    try:
        if form.get("agreement") != "yes":
            pad = await run_in_threadpool(pads.agreement, ctx, pad_id)
            return render(pad, lang, error="agreement", status=400)
        signed = await run_in_threadpool(pads.sign, ctx, pad_id)
    except errors.NotFound:
        return render(None, lang, status=404)
    except errors.InvalidRequest:  # no longer pending: show it as it stands
        return render(await run_in_threadpool(pads.agreement, ctx, pad_id), lang, status=409)
    return render(signed, lang, step="SUCCESS")
