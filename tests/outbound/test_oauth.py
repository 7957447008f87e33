"""The authorization server: authorize (through the consent pages), token with code and PKCE, refresh with its
idle timeout, revoke, client credentials, and the RFC 6749 errors, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from finstance.outbound import keys
from tests.outbound.conftest import REDIRECT_URI, Outbound, pkce_pair


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return data


async def test_code_with_pkce_gives_flinks_token_response_and_the_code_is_single_use(
    outbound: Outbound,
) -> None:
    verifier, challenge = pkce_pair()
    url = outbound.authorize_url(code_challenge=challenge, code_challenge_method="S256", state="opaque-1")
    query = await outbound.consent(url)
    assert query["state"] == "opaque-1" and query["code"]
    exchange = {"grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI}
    response = await outbound.token(**exchange, code_verifier=verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 299 and body["refresh_token"]
    assert response.headers["cache-control"] == "no-store"
    claims = claims_of(body["access_token"])
    assert claims["client_id"] == outbound.client_id
    assert claims["exp"] - claims["iat"] == 299
    assert claims["sub"] and claims["sub"] != outbound.client_id
    again = await outbound.token(**exchange, code_verifier=verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


async def test_pkce_is_enforced_when_the_request_carried_a_challenge(outbound: Outbound) -> None:
    verifier, challenge = pkce_pair()
    for form, error in (({"code_verifier": "x" * 50}, "invalid_grant"), ({}, "invalid_request")):
        query = await outbound.consent(
            outbound.authorize_url(code_challenge=challenge, code_challenge_method="S256")
        )
        response = await outbound.token(
            grant_type="authorization_code", code=query["code"], redirect_uri=REDIRECT_URI, **form
        )
        assert response.status_code == 400 and response.json()["error"] == error, response.text
    assert verifier  # the right verifier is exercised by the test above


async def test_the_exchange_checks_redirect_uri_client_and_secret(outbound: Outbound) -> None:
    query = await outbound.consent()
    wrong_uri = await outbound.token(grant_type="authorization_code", code=query["code"],
                                     redirect_uri="https://recipient.example/other")  # fmt: skip
    assert wrong_uri.status_code == 400 and wrong_uri.json()["error"] == "invalid_grant"
    wrong_secret = await outbound.http.post(
        "/outbound/api/v1/token",
        data={"grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI},
        auth=(outbound.client_id, "not-the-secret"),
    )
    assert wrong_secret.status_code == 401 and wrong_secret.json()["error"] == "invalid_client"
    unsupported = await outbound.token(grant_type="password", username="u", password="p")
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"


async def test_the_token_endpoint_also_takes_flinks_json_body_with_the_secret_in_it(
    outbound: Outbound,
) -> None:
    query = await outbound.consent()
    body = {"grant_type": "authorization_code", "code": query["code"], "redirect_uri": REDIRECT_URI,
            "client_id": outbound.client_id, "client_secret": outbound.client_secret}  # fmt: skip
    response = await outbound.http.post("/outbound/api/v1/token", json=body)
    assert response.status_code == 200, response.text
    broken = await outbound.http.post(
        "/outbound/api/v1/token", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_request"


async def test_denying_returns_access_denied_with_flinks_description_and_the_state(
    outbound: Outbound,
) -> None:
    query = await outbound.consent(outbound.authorize_url(state="keep-me"), approve=False)
    assert query == {"error": "access_denied", "error_description": "The user denied the access",
                     "state": "keep-me"}  # fmt: skip


async def test_authorize_errors_redirect_only_to_a_verified_redirect_uri(outbound: Outbound) -> None:
    unknown = await outbound.http.get(
        outbound.authorize_url(client_id="dc-00000000-0000-4000-8000-000000000000")
    )
    assert unknown.status_code == 401 and "invalid_client" in unknown.text
    assert "location" not in unknown.headers
    foreign = await outbound.http.get(outbound.authorize_url(redirect_uri="https://evil.example/cb"))
    assert foreign.status_code == 400 and "location" not in foreign.headers
    cases = {
        "invalid_request": {"state": ""},
        "invalid_scope": {"scope": "ACCOUNT_BASIC client:admin"},
        "unsupported_response_type": {"response_type": "token"},
    }
    for error, overrides in cases.items():
        response = await outbound.http.get(outbound.authorize_url(**overrides))
        assert response.status_code == 302, (error, response.text)
        location = response.headers["location"]
        assert location.startswith(REDIRECT_URI + "?")
        assert parse_qs(urlsplit(location).query)["error"] == [error]
    unknown_provider = await outbound.http.get(outbound.authorize_url(provider_id="2000", state="s9"))
    query = parse_qs(urlsplit(unknown_provider.headers["location"]).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["s9"]


async def test_refresh_is_not_rotated_and_expires_after_30_idle_days(outbound: Outbound) -> None:
    tokens = await outbound.tokens()
    refresh = tokens["refresh_token"]
    outbound.clock.advance(timedelta(days=29))
    refreshed = await outbound.token(grant_type="refresh_token", refresh_token=refresh)
    assert refreshed.status_code == 200, refreshed.text
    assert "refresh_token" not in refreshed.json()
    assert claims_of(refreshed.json()["access_token"])["sub"] == claims_of(tokens["access_token"])["sub"]
    outbound.clock.advance(timedelta(days=29))  # 58 days after consent, 29 after the last use: still fine
    assert (await outbound.token(grant_type="refresh_token", refresh_token=refresh)).status_code == 200
    outbound.clock.advance(timedelta(days=30))
    expired = await outbound.token(grant_type="refresh_token", refresh_token=refresh)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"


async def test_revoke_refuses_the_connection_from_the_next_call_on(outbound: Outbound) -> None:
    tokens = await outbound.tokens()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    missing = await outbound.http.delete("/outbound/api/v1/revoke")
    assert missing.status_code == 401 and missing.json()["error"] == "invalid_token"
    revoked = await outbound.http.delete("/outbound/api/v1/revoke", headers=bearer)
    assert revoked.status_code == 204 and revoked.content == b""
    again = await outbound.http.delete("/outbound/api/v1/revoke", headers=bearer)
    assert again.status_code == 401
    refresh = await outbound.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


async def test_client_credentials_gives_the_admin_scope_for_the_recipients_own_records(
    outbound: Outbound,
) -> None:
    response = await outbound.token(grant_type="client_credentials", scope="client:admin")
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body and body["scope"] == "client:admin"
    admin = {"Authorization": f"Bearer {body['access_token']}"}
    recipients = (await outbound.http.get("/outbound/api/v1/recipients", headers=admin)).json()
    assert [r["client_id"] for r in recipients] == [outbound.client_id]
    assert recipients[0]["contacts"] == [{"email": "ops@acme.example"}] and "secret" not in json.dumps(
        recipients
    )
    providers = (await outbound.http.get("/outbound/api/v1/providers", headers=admin)).json()
    assert [(p["provider_id"], p["name"]) for p in providers] == [(1000, "Flinks Capital")]
    details = (await outbound.http.get("/outbound/api/v1/providers/1000", headers=admin)).json()
    assert "accounts.depositAccount.currentBalance" in details["data_inventory"]["detailed_accounts"]
    v2 = (await outbound.http.get("/outbound/api/v2/providers?isEnabledForClient=true", headers=admin)).json()
    assert [p["status"] for p in v2] == ["Activated"]
    requests = (
        await outbound.http.get("/outbound/api/v1/recipients/providers/requests", headers=admin)
    ).json()
    assert [(r["provider_id"], r["registration_status"]) for r in requests] == [(1000, "ACTIVE")]
    own = await outbound.http.get(f"/outbound/api/v1/recipients/{outbound.client_id}", headers=admin)
    assert own.status_code == 200 and own.json()["name"] == "Acme Lending"
    other = await outbound.http.get("/outbound/api/v1/recipients/dc-someone-else", headers=admin)
    assert other.status_code == 404
    unknown = await outbound.http.post(
        "/outbound/api/v1/recipients/providers/requests", json={"provider_id": 2000}, headers=admin
    )
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_request"
    wrong_scope = await outbound.token(grant_type="client_credentials", scope="ACCOUNT_BASIC")
    assert wrong_scope.status_code == 400 and wrong_scope.json()["error"] == "invalid_scope"
    user = await outbound.tokens()
    refused = await outbound.http.get(
        "/outbound/api/v1/recipients", headers={"Authorization": f"Bearer {user['access_token']}"}
    )
    assert refused.status_code == 403 and refused.json()["error"] == "insufficient_scope"


async def test_a_registration_request_is_pending_until_activated(outbound: Outbound) -> None:
    from finstance.outbound import recipients

    ctx = outbound.ctx
    issued = recipients.create(ctx, "Beta", ["https://beta.example/cb"], register=False)
    token = await outbound.http.post(
        "/outbound/api/v1/token",
        data={"grant_type": "client_credentials"},
        auth=(issued.client_id, issued.client_secret),
    )
    admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
    created = await outbound.http.post(
        "/outbound/api/v1/recipients/providers/requests", json={"provider_id": 1000}, headers=admin
    )
    assert created.status_code == 201 and created.json()["registration_status"] == "PENDING_APPROVAL"
    v1 = (await outbound.http.get("/outbound/api/v1/providers", headers=admin)).json()
    assert v1 == []
    # Not active: the consent is refused with unauthorized_client, back at the recipient.
    url = outbound.authorize_url(client_id=issued.client_id, redirect_uri="https://beta.example/cb")
    response = await outbound.http.get(url)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["unauthorized_client"]


async def test_a_token_of_this_instance_is_verified_with_its_published_key(outbound: Outbound) -> None:
    from joserfc import jwt
    from joserfc.jwk import KeySet

    tokens = await outbound.tokens()
    published = (await outbound.http.get("/outbound/.well-known/jwks.json")).json()
    decoded = jwt.decode(tokens["access_token"], KeySet.import_key_set(published), algorithms=["ES256"])
    assert decoded.claims["iss"] == keys.issuer(outbound.ctx.spec)
    assert isinstance(outbound.http, httpx.AsyncClient)
