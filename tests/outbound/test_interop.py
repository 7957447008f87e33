"""An unmodified third-party OAuth client completes the whole flow against the real app: Authlib's httpx
client builds the authorization URL (with PKCE and state), exchanges the code, refreshes, and calls the API
with its token."""

from __future__ import annotations

import pytest

from tests.outbound.conftest import ALL_SCOPES, BASE, REDIRECT_URI, Outbound


# Authlib's httpx integration warns that it prefers the httpx2 fork; this project's clients use httpx.
@pytest.mark.filterwarnings("ignore:The httpx module is deprecated")
async def test_authlibs_client_runs_the_authorization_code_flow_with_pkce_then_refreshes(
    outbound: Outbound,
) -> None:
    import httpx
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    client = AsyncOAuth2Client(
        client_id=outbound.client_id,
        client_secret=outbound.client_secret,
        scope=ALL_SCOPES,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        transport=httpx.ASGITransport(app=outbound.app),
        base_url=BASE,
    )
    async with client:
        verifier = "v" * 64
        url, state = client.create_authorization_url(
            f"{BASE}/outbound/api/v1/authorize", code_verifier=verifier, provider_id="1000"
        )
        assert "code_challenge=" in url and f"state={state}" in url
        query = await outbound.consent(url.removeprefix(BASE))
        assert query["state"] == state
        callback = f"{REDIRECT_URI}?code={query['code']}&state={state}"
        token = await client.fetch_token(
            f"{BASE}/outbound/api/v1/token",
            authorization_response=callback,
            code_verifier=verifier,
            state=state,
        )
        assert token["token_type"] == "Bearer" and token["refresh_token"]
        refreshed = await client.refresh_token(f"{BASE}/outbound/api/v1/token")
        assert refreshed["access_token"] != token["access_token"]
        # The refresh token is not rotated: the client keeps the one it has.
        assert client.token["refresh_token"] == token["refresh_token"]
        revoked = await client.delete(f"{BASE}/outbound/api/v1/revoke")
        assert revoked.status_code == 204
        refused = await client.delete(f"{BASE}/outbound/api/v1/revoke")
        assert refused.status_code == 401
