"""The upload page of an instance, Connect's upload mode: ``/v2/Upload`` (the Connect URL with ``/Upload``
appended), also reached from Connect's sign-in screens after a login error (``/v2/Upload?flow={flowId}``).

It answers HTML, never a JSON error. ``GET /v2/Upload`` checks what opened it (an authorize token, as
Connect does, or none on a sandbox instance; or an open Connect flow) and hands out a signed ticket; the form
posts the files to ``/v2/Upload/{ticket}`` (with a progress bar when scripts run), which answers 303 to the
upload's status page, ``/v2/Upload/{ticket}/{uploadId}``: each file's status, then the ``REDIRECT`` event
with the loginId, as Connect sends it, and the redirect to ``redirectUrl``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, RedirectResponse, Response

from finstance.connect import intake
from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.http.deps import context
from finstance.core.http.pages import embedded_headers, script_json, templates
from finstance.upload import uploads, wire
from finstance.upload.documents import MAX_FILES
from finstance.upload.web import tickets
from finstance.upload.web.text import reason, text
from finstance.upload.web.tickets import PageOptions

router = APIRouter(include_in_schema=False)

HEADERS = embedded_headers(connect_self=True)  # its script sends the files itself
ACCEPT = ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.ofx,.qfx,.csv"
READ_WAIT = 20.0  # seconds a status page waits for the upload to be read before it refreshes itself


TEMPLATES = Path(__file__).parent / "templates"


def _event(options: PageOptions, step: str, **data: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"step": step, **data}
    if options.tag is not None:
        event["tag"] = options.tag
    return event


def _page(
    screen: str,
    options: PageOptions,
    *,
    status: int = 200,
    events: list[dict[str, Any]] | None = None,
    action: str = "",
    state: wire.UploadState | None = None,
    error: str | None = None,
    restart: str | None = None,
    redirect: str | None = None,
    refresh: str | None = None,
) -> Response:
    lang = options.language
    navigation = {
        "url": redirect,
        "mode": ("inner" if options.inner_redirect else "top") if redirect else None,
    }
    html = (
        templates(TEMPLATES)
        .get_template("upload.html")
        .render(
            screen=screen, lang=lang, t=lambda key: text(lang, key), action=action, state=state, error=error,
            why=lambda r: reason(lang, r.code, r.message),
            restart=restart, redirect=redirect, refresh=refresh, accept=ACCEPT, max_files=MAX_FILES,
            events_json=script_json(events or []), navigation_json=script_json(navigation),
        )
    )  # fmt: skip
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _refused(options: PageOptions, status: int, key: str = "refused") -> Response:
    return _page("refused", options, status=status, error=text(options.language, key))


def _language(value: str | None) -> str:
    return value.lower() if value and value.lower() in ("en", "fr") else "en"


def _redirect_url(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(value) > 2000:
        raise ValueError(value)
    return value


def _open(ctx: InstanceContext, query: dict[str, str]) -> PageOptions | Response:
    """The page's options, once what opened it is checked; or the page that refuses it."""
    flow = query.get("flow")
    language = _language(query.get("language"))
    if flow:
        found = intake.flow_options(ctx, flow[:100])
        if found is None:
            return _refused(PageOptions(language), 410, "expired")
        return PageOptions(
            language=_language(found["language"]), redirect_url=found["redirect_url"],
            inner_redirect=found["inner_redirect"], tag=found["tag"],
        )  # fmt: skip
    try:
        redirect = _redirect_url(query.get("redirecturl"))
    except ValueError:
        return _refused(PageOptions(language), 400)
    options = PageOptions(
        language=language, redirect_url=redirect,
        inner_redirect=query.get("innerredirect", "").lower() == "true", tag=query.get("tag") or None,
    )  # fmt: skip
    token = query.get("authorizetoken")
    if token:
        try:
            intake.spend_authorize_token(ctx, token[:200])
        except errors.AccessDenied:
            return _refused(options, 401)
    elif not ctx.spec.sandbox:
        return _refused(options, 401)
    return options


def _form(
    options: PageOptions, ticket: str, *, events: list[dict[str, Any]], error: str | None = None
) -> Response:
    return _page(
        "form",
        options,
        status=400 if error else 200,
        events=events,
        action=f"/v2/Upload/{ticket}",
        error=error,
    )


