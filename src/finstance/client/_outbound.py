"""Typed clients of an instance's Outbound API: the recipient's side of the consent, its tokens and FDX reads.

``OutboundClient`` (sync) and ``AsyncOutboundClient`` share the request building and the answer parsing;
each call is one HTTP exchange. Errors: :class:`OutboundOAuthError` on the OAuth endpoints (RFC 6749's
``error``), :class:`FdxAPIError` on the FDX API (``code``, ``message``, ``debugMessage``, with the
``ob-correlation-id`` and ``ob-trace-id`` of the answer).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ConfigDict

FDX = "/outbound/api/fdx/5"


class OutboundToken(BaseModel):
    """A token response of ``/outbound/api/v1/token``."""

    model_config = ConfigDict(extra="allow")
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str | None = None
    scope: str | None = None


class OutboundOAuthError(Exception):
    def __init__(self, status: int, error: str, description: str | None) -> None:
        super().__init__(f"{status} {error}: {description or ''}".strip())
        self.status, self.error, self.description = status, error, description


class FdxAPIError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: httpx.Headers) -> None:
        self.status = status
        self.code = str(body.get("code", ""))
        self.message = str(body.get("message", ""))
        self.debug_message = body.get("debugMessage")
        self.correlation_id = headers.get("ob-correlation-id")
        self.trace_id = headers.get("ob-trace-id")
        self.retry_after = headers.get("retry-after")
        super().__init__(f"{status} FDX {self.code} {self.message}: {self.debug_message or ''}".strip())


def pkce_pair() -> tuple[str, str]:
    """A PKCE ``(code_verifier, code_challenge)`` pair, S256."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Core:
    def __init__(self, base_url: str, client_id: str, client_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret

    def authorization_url(
        self,
        redirect_uri: str,
        scope: str,
        state: str,
        *,
        provider_id: int = 1000,
        code_challenge: str | None = None,
        language: str | None = None,
    ) -> str:
        params = {"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                  "scope": scope, "state": state, "provider_id": str(provider_id)}  # fmt: skip
        if code_challenge is not None:
            params.update(code_challenge=code_challenge, code_challenge_method="S256")
        if language is not None:
            params["language"] = language
        return f"{self.base_url}/outbound/api/v1/authorize?{urlencode(params)}"

    def token_request(self, form: dict[str, str]) -> dict[str, Any]:
        return {"url": f"{self.base_url}/outbound/api/v1/token", "data": form,
                "auth": (self.client_id, self.client_secret)}  # fmt: skip

    @staticmethod
    def token(response: httpx.Response) -> OutboundToken:
        if response.status_code != 200:
            body = _json(response)
            raise OutboundOAuthError(
                response.status_code, str(body.get("error", "")), body.get("error_description")
            )
        return OutboundToken.model_validate(response.json())

    @staticmethod
    def fdx(response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise FdxAPIError(response.status_code, _json(response), response.headers)
        body: dict[str, Any] = response.json()
        return body

    @staticmethod
    def revoked(response: httpx.Response) -> None:
        if response.status_code != 204:
            body = _json(response)
            raise OutboundOAuthError(
                response.status_code, str(body.get("error", "")), body.get("error_description")
            )


def _oauth_error(response: httpx.Response) -> OutboundOAuthError:
    body = _json(response)
    return OutboundOAuthError(response.status_code, str(body.get("error", "")), body.get("error_description"))


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class OutboundClient(_Core):
    """A recipient's client of one instance (``base_url``: the instance, e.g. ``http://127.0.0.1:8001``)."""

    def __init__(
        self, base_url: str, client_id: str, client_secret: str, *, http: httpx.Client | None = None
    ) -> None:
        super().__init__(base_url, client_id, client_secret)
        self.http = http or httpx.Client(timeout=30)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> OutboundClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str | None = None) -> OutboundToken:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier is not None:
            form["code_verifier"] = code_verifier
        return self.token(self.http.post(**self.token_request(form)))

    def refresh(self, refresh_token: str) -> OutboundToken:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self.token(self.http.post(**self.token_request(form)))

    def admin_token(self) -> OutboundToken:
        form = {"grant_type": "client_credentials", "scope": "client:admin"}
        return self.token(self.http.post(**self.token_request(form)))

    def revoke(self, access_token: str) -> None:
        self.revoked(
            self.http.delete(f"{self.base_url}/outbound/api/v1/revoke", headers=_bearer(access_token))
        )

    def accounts(self, access_token: str, *, details: bool = False) -> list[dict[str, Any]]:
        params = {"resultType": "details" if details else "lightweight"}
        body = self.fdx(
            self.http.get(f"{self.base_url}{FDX}/accounts", params=params, headers=_bearer(access_token))
        )
        return list(body["accounts"])

    def transactions(
        self, access_token: str, account_id: str, *, start: str | None = None, end: str | None = None,
        limit: int = 100,
    ) -> Iterator[dict[str, Any]]:  # fmt: skip
        """Every transaction of the range, newest first, following the cursor page by page."""
        params: dict[str, str] = {"limit": str(limit)}
        if start:
            params["startTime"] = start
        if end:
            params["endTime"] = end
        url = f"{self.base_url}{FDX}/accounts/{account_id}/transactions"
        while True:
            body = self.fdx(self.http.get(url, params=params, headers=_bearer(access_token)))
            yield from body["transactions"]
            cursor = body.get("page", {}).get("nextOffset")
            if not cursor:
                return
            params["offset"] = cursor


class AsyncOutboundClient(_Core):
    """The async twin of :class:`OutboundClient`."""

    def __init__(
        self, base_url: str, client_id: str, client_secret: str, *, http: httpx.AsyncClient | None = None
    ) -> None:
        super().__init__(base_url, client_id, client_secret)
        self.http = http or httpx.AsyncClient(timeout=30)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncOutboundClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def exchange_code(
        self, code: str, redirect_uri: str, code_verifier: str | None = None
    ) -> OutboundToken:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier is not None:
            form["code_verifier"] = code_verifier
        return self.token(await self.http.post(**self.token_request(form)))

    async def refresh(self, refresh_token: str) -> OutboundToken:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        return self.token(await self.http.post(**self.token_request(form)))

    async def admin_token(self) -> OutboundToken:
        form = {"grant_type": "client_credentials", "scope": "client:admin"}
        return self.token(await self.http.post(**self.token_request(form)))

    async def revoke(self, access_token: str) -> None:
        url = f"{self.base_url}/outbound/api/v1/revoke"
        self.revoked(await self.http.delete(url, headers=_bearer(access_token)))

    async def accounts(self, access_token: str, *, details: bool = False) -> list[dict[str, Any]]:
        params = {"resultType": "details" if details else "lightweight"}
        url = f"{self.base_url}{FDX}/accounts"
        body = self.fdx(await self.http.get(url, params=params, headers=_bearer(access_token)))
        return list(body["accounts"])

    async def transactions(
        self, access_token: str, account_id: str, *, start: str | None = None, end: str | None = None,
        limit: int = 100,
    ) -> AsyncIterator[dict[str, Any]]:  # fmt: skip
        params: dict[str, str] = {"limit": str(limit)}
        if start:
            params["startTime"] = start
        if end:
            params["endTime"] = end
        url = f"{self.base_url}{FDX}/accounts/{account_id}/transactions"
        while True:
            body = self.fdx(await self.http.get(url, params=params, headers=_bearer(access_token)))
            for item in body["transactions"]:
                yield item
            cursor = body.get("page", {}).get("nextOffset")
            if not cursor:
                return
            params["offset"] = cursor
