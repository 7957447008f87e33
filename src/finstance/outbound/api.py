"""Outbound's authorization server routes under ``/outbound/api``: authorize (the consent pages), token,
revoke, and the recipient's administration (providers, recipients, registrations).

The OAuth endpoints answer RFC 6749 errors (``{error, error_description}``); the administration endpoints
take a client-credentials token with scope ``client:admin`` and answer RFC 6750 errors.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from finstance.core.context import InstanceContext
from finstance.core.http.deps import context
from finstance.core.http.responses import json_response
from finstance.outbound import consent, keys, oauth, recipients, tables, wire
from finstance.outbound.providers import ADMIN, data_inventory, providers
from finstance.outbound.tables import RegistrationStatus
from finstance.outbound.web.pages import headers, render

PREFIX = "/outbound"
router = APIRouter(prefix=PREFIX, tags=["Outbound: authorization"])
pages = APIRouter(prefix=PREFIX, include_in_schema=False)
bearer = HTTPBearer(auto_error=False, description="An access token of this instance (Bearer)")
Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_PARAM = 2000


def _oauth_error(status: int, error: str, description: str, *, challenge: bool = False) -> Response:
    extra = {"WWW-Authenticate": f'Bearer error="{error}"'} if challenge else {}
    return json_response({"error": error, "error_description": description}, status, {**NO_STORE, **extra})


def _err(description: str) -> dict[str, Any]:
    return {"model": wire.OAuthError, "description": description}


PROTECTED: dict[int | str, dict[str, Any]] = {
    401: _err("No token, or a token this instance did not issue, expired or revoked (invalid_token)"),
    403: _err("The token lacks the scope (insufficient_scope)"),
}


def _page(page: consent.Page) -> Response:
    if page.redirect is not None:
        return RedirectResponse(page.redirect, status_code=page.status, headers=headers(page))
    return HTMLResponse(render(page), status_code=page.status, headers=headers(page))


def _params(values: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k[:100]: [v[:MAX_PARAM] for v in vs if "\x00" not in v] for k, vs in values.items()}


def _request(request: Request, params: dict[str, list[str]]) -> oauth.Request:
    # Authlib refuses plain http URLs; the instance's own scheme is its deployment's business (TLS in front).
    uri = str(request.url.replace(scheme="https"))
    return oauth.Request(request.method, uri, request.headers, _params(params))


# -- authorize and the consent pages ----------------------------------------------------------------


@router.get(
    "/api/v1/authorize",
    summary="Start a consent: the end-user's browser is sent to the consent pages",
    response_class=HTMLResponse,
    responses={
        302: {"description": "Back to redirect_uri with an error (error, error_description, state)"},
        303: {"description": "To the consent pages"},
        400: {
            "description": "An invalid request whose redirect_uri cannot be trusted",
            "content": {"text/html": {}},
        },
        401: {"description": "An unknown client_id (invalid_client)", "content": {"text/html": {}}},
    },
    openapi_extra={"parameters": wire.AUTHORIZE_PARAMETERS},
)
async def authorize(request: Request) -> Response:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    oauth_request = _request(request, params)
    flows = consent.Consents(context(request))
    language = request.query_params.get("language", "en").lower()[:2]
    page = await run_in_threadpool(flows.start, oauth_request, language)
    if page.error_code == "invalid_client":
        page.status = 401
    return _page(page)


@pages.get("/consent/{flow_id}")
async def consent_show(request: Request, flow_id: str) -> Response:
    page = await run_in_threadpool(consent.Consents(context(request)).show, flow_id[:100])
    return _page(page)


@pages.post("/consent/{flow_id}")
async def consent_act(request: Request, flow_id: str) -> Response:
    raw = (await request.body()).decode("utf-8", errors="replace")
    form = _params(parse_qs(raw, keep_blank_values=True))
    page = await run_in_threadpool(consent.Consents(context(request)).act, flow_id[:100], form)
    return _page(page)


# -- token and revoke ---------------------------------------------------------------------------------


@router.post(
    "/api/v1/token",
    summary="Exchange a code, refresh, or get a client-credentials token",
    response_model=wire.TokenResponse,
    responses={
        400: _err("invalid_request, invalid_grant, invalid_scope, unsupported_grant_type, ..."),
        401: _err("invalid_client: unknown client or wrong secret"),
    },
    openapi_extra=wire.TOKEN_FORM,
)
async def token(request: Request) -> Response:
    raw = await request.body()
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":  # Flinks' own examples send JSON
        try:
            document = json.loads(raw or b"{}")
        except ValueError:
            return _oauth_error(400, "invalid_request", "The body is not valid JSON.")
        known = wire.TOKEN_PARAMETERS
        if not isinstance(document, dict) or any(
            not isinstance(document[k], str) for k in known & set(document)
        ):
            return _oauth_error(400, "invalid_request", "The body must be an object of strings.")
        params = {k: [v] for k, v in document.items() if isinstance(v, str)}  # other members are ignored
    else:
        params = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=False)
    oauth_request = _request(request, params)
    server = oauth.Server(context(request))
    try:
        result: oauth.Response = await run_in_threadpool(server.create_token_response, oauth_request)
    except ValueError:  # Authlib refuses to describe a parameter holding characters outside ASCII
        return _oauth_error(400, "invalid_request", "A parameter holds characters that are not allowed.")
    status = result.status
    if isinstance(result.body, dict) and result.body.get("error") == "invalid_client":
        status = 401  # RFC 6749 5.2: a client that failed to authenticate
    return json_response(result.body, status, {**dict(result.headers), **NO_STORE})


@router.delete(
    "/api/v1/revoke",
    summary="Revoke the connection (consent) of the access token presented",
    status_code=204,
    response_class=Response,
    responses={
        204: {"description": "Revoked: its access and refresh tokens are refused from now on"},
        400: _err("A token of no connection (client credentials): unsupported_token_type"),
        401: _err("No token, or one this instance did not issue, expired or already revoked"),
    },
)
def revoke(request: Request, credentials: Bearer) -> Response:
    ctx = context(request)
    claims = _claims(ctx, credentials)
    if claims is None:
        return _oauth_error(
            401, "invalid_token", "The access token is missing, invalid or expired.", challenge=True
        )
    if claims.consent_id is None:
        return _oauth_error(400, "unsupported_token_type", "This token is not the token of a connection.")
    with ctx.store.write() as db:
        row = db.get(tables.Consent, claims.consent_id)
        if row is None or row.revoked_at is not None or row.client_id != claims.client_id:
            return _oauth_error(401, "invalid_token", "This connection was already revoked.", challenge=True)
        row.revoked_at = ctx.clock.now()
        row.refresh_hash = None
    return Response(status_code=204)


def _claims(
    ctx: InstanceContext, credentials: HTTPAuthorizationCredentials | None
) -> keys.AccessClaims | None:
    if credentials is None:
        return None
    return keys.verify_access_token(ctx.spec, credentials.credentials, ctx.clock.now())


@router.get("/.well-known/jwks.json", summary="The instance's public signing key (JWKS)")
def jwks(request: Request) -> Response:
    return json_response(keys.jwks(context(request).spec))


# -- the recipient's administration -------------------------------------------------------------------------


def _admin(ctx: InstanceContext, credentials: HTTPAuthorizationCredentials | None) -> str | Response:
    """The client_id of a valid client-credentials token with scope client:admin, or the error."""
    claims = _claims(ctx, credentials)
    if claims is None:
        return _oauth_error(
            401, "invalid_token", "The access token is missing, invalid or expired.", challenge=True
        )
    if claims.consent_id is not None or ADMIN not in claims.scope.split():
        message = "This needs a client_credentials token with scope client:admin."
        return _oauth_error(403, "insufficient_scope", message, challenge=True)
    with ctx.store.read() as db:
        if recipients.find(db, ctx, claims.client_id) is None:
            return _oauth_error(
                401, "invalid_token", "The recipient of this token no longer exists.", challenge=True
            )
    return claims.client_id


def _not_found(what: str) -> Response:
    return json_response({"error": "not_found", "error_description": f"{what} was not found."}, 404)


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _err("Not found (not_found)")}


def _statuses(ctx: InstanceContext, client_id: str) -> dict[int, RegistrationStatus]:
    with ctx.store.read() as db:
        return {
            r.provider_id: r.status
            for r in db.query(tables.Registration).filter(tables.Registration.client_id == client_id)
        }


@router.get(
    "/api/v1/providers",
    summary="The data providers active for the recipient",
    response_model=list[wire.Provider],
    responses=PROTECTED,
)
def providers_v1(request: Request, credentials: Bearer) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    statuses = _statuses(ctx, client_id)
    return json_response(
        [
            p.public()
            for p in providers(ctx.spec.country).values()
            if statuses.get(p.provider_id) is RegistrationStatus.ACTIVE
        ]
    )


_V2_STATUS = {
    RegistrationStatus.ACTIVE: "Activated",
    RegistrationStatus.PENDING_APPROVAL: "PendingActivation",
    RegistrationStatus.PENDING_ACTIVATION: "PendingActivation",
}


@router.get(
    "/api/v2/providers",
    summary="The data providers, with their status for the recipient",
    response_model=list[wire.ProviderV2],
    responses=PROTECTED,
)
def providers_v2(
    request: Request,
    credentials: Bearer,
    country: Annotated[str | None, Query(description="CA, US or CA,US")] = None,
    is_enabled_for_client: Annotated[
        str | None, Query(alias="isEnabledForClient", description="true: Activated only; false: the others")
    ] = None,
) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    wanted = {c.strip().upper() for c in (country or "CA,US").split(",")}
    statuses = _statuses(ctx, client_id)
    out = []
    for p in providers(ctx.spec.country).values():
        status = statuses.get(p.provider_id)
        label = _V2_STATUS[status] if status is not None else "Available"
        enabled = label == "Activated"
        if p.country.value not in wanted:
            continue
        if is_enabled_for_client is not None and (is_enabled_for_client.lower() == "true") != enabled:
            continue
        out.append(
            {
                "provider_id": p.provider_id,
                "name": p.name,
                "country": p.country.value,
                "scopes": list(p.scopes),
                "status": label,
                "connectorName": "finstance",
                "availableAccountTypes": {
                    "depositAccounts": "true",
                    "investmentAccounts": "false",
                    "loanAccounts": "true",
                    "locAccounts": "true",
                },
            }
        )
    return json_response(out)


@router.get(
    "/api/v1/providers/{provider_id}",
    summary="A data provider's details and data inventory",
    response_model=wire.Provider,
    responses={**PROTECTED, **NOT_FOUND},
)
def provider_details(request: Request, provider_id: str, credentials: Bearer) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    number = int(provider_id) if provider_id.isdigit() and len(provider_id) < 10 else -1
    found = providers(ctx.spec.country).get(number)
    if found is None:
        return _not_found("The provider")
    return json_response({**found.public(), "data_inventory": data_inventory(found.scopes)})


@router.get(
    "/api/v1/recipients",
    summary="The data recipients of the caller (its own record)",
    response_model=list[wire.Recipient],
    responses=PROTECTED,
)
def recipients_list(request: Request, credentials: Bearer) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    with ctx.store.read() as db:
        row = db.get(tables.Recipient, client_id)
        return json_response([recipients.public(row, ctx.spec.country.value)] if row else [])


@router.get(
    "/api/v1/recipients/providers/requests",
    summary="The caller's registration requests with providers, and their statuses",
    response_model=list[wire.Registration],
    responses=PROTECTED,
)
def registrations_list(request: Request, credentials: Bearer) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    with ctx.store.read() as db:
        return json_response(recipients.registrations(db, ctx, client_id))


@router.post(
    "/api/v1/recipients/providers/requests",
    summary="Ask to be registered with a provider (PENDING_APPROVAL until the operator activates it)",
    status_code=201,
    response_model=wire.Registration,
    responses={
        **PROTECTED,
        400: _err("A body that is not {provider_id}, or an unknown provider (invalid_request)"),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": wire.RegistrationRequest.model_json_schema()}},
        }
    },
)
async def registration_request(request: Request, credentials: Bearer) -> Response:
    raw = await request.body()
    return await run_in_threadpool(_register, request, credentials, raw)


def _register(request: Request, credentials: HTTPAuthorizationCredentials | None, raw: bytes) -> Response:
    ctx = context(request)
    client_id = _admin(ctx, credentials)
    if isinstance(client_id, Response):
        return client_id
    try:
        provider_id = wire.RegistrationRequest.model_validate_json(raw or b"{}").provider_id
    except ValueError:
        return _oauth_error(400, "invalid_request", 'The body must be {"provider_id": <integer>}.')
    with ctx.store.write() as db:
        row = recipients.request_registration(db, ctx, client_id, provider_id, ctx.clock.now())
        if row is None:
            return _oauth_error(400, "invalid_request", "No provider has this provider_id.")
        db.flush()
        listed = recipients.registrations(db, ctx, client_id)
    item = next(r for r in listed if r["provider_id"] == provider_id)
    return json_response(item, 201)


@router.get(
    "/api/v1/recipients/{client_id}",
    summary="A recipient's details (the caller's own)",
    response_model=wire.Recipient,
    responses={**PROTECTED, **NOT_FOUND},
)
def recipient_details(request: Request, client_id: str, credentials: Bearer) -> Response:
    ctx = context(request)
    caller = _admin(ctx, credentials)
    if isinstance(caller, Response):
        return caller
    if client_id != caller:
        return _not_found("The recipient")
    with ctx.store.read() as db:
        row = db.get(tables.Recipient, caller)
        return (
            json_response(recipients.public(row, ctx.spec.country.value))
            if row
            else _not_found("The recipient")
        )


@router.get(
    "/api/v1/recipients/{client_id}/providers/requests",
    summary="A recipient's registration requests (the caller's own)",
    response_model=list[wire.Registration],
    responses={**PROTECTED, **NOT_FOUND},
)
def recipient_registrations(request: Request, client_id: str, credentials: Bearer) -> Response:
    ctx = context(request)
    caller = _admin(ctx, credentials)
    if isinstance(caller, Response):
        return caller
    if client_id != caller:
        return _not_found("The recipient")
    with ctx.store.read() as db:
        return json_response(recipients.registrations(db, ctx, caller))
