"""An instance with a registered recipient, served in-process, and the consent flow driven over HTTP the way
a browser drives the pages (the same forms, the same redirects)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from finstance.app import create_app
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import InstanceSpec, toolbox_spec
from finstance.outbound import recipients
from finstance.sandbox import bank
from tests.conftest import TEST_SETTINGS, us_spec

REDIRECT_URI = "https://recipient.example/callback"
ALL_SCOPES = "ACCOUNT_BASIC ACCOUNT_DETAILED TRANSACTIONS CUSTOMER_CONTACT"
BASE = "https://instance.test"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class Outbound:
    app: FastAPI
    http: httpx.AsyncClient
    clock: ManualClock
    client_id: str
    client_secret: str

    @property
    def ctx(self) -> InstanceContext:
        ctx: InstanceContext = self.app.state.ctx
        return ctx

    def authorize_url(self, **overrides: str) -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": ALL_SCOPES,
            "state": "st-" + secrets.token_hex(4),
            "provider_id": "1000",
        }
        params.update(overrides)
        return "/outbound/api/v1/authorize?" + urlencode({k: v for k, v in params.items() if v != ""})

    async def follow(self, response: httpx.Response) -> httpx.Response:
        """Follow redirects within the instance (303 to the flow's page); stop at the recipient."""
        while response.status_code in (302, 303) and response.headers["location"].startswith("/"):
            response = await self.http.get(response.headers["location"])
        return response

    async def post(self, page: httpx.Response, **form: str | list[str]) -> httpx.Response:
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action, page.text
        form_type = {"content-type": "application/x-www-form-urlencoded"}
        response = await self.http.post(
            action.group(1), content=urlencode(form, doseq=True), headers=form_type
        )
        return await self.follow(response)

    async def sign_in(
        self, url: str, username: str = "Greatday", password: str = "Everyday"
    ) -> httpx.Response:
        """From the authorize URL to the consent screen (or wherever the login leads)."""
        page = await self.follow(await self.http.get(url))
        assert page.status_code == 200, page.text
        page = await self.post(page, action="submit", username=username, password=password)
        while 'name="answer-0"' in page.text:
            prompts = [
                html.unescape(p) for p in re.findall(r'<label for="answer-\d+">([^<]+)</label>', page.text)
            ]
            answers = {
                f"answer-{i}": bank.expected_answer(p, self.ctx.spec.country, "en") or ""
                for i, p in enumerate(prompts)
            }
            page = await self.post(page, action="submit", **answers)
        return page

    async def consent(
        self, url: str | None = None, *, approve: bool = True, accounts: list[str] | None = None, **login: str
    ) -> dict[str, str]:
        """The whole flow: the query of the redirect back to the recipient (code and state, or the error)."""
        page = await self.sign_in(url or self.authorize_url(), **login)
        offered = re.findall(r'name="account" value="([^"]+)"', page.text)
        assert offered, page.text
        if approve:
            response = await self.post(
                page, action="approve", account=accounts if accounts is not None else offered
            )
        else:
            response = await self.post(page, action="deny")
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(REDIRECT_URI + "?"), location
        return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}

    async def token(self, **form: str) -> httpx.Response:
        return await self.http.post(
            "/outbound/api/v1/token", data=form, auth=(self.client_id, self.client_secret)
        )

    async def tokens(self, **consent: Any) -> dict[str, Any]:
        """Consent, then exchange the code: the token response."""
        verifier, challenge = pkce_pair()
        query = await self.consent(
            self.authorize_url(code_challenge=challenge, code_challenge_method="S256"), **consent
        )
        response = await self.token(
            grant_type="authorization_code",
            code=query["code"],
            redirect_uri=REDIRECT_URI,
            code_verifier=verifier,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


async def serve_outbound(spec: InstanceSpec, clock: ManualClock) -> AsyncIterator[Outbound]:
    app = create_app(spec, TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        issued = recipients.create(
            app.state.ctx, "Acme Lending", [REDIRECT_URI], contacts=["ops@acme.example"]
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            yield Outbound(app, http, clock, issued.client_id, issued.client_secret)


@pytest.fixture
async def outbound(store_url: str, clock: ManualClock) -> AsyncIterator[Outbound]:
    async for served in serve_outbound(toolbox_spec(store_url), clock):
        yield served


@pytest.fixture
async def outbound_us(store_url: str, clock: ManualClock) -> AsyncIterator[Outbound]:
    async for served in serve_outbound(us_spec(store_url), clock):
        yield served