async def start(request: Request) -> Response:
    ctx = context(request)
    query = {k.lower(): v[:2000] for k, v in request.query_params.items() if "\x00" not in v}
    opened = await run_in_threadpool(_open, ctx, query)
    if isinstance(opened, Response):
        return opened
    ticket = tickets.issue(ctx, opened)
    loaded = _event(opened, "COMPONENT_LOAD_UPLOAD")
    # From a Connect flow, the widget was mounted already: only the new screen is announced.
    events = [loaded] if "flow" in query else [_event(opened, "APP_MOUNTED"), loaded]
    return _form(opened, ticket, events=events)


for path in ("/v2/Upload", "/v2/Upload/", "/v2/upload", "/v2/upload/"):
    router.add_api_route(path, start, methods=["GET"])


def _ticket(ctx: InstanceContext, ticket: str) -> tickets.Ticket | None:
    return tickets.read(ctx, ticket, ctx.clock.now(), ctx.settings.authorize_token_ttl)


@router.get("/v2/Upload/{ticket}")
async def again(request: Request, ticket: str) -> Response:
    """The form again (after files that could not be read), while the ticket lasts."""
    found = _ticket(context(request), ticket)
    if found is None:
        return _refused(PageOptions(), 410, "expired")
    return _form(found.options, ticket, events=[_event(found.options, "COMPONENT_LOAD_UPLOAD")])


async def _files(request: Request) -> list[uploads.File]:
    try:
        form = await request.form(max_files=MAX_FILES + 1, max_fields=20)
    except (HTTPException, ValueError):
        return []
    try:
        found = []
        for _, value in form.multi_items():
            if isinstance(value, UploadFile) and value.filename:
                found.append(uploads.File(value.filename, await value.read()))
        return found
    finally:
        await form.close()


@router.post("/v2/Upload/{ticket}")
async def send(request: Request, ticket: str) -> Response:
    ctx = context(request)
    found = _ticket(ctx, ticket)
    if found is None:
        return _refused(PageOptions(), 410, "expired")
    options = found.options
    files = await _files(request) if request.headers.get("content-type", "").startswith("multipart/") else []
    if not files:
        return _form(options, ticket, events=[], error=text(options.language, "missing"))
    try:
        state = await run_in_threadpool(
            lambda: uploads.create(ctx, files, source="connect", language=options.language, page=found.nonce)
        )
    except errors.FlinksError as exc:
        return _form(options, ticket, events=[], error=exc.message)
    # e=1: the status page posts its load event, and REDIRECT once the files are read (e=2 when it refreshes
    # itself while they are read); its script then drops the parameter, so a reload posts nothing again.
    return RedirectResponse(f"/v2/Upload/{ticket}/{state.upload_id}?e=1", status_code=303, headers=HEADERS)


def _with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@router.get("/v2/Upload/{ticket}/{upload_id}")
async def status(request: Request, ticket: str, upload_id: str) -> Response:
    ctx = context(request)
    found = _ticket(ctx, ticket)
    if found is None:
        return _refused(PageOptions(), 410, "expired")
    options = found.options
    try:
        state = await run_in_threadpool(lambda: uploads.state(ctx, upload_id[:100], page=found.nonce))
        if state.status == "Pending":
            state = await run_in_threadpool(lambda: uploads.read_now(ctx, state.upload_id, timeout=READ_WAIT))
    except errors.NotFound:
        return _refused(options, 404)
    due = request.query_params.get("e")
    events = [_event(options, "COMPONENT_LOAD_UPLOAD_STATUS")] if due == "1" else []
    if state.status == "Pending":
        return _page("status", options, events=events, state=state, refresh="?e=2" if due else "?")
    if state.status == "Failed":
        return _page("status", options, events=events, state=state, restart=f"/v2/Upload/{ticket}")
    params = {"loginId": state.login_id, "institution": intake.UPLOADED}
    if options.tag is not None:
        params["tag"] = options.tag
    url = _with_query(options.redirect_url, params) if options.redirect_url else None
    if due:
        events.append(
            _event(options, "REDIRECT", loginId=state.login_id, institution=intake.UPLOADED, url=url)
        )
    return _page("status", options, events=events, state=state, redirect=url)
