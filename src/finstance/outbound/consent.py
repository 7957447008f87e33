"""The consent flow, screen by screen: the provider's login (with MFA), the accounts and the scopes, then
approve or deny.

``GET /outbound/api/v1/authorize`` validates the recipient's request with the authorization server
(:mod:`finstance.outbound.oauth`) and stores it in a flow; every later step is a form post that loads the
flow, acts and stores the screen it leads to (post/redirect/get, as the Connect pages). The end-user signs
in to Flinks Capital through Connect (:mod:`finstance.connect.provider`): the same login, MFA and
aggregation as ``/Authorize``. Approving writes the consent and sends the browser back to the recipient
with ``code`` and ``state``; denying, with ``error=access_denied``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749.errors import OAuth2Error

from finstance.connect import provider as connect_provider
from finstance.core.context import InstanceContext
from finstance.core.identifiers import Origin, canonical
from finstance.outbound import oauth, recipients, tables
from finstance.outbound.providers import FLINKS_CAPITAL, providers
from finstance.outbound.tables import ConsentScreen

FLOW_TTL = timedelta(minutes=30)
# The parameters of an authorization request a flow keeps (Flinks' list, plus PKCE and a page language).
KEPT = (
    "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method",
    "provider_id", "correlation_id",
)  # fmt: skip
LANGUAGES = ("en", "fr")
CREDENTIAL_ERRORS = {"INVALID_USERNAME", "INVALID_PASSWORD", "INVALID_LOGIN"}


@dataclass(slots=True)
class Page:
    """What the browser gets: a screen to render, or a redirect (to the flow's address or the recipient)."""

    screen: str  # a ConsentScreen, or "expired" / "unknown" / "invalid"
    flow_id: str | None = None
    language: str = "en"
    recipient: str = ""
    provider: str = ""
    scopes: list[str] = field(default_factory=list)
    accounts: list[connect_provider.OfferedAccount] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    error_code: str | None = None  # why the screen is shown (a FlinksCode or an OAuth error)
    error_description: str = ""
    redirect: str | None = None  # Location of a redirect
    redirect_origin: str | None = None  # the recipient's origin: the forms may lead there
    status: int = 200


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


class Consents:
    """The consent flows of one instance."""

    def __init__(self, ctx: InstanceContext) -> None:
        self.ctx = ctx

    # -- starting ----------------------------------------------------------------------------------

    def start(self, request: oauth.Request, language: str) -> Page:
        server = oauth.Server(self.ctx)
        try:
            grant = server.get_consent_grant(request)
            redirect_uri = grant.validate_authorization_request()
        except OAuth2Error as error:
            return self._refused(server, request, error)
        except ValueError:  # Authlib refuses to describe a parameter holding characters outside ASCII
            return Page("invalid", error_code="invalid_request", status=400)
        payload = request.payload
        offered = providers(self.ctx.spec.country)
        raw_provider = payload.data.get("provider_id") or str(FLINKS_CAPITAL)
        provider_id = int(raw_provider) if raw_provider.isdigit() and len(raw_provider) < 10 else -1
        found = offered.get(provider_id)
        if found is None:
            problem = OAuth2Error("Unknown 'provider_id'.", redirect_uri=redirect_uri)
            problem.error = "invalid_request"
            return self._refused(server, request, problem)
        missing = [s for s in payload.scope.split() if s not in found.scopes]
        if missing:
            problem = OAuth2Error(
                f"{found.name} does not offer {' '.join(missing)}.", redirect_uri=redirect_uri
            )
            problem.error = "invalid_scope"
            return self._refused(server, request, problem)
        client_id = request.client.client_id
        with self.ctx.store.read() as db:
            active = recipients.is_active(db, client_id, provider_id)
        if not active:
            problem = OAuth2Error(
                f"This recipient is not registered with {found.name} yet.", redirect_uri=redirect_uri
            )
            problem.error = "unauthorized_client"
            return self._refused(server, request, problem)
        now = self.ctx.clock.now()
        kept = {k: payload.data[k] for k in KEPT if payload.data.get(k)}
        kept["provider_id"] = str(provider_id)
        kept["language"] = language if language in LANGUAGES else "en"
        flow = tables.ConsentFlow(
            id=self.ctx.spec.ids.random(),
            client_id=client_id,
            request=kept,
            screen=ConsentScreen.LOGIN,
            created_at=now,
            expires_at=now + FLOW_TTL,
        )
        with self.ctx.store.write() as db:
            db.add(flow)
        return Page(ConsentScreen.LOGIN, flow.id, redirect=flow_url(flow.id), status=303)

    def _refused(self, server: oauth.Server, request: oauth.Request, error: OAuth2Error) -> Page:
        """An error of the request: back to the recipient when its redirect_uri was verified, else a page."""
        error.state = request.payload.state
        if error.redirect_uri:
            response = server.handle_error_response(request, error)
            return Page("invalid", redirect=response.header("Location"), status=302)
        return Page(
            "invalid",
            error_code=error.error,
            error_description=error.get_error_description() or "",
            status=400,
        )

    # -- showing and acting --------------------------------------------------------------------------

    def show(self, flow_id: str) -> Page:
        flow, page = self._load(flow_id)
        if flow is None:
            return page
        return self._page(flow)

    def act(self, flow_id: str, form: Mapping[str, list[str]]) -> Page:
        flow, page = self._load(flow_id)
        if flow is None:
            return page
        action = _first(form, "action")
        if action == "deny" and flow.screen is not ConsentScreen.DONE:
            return self._deny(flow)
        if flow.screen is ConsentScreen.LOGIN and action == "submit":
            self._on_login(flow, _first(form, "username").strip(), _first(form, "password"))
        elif flow.screen is ConsentScreen.MFA and action == "submit":
            self._on_mfa(flow, form)
        elif flow.screen is ConsentScreen.CONSENT and action == "approve":
            return self._approve(flow, form.get("account", []))
        elif flow.screen is ConsentScreen.ERROR and action == "retry":
            self._save(flow, screen=ConsentScreen.LOGIN, error_code=None, request_id=None, login_id=None)
        return Page(flow.screen, flow.id, redirect=flow_url(flow.id), status=303)

    def _on_login(self, flow: tables.ConsentFlow, username: str, password: str) -> None:
        if not username or not password:
            self._save(flow, error_code="MISSING_CREDENTIALS")
            return
        nonce = secrets.token_hex(16)
        result = connect_provider.sign_in(
            self.ctx, username=username[:200], password=password[:200], language=_language(flow), nonce=nonce
        )
        self._after_sign_in(flow, result, nonce)

    def _on_mfa(self, flow: tables.ConsentFlow, form: Mapping[str, list[str]]) -> None:
        prompts = connect_provider.pending_prompts(self.ctx, flow.request_id or "")
        answers = {p: _first(form, f"answer-{i}").strip()[:200] for i, p in enumerate(prompts)}
        if not prompts or not all(answers.values()):
            self._save(flow, error_code="MISSING_ANSWER")
            return
        result = connect_provider.answer(
            self.ctx, request_id=flow.request_id or "", answers=answers, nonce=flow.attempt or ""
        )
        self._after_sign_in(flow, result, flow.attempt or "")

    def _after_sign_in(self, flow: tables.ConsentFlow, result: connect_provider.SignIn, nonce: str) -> None:
        if result.prompts:
            self._save(
                flow, screen=ConsentScreen.MFA, request_id=result.request_id, attempt=nonce,
                error_code=result.error_code,
            )  # fmt: skip
        elif result.error_code in CREDENTIAL_ERRORS:
            self._save(flow, screen=ConsentScreen.LOGIN, error_code=result.error_code, request_id=None)
        elif result.error_code is not None or result.login_id is None:
            self._save(flow, screen=ConsentScreen.ERROR, error_code=result.error_code or "UNAUTHORIZED")
        else:
            self._save(
                flow, screen=ConsentScreen.CONSENT, request_id=result.request_id, login_id=result.login_id,
                attempt=None, error_code=None,
            )  # fmt: skip

    def _approve(self, flow: tables.ConsentFlow, picked: list[str]) -> Page:
        assert flow.login_id is not None and flow.request_id is not None
        offered = {a.id for a in connect_provider.offered_accounts(self.ctx, flow.login_id, flow.request_id)}
        chosen = list(dict.fromkeys(a for a in picked if a in offered))
        if not chosen:
            self._save(flow, error_code="NO_ACCOUNT_SELECTED")
            return Page(flow.screen, flow.id, redirect=flow_url(flow.id), status=303)
        server, request = oauth.Server(self.ctx), self._request(flow)
        try:
            grant = server.get_consent_grant(request)
        except OAuth2Error as error:  # the recipient changed meanwhile (redirect URI removed...)
            self._save(flow, screen=ConsentScreen.DONE)
            return self._refused(server, request, error)
        now = self.ctx.clock.now()
        scopes = request.payload.scope.split()
        consent = tables.Consent(
            id=self.ctx.spec.ids.random(),
            client_id=flow.client_id,
            login_id=flow.login_id,
            subject=self.ctx.spec.ids.derived("outbound-subject", flow.client_id, flow.login_id),
            provider_id=int(flow.request.get("provider_id") or FLINKS_CAPITAL),
            scopes=scopes,
            account_ids=chosen,
            created_at=now,
        )
        with self.ctx.store.write() as db:
            db.add(consent)
        grantee = oauth.Grantee(consent.id, consent.subject, " ".join(scopes))
        response = server.create_authorization_response(request, grant_user=grantee, grant=grant)
        self._save(flow, screen=ConsentScreen.DONE, error_code=None)
        return Page(ConsentScreen.DONE, flow.id, redirect=response.header("Location"), status=302)

    def _deny(self, flow: tables.ConsentFlow) -> Page:
        server, request = oauth.Server(self.ctx), self._request(flow)
        self._save(flow, screen=ConsentScreen.DONE, error_code="access_denied")
        try:
            grant = server.get_consent_grant(request)
            response = oauth.denied(server, request, grant)
        except OAuth2Error as error:
            return self._refused(server, request, error)
        return Page(ConsentScreen.DONE, flow.id, redirect=response.header("Location"), status=302)

    # -- reading and writing the flow ------------------------------------------------------------------

    def _request(self, flow: tables.ConsentFlow) -> oauth.Request:
        params = {k: [v] for k, v in flow.request.items() if k in KEPT}
        return oauth.Request("GET", "https://outbound.invalid/authorize", {}, params)

    def _load(self, flow_id: str) -> tuple[tables.ConsentFlow | None, Page]:
        if self.ctx.spec.ids.origin(flow_id) is not Origin.THIS_INSTANCE:
            return None, Page("unknown", status=404)
        key = canonical(flow_id)
        with self.ctx.store.read() as db:
            flow = db.get(tables.ConsentFlow, key) if key else None
            if flow is None:
                return None, Page("unknown", status=404)
            if flow.expires_at <= self.ctx.clock.now():
                return None, Page("expired", language=_language(flow), status=410)
            db.expunge(flow)
            return flow, Page(flow.screen)

    def _save(self, flow: tables.ConsentFlow, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(flow, name, value)
        with self.ctx.store.write() as db:
            row = db.get(tables.ConsentFlow, flow.id, with_for_update=True)
            if row is None:  # deleted meanwhile (DeleteCard)
                return
            for name in ("screen", "login_id", "request_id", "attempt", "error_code"):
                setattr(row, name, getattr(flow, name))

    def _page(self, flow: tables.ConsentFlow) -> Page:
        with self.ctx.store.read() as db:
            recipient = db.get(tables.Recipient, flow.client_id)
            name = recipient.name if recipient is not None else flow.client_id
        found = providers(self.ctx.spec.country).get(int(flow.request.get("provider_id") or FLINKS_CAPITAL))
        page = Page(
            flow.screen,
            flow.id,
            language=_language(flow),
            recipient=name,
            provider=found.name if found else "",
            scopes=str(flow.request.get("scope") or "").split(),
            error_code=flow.error_code,
            redirect_origin=_origin(str(flow.request.get("redirect_uri") or "")),
        )
        if flow.screen is ConsentScreen.MFA and flow.request_id:
            page.prompts = list(connect_provider.pending_prompts(self.ctx, flow.request_id))
        if flow.screen is ConsentScreen.CONSENT and flow.login_id and flow.request_id:
            page.accounts = connect_provider.offered_accounts(self.ctx, flow.login_id, flow.request_id)
        return page


def flow_url(flow_id: str) -> str:
    return f"/outbound/consent/{flow_id}"


def _language(flow: tables.ConsentFlow) -> str:
    language = str(flow.request.get("language") or "en")
    return language if language in LANGUAGES else "en"


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]
