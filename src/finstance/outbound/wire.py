"""The documents of Outbound's endpoints, as ``/openapi.json`` describes them (the routes write dicts with
orjson; these models only document them). Field names are Flinks' (snake_case on the OAuth and admin
endpoints) and FDX's (camelCase on ``/api/fdx/5``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Doc(BaseModel):
    model_config = ConfigDict(extra="allow")


class OAuthError(_Doc):
    """RFC 6749 section 5.2 (token, revoke) and RFC 6750 (protected endpoints)."""

    error: str = Field(examples=["invalid_grant"])
    error_description: str | None = None


class TokenResponse(_Doc):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 (a token type)
    expires_in: int = Field(examples=[299])
    refresh_token: str | None = Field(None, description="authorization_code grant only; not rotated")
    scope: str | None = None


class Provider(_Doc):
    provider_id: int = Field(examples=[1000])
    name: str = Field(examples=["Flinks Capital"])
    country: str
    provider_url: str | None = None
    scopes: list[str]
    data_inventory: dict[str, list[str]] | None = None


class ProviderV2(_Doc):
    provider_id: int
    name: str
    country: str
    scopes: list[str]
    status: str = Field(examples=["Activated"])
    connectorName: str | None = None
    availableAccountTypes: dict[str, str]


class Contact(_Doc):
    email: str


class Recipient(_Doc):
    client_id: str
    name: str
    logo_uri: str | None = None
    description: str | None = None
    terms_uri: str | None = None
    client_uri: str | None = None
    country: str
    contacts: list[Contact]


class Registration(_Doc):
    client_id: str
    client_name: str
    provider_id: int
    provider_name: str | None
    country: str
    registration_status: Literal["PENDING_APPROVAL", "PENDING_ACTIVATION", "ACTIVE"]
    requested_on: str


class RegistrationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    provider_id: int = Field(examples=[1000])


class FdxError(_Doc):
    """FDX error body (Flinks' codes, reference 8.6)."""

    code: str | int = Field(examples=["701"])
    message: str = Field(examples=["Account not found"])
    debugMessage: str | None = None


class FdxPage(_Doc):
    nextOffset: str | None = None
    totalElements: int | None = None


class FdxLinks(_Doc):
    next: dict[str, Any] | None = None


class FdxAccounts(_Doc):
    page: FdxPage | None = None
    links: FdxLinks | None = None
    accounts: list[dict[str, Any]]


class FdxTransactions(_Doc):
    page: FdxPage | None = None
    links: FdxLinks | None = None
    transactions: list[dict[str, Any]]


class FdxStatements(_Doc):
    page: FdxPage | None = None
    links: FdxLinks | None = None
    statements: list[dict[str, Any]]


TOKEN_PARAMETERS = frozenset(
    {
        "grant_type",
        "code",
        "redirect_uri",
        "code_verifier",
        "refresh_token",
        "scope",
        "client_id",
        "client_secret",
    }
)
TOKEN_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            media: {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {
                            "type": "string",
                            "enum": ["authorization_code", "refresh_token", "client_credentials"],
                        },
                        "code": {"type": "string"},
                        "redirect_uri": {"type": "string"},
                        "code_verifier": {"type": "string"},
                        "refresh_token": {"type": "string"},
                        "scope": {"type": "string", "description": "client:admin (client_credentials only)"},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                    },
                }
            }
            for media in ("application/x-www-form-urlencoded", "application/json")
        },
    }
}


def _query(
    name: str, description: str, *, required: bool = False, enum: list[str] | None = None
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 2000}
    if enum is not None:
        schema = {"type": "string", "enum": enum}
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


# The authorization request (documented here, read by the route itself: a missing or invalid parameter is
# answered as RFC 6749 says, by a redirect to a verified redirect_uri or by a page, never a JSON body).
AUTHORIZE_PARAMETERS: list[dict[str, Any]] = [
    _query("response_type", "code", required=True, enum=["code"]),
    _query("client_id", "The recipient's client_id", required=True),
    _query("redirect_uri", "One of the recipient's redirect URIs, exactly", required=True),
    _query("scope", "Space-separated data clusters, e.g. ACCOUNT_BASIC TRANSACTIONS", required=True),
    _query("state", "Returned as is with the code or the error", required=True),
    _query("provider_id", "The data provider; 1000 (Flinks Capital) by default"),
    _query("correlation_id", "A GUID of the caller"),
    _query("code_challenge", "PKCE (RFC 7636)"),
    _query("code_challenge_method", "PKCE method", enum=["S256"]),
    _query("language", "The language of the consent pages", enum=["en", "fr"]),
]
