"""The instance's OAuth 2.0 authorization server: Authlib's framework-independent server behind a small
synchronous adapter.

Authlib (BSD-3) implements the grammar: the authorization request (RFC 6749 4.1, with PKCE, RFC 7636), the
token endpoint and its client authentication, the refresh-token and client-credentials grants, and the error
responses. This module gives it what a framework integration gives it elsewhere: a request (built by the
route from the query, the form or Flinks' JSON body), a response (status, body, headers), the clients (the
recipients of the store) and the storage of codes, consents and refresh tokens.

Lifetimes (Flinks Outbound): access token 299 s; refresh token not rotated, refused after 30 days unused;
authorization code 5 minutes, single use.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from authlib.oauth2 import rfc6749
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import (
    AccessDeniedError,
    InvalidGrantError,
    InvalidRequestError,
    InvalidScopeError,
)
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select

from finstance.core.context import InstanceContext
from finstance.core.keys import hash_token
from finstance.outbound import keys, recipients, tables
from finstance.outbound.providers import ADMIN, DATA_CLUSTERS

ACCESS_TOKEN_SECONDS = 299
REFRESH_IDLE = timedelta(days=30)
CODE_TTL = timedelta(minutes=5)
DENIED = "The user denied the access"


@dataclass(frozen=True, slots=True)
class Response:
    """What an endpoint answers; the route turns it into a Starlette response."""

    status: int
    body: Any  # a dict (JSON), or "" (a redirect)
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


# -- the adapter: requests ---------------------------------------------------------------------------


class _Payload(rfc6749.OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: Mapping[str, list[str]]) -> None:
        self._lists = defaultdict(list, {k: list(v) for k, v in values.items()})
        self._values = {k: v[0] for k, v in values.items() if v}

    @property
    def data(self) -> dict[str, str]:
        return self._values

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._lists


class Request(rfc6749.OAuth2Request):  # type: ignore[misc]
    """An HTTP request as Authlib reads it: method, URL, headers, and its parameters (the query of an
    authorization request, the form or JSON body of a token request)."""

    def __init__(
        self, method: str, uri: str, headers: Mapping[str, str], params: Mapping[str, list[str]]
    ) -> None:
        super().__init__(method=method, uri=uri, headers=headers)  # case-insensitive when a Starlette Headers
        self.payload = _Payload(params)
        self._params = params

    @property
    def args(self) -> dict[str, str]:
        return self.payload.data

    @property
    def form(self) -> dict[str, str]:
        return self.payload.data


# -- clients, codes, consents as Authlib sees them ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Client(rfc6749.ClientMixin):  # type: ignore[misc]
    client_id: str
    name: str
    secret_hash: str
    redirect_uris: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None  # every authorization request names its redirect_uri (Flinks requires it)

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return ""
        known = set(DATA_CLUSTERS) | {ADMIN}
        return " ".join(s for s in dict.fromkeys(scope.split()) if s in known)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return recipients.secret_matches(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token", "client_credentials")


@dataclass(frozen=True, slots=True)
class Grantee:
    """The end-user of a consent, as the token's subject."""

    consent_id: str
    subject: str
    scope: str

    def get_user_id(self) -> str:
        return self.subject


@dataclass(frozen=True, slots=True)
class Code(rfc6749.AuthorizationCodeMixin):  # type: ignore[misc]
    code_hash: str
    consent_id: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass(frozen=True, slots=True)
class RefreshToken:
    consent_id: str
    client_id: str
    scope: str

    def get_scope(self) -> str:
        return self.scope

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def is_expired(self) -> bool:
        return False  # checked when it is looked up (idle time)

    def is_revoked(self) -> bool:
        return False  # a revoked consent has no refresh token any more


# -- grants ------------------------------------------------------------------------------------------


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012
    server: Server

    def validate_authorization_request(self) -> str:
        redirect_uri: str = super().validate_authorization_request()
        payload = self.request.payload
        if not payload.state:
            raise InvalidRequestError("Missing 'state' in request.", redirect_uri=redirect_uri)
        requested = (payload.scope or "").split()
        if not requested or ADMIN in requested or any(s not in DATA_CLUSTERS for s in requested):
            raise InvalidScopeError(redirect_uri=redirect_uri)
        return redirect_uri

    def save_authorization_code(self, code: str, request: Request) -> None:
        grantee: Grantee = request.user
        ctx = self.server.ctx
        now = ctx.clock.now()
        payload = request.payload
        with ctx.store.write() as db:
            db.add(
                tables.AuthorizationCode(
                    code_hash=hash_token("outbound-code|" + code),
                    consent_id=grantee.consent_id,
                    client_id=request.client.client_id,
                    redirect_uri=payload.redirect_uri,
                    scope=grantee.scope,
                    code_challenge=payload.data.get("code_challenge"),
                    code_challenge_method=payload.data.get("code_challenge_method"),
                    created_at=now,
                    expires_at=now + CODE_TTL,
                )
            )

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        ctx = self.server.ctx
        with ctx.store.read() as db:
            row = db.get(tables.AuthorizationCode, hash_token("outbound-code|" + code))
            if row is None or row.client_id != client.client_id or row.expires_at <= ctx.clock.now():
                return None
            return Code(
                row.code_hash,
                row.consent_id,
                row.client_id,
                row.redirect_uri,
                row.scope,
                row.code_challenge,
                row.code_challenge_method,
            )

    def delete_authorization_code(self, authorization_code: Code) -> None:
        """Spend the code; a second exchange (even a concurrent one: the row is locked) finds it gone."""
        with self.server.ctx.store.write() as db:
            row = db.get(tables.AuthorizationCode, authorization_code.code_hash, with_for_update=True)
            if row is None:
                raise InvalidGrantError("Invalid 'code' in request.")
            db.delete(row)

    def authenticate_user(self, authorization_code: Code) -> Grantee | None:
        with self.server.ctx.store.read() as db:
            consent = db.get(tables.Consent, authorization_code.consent_id)
            if consent is None or consent.revoked_at is not None:
                return None
            return Grantee(consent.id, consent.subject, " ".join(consent.scopes))


