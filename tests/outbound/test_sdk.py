"""The SDK's typed Outbound client against the real app: code exchange with PKCE, accounts, every transaction
through the cursor, refresh, revoke, and the typed errors that follow."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from finstance.client import AsyncOutboundClient, FdxAPIError, OutboundOAuthError, pkce_pair
from tests.outbound.conftest import ALL_SCOPES, BASE, REDIRECT_URI, Outbound


async def test_the_async_outbound_client_runs_a_recipients_whole_session(outbound: Outbound) -> None:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=outbound.app), base_url=BASE)
    async with AsyncOutboundClient(BASE, outbound.client_id, outbound.client_secret, http=http) as client:
        verifier, challenge = pkce_pair()
        url = client.authorization_url(REDIRECT_URI, ALL_SCOPES, "s-sdk", code_challenge=challenge)
        query = await outbound.consent(url.removeprefix(BASE))
        token = await client.exchange_code(query["code"], REDIRECT_URI, verifier)
        assert token.expires_in == 299 and token.refresh_token
        outbound.clock.advance(timedelta(seconds=5))
        accounts = await client.accounts(token.access_token, details=True)
        account_id = next(iter(accounts[0].values()))["accountId"]
        rows = [t async for t in client.transactions(token.access_token, account_id, limit=200)]
        with outbound.ctx.store.read() as db:
            from finstance.connect import provider

            assert len(rows) == provider.transaction_count(db, account_id, None, None) > 200
        refreshed = await client.refresh(token.refresh_token)
        await client.revoke(refreshed.access_token)
        with pytest.raises(FdxAPIError) as refused:
            await client.accounts(refreshed.access_token)
        assert refused.value.code == "602" and refused.value.trace_id
        with pytest.raises(OutboundOAuthError) as gone:
            await client.refresh(token.refresh_token)
        assert gone.value.error == "invalid_grant"