class S256Only(CodeChallenge):  # type: ignore[misc]
    """PKCE: optional for these confidential clients, S256 only when used (``plain`` proves nothing)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]  # noqa: RUF012


class RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012
    INCLUDE_NEW_REFRESH_TOKEN = False  # Flinks: the refresh token is not rotated
    server: Server

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        ctx = self.server.ctx
        now = ctx.clock.now()
        with ctx.store.read() as db:
            # Looked up by its hash, on the unique index: the store never sees the token itself.
            consent = db.scalars(
                select(tables.Consent).filter_by(refresh_hash=_refresh_hash(refresh_token))
            ).first()
            if consent is None or consent.revoked_at is not None:
                return None
            if consent.refresh_used_at is None or now - consent.refresh_used_at >= REFRESH_IDLE:
                return None
            return RefreshToken(consent.id, consent.client_id, " ".join(consent.scopes))

    def authenticate_user(self, refresh_token: RefreshToken) -> Grantee | None:
        with self.server.ctx.store.read() as db:
            consent = db.get(tables.Consent, refresh_token.consent_id)
            if consent is None or consent.revoked_at is not None:
                return None
            return Grantee(consent.id, consent.subject, " ".join(consent.scopes))

    def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
        """Not rotated: the same refresh token stays, and its idle clock restarts."""
        ctx = self.server.ctx
        with ctx.store.write() as db:
            consent = db.get(tables.Consent, refresh_token.consent_id)
            if consent is not None:
                consent.refresh_used_at = ctx.clock.now()


class ClientCredentialsGrant(grants.ClientCredentialsGrant):  # type: ignore[misc]
    """A recipient's own token for its administration (providers, recipients, registrations)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]  # noqa: RUF012

    def validate_token_request(self) -> None:
        super().validate_token_request()  # the client first: an unknown client learns nothing more
        scope = self.request.payload.scope
        if scope and scope.split() != [ADMIN]:
            raise InvalidScopeError()


def _refresh_hash(refresh_token: str) -> str:
    return hash_token("outbound-refresh|" + refresh_token)


# -- the server --------------------------------------------------------------------------------------


class Server(rfc6749.AuthorizationServer):  # type: ignore[misc]
    """The authorization server of one instance, built per request over the instance's context."""

    def __init__(self, ctx: InstanceContext) -> None:
        super().__init__(scopes_supported=[*DATA_CLUSTERS, ADMIN])
        self.ctx = ctx
        self.register_grant(AuthorizationCodeGrant, [S256Only(required=False)])
        self.register_grant(RefreshTokenGrant)
        self.register_grant(ClientCredentialsGrant)
        self.register_token_generator("default", self._generate_token)

    def query_client(self, client_id: str | None) -> Client | None:
        with self.ctx.store.read() as db:
            row = recipients.find(db, self.ctx, client_id)
            if row is None:
                return None
            return Client(row.client_id, row.name, row.secret_hash, tuple(row.redirect_uris))

    def _generate_token(
        self,
        grant_type: str,
        client: Client,
        user: Grantee | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        if user is None:  # client credentials: the recipient itself
            scope = ADMIN
        access = keys.sign_access_token(
            self.ctx.spec,
            self.ctx.clock.now(),
            client_id=client.client_id,
            subject=user.subject if user else client.client_id,
            scope=scope or "",
            lifetime_seconds=ACCESS_TOKEN_SECONDS,
            consent_id=user.consent_id if user else None,
        )
        token: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": scope or "",
        }
        if include_refresh_token and user is not None and grant_type == "authorization_code":
            token["refresh_token"] = secrets.token_urlsafe(32)
        return token

    def save_token(self, token: dict[str, Any], request: Request) -> None:
        """The first token of a consent sets its refresh token (stored as a hash)."""
        refresh = token.get("refresh_token")
        user = request.user
        if not refresh or not isinstance(user, Grantee):
            return
        with self.ctx.store.write() as db:
            consent = db.get(tables.Consent, user.consent_id)
            if consent is not None:
                consent.refresh_hash = _refresh_hash(refresh)
                consent.refresh_used_at = self.ctx.clock.now()

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        return None

    def create_oauth2_request(self, request: Request) -> Request:
        return request

    def create_json_request(self, request: Request) -> Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        return Response(status, body, list(headers))


def denied(server: Server, request: Request, grant: AuthorizationCodeGrant) -> Response:
    """The end-user said no: back to the recipient with ``access_denied`` and Flinks' description."""
    redirect_uri = grant.validate_authorization_request()
    error = AccessDeniedError(DENIED, redirect_uri=redirect_uri)
    error.state = request.payload.state
    response: Response = server.handle_error_response(request, error)
    return response
