"""The FDX resource server: only the consented accounts and scopes, FDX error bodies and codes, the
correlation and trace headers, and cursor pagination through a year of transactions from the own store."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from finstance.connect import reads
from finstance.outbound import tables
from tests.outbound.conftest import Outbound

FDX = "/outbound/api/fdx/5"


async def connected(outbound: Outbound, **consent: Any) -> dict[str, str]:
    """Consent, exchange, and let the login's aggregation come due: the bearer header."""
    tokens = await outbound.tokens(**consent)
    outbound.clock.advance(timedelta(seconds=5))
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_accounts_show_only_the_consented_ones_with_fdx_shapes_and_headers(outbound: Outbound) -> None:
    page = await outbound.sign_in(outbound.authorize_url())
    offered = re.findall(r'name="account" value="([^"]+)"', page.text)
    assert len(offered) >= 2
    bearer = await connected(outbound, accounts=offered[:1])
    response = await outbound.http.get(f"{FDX}/accounts", headers={**bearer, "ob-correlation-id": "corr-1"})
    assert response.status_code == 200, response.text
    assert response.headers["ob-correlation-id"] == "corr-1" and response.headers["ob-trace-id"]
    items = response.json()["accounts"]
    assert len(items) == 1
    ((wrapper, account),) = items[0].items()
    assert wrapper == "depositAccount" and account["accountId"] == offered[0]
    assert account["accountCategory"] == "DEPOSIT_ACCOUNT" and account["accountType"] in (
        "CHECKING",
        "SAVINGS",
    )
    assert account["accountNumberDisplay"].startswith("****") and "currentBalance" not in account
    details = (await outbound.http.get(f"{FDX}/accounts?resultType=details", headers=bearer)).json()
    detailed = details["accounts"][0]["depositAccount"]
    assert isinstance(detailed["currentBalance"], float) and detailed["balanceType"] == "ASSET"
    assert "routingTransitNumber" not in detailed  # ACCOUNT_PAYMENTS was not asked for
    hidden = await outbound.http.get(f"{FDX}/accounts/{offered[1]}", headers=bearer)
    assert hidden.status_code == 404
    assert hidden.json() == {
        "code": "701",
        "message": "Account not found",
        "debugMessage": hidden.json()["debugMessage"],
    }
    filtered = await outbound.http.get(f"{FDX}/accounts?accountIds={offered[1]}", headers=bearer)
    assert filtered.status_code == 404 and filtered.json()["code"] == "701"
    one = await outbound.http.get(f"{FDX}/accounts/{offered[0]}", headers=bearer)
    assert one.status_code == 200 and one.json()["depositAccount"]["accountId"] == offered[0]


async def test_data_not_yet_aggregated_is_a_transient_503_with_retry_after(outbound: Outbound) -> None:
    tokens = await outbound.tokens()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    early = await outbound.http.get(f"{FDX}/accounts", headers=bearer)
    assert early.status_code == 503 and early.json()["code"] == "503"
    assert int(early.headers["retry-after"]) >= 1 and early.headers["ob-trace-id"]
    outbound.clock.advance(timedelta(seconds=5))
    assert (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).status_code == 200


async def test_each_resource_needs_its_scope(outbound: Outbound) -> None:
    url = outbound.authorize_url(scope="ACCOUNT_BASIC TRANSACTIONS")
    verifier_free = await outbound.consent(url)
    response = await outbound.token(grant_type="authorization_code", code=verifier_free["code"],
                                    redirect_uri="https://recipient.example/callback")  # fmt: skip
    outbound.clock.advance(timedelta(seconds=5))
    bearer = {"Authorization": f"Bearer {response.json()['access_token']}"}
    accounts = (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).json()["accounts"]
    account_id = next(iter(accounts[0].values()))["accountId"]
    one_account = f"/accounts/{account_id}"
    for path in ("/accounts?resultType=details", f"{one_account}/contact", "/customers/current",
                 f"{one_account}/payment-networks", f"{one_account}/statements"):  # fmt: skip
        refused = await outbound.http.get(FDX + path, headers=bearer)
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "403" and refused.json()["message"] == "Subscription not found"
    one = (await outbound.http.get(f"{FDX}/accounts/{account_id}", headers=bearer)).json()
    assert "currentBalance" not in next(iter(one.values()))


async def test_contact_customer_payment_networks_and_statements_where_the_scope_allows(
    outbound: Outbound,
) -> None:
    scope = "ACCOUNT_BASIC ACCOUNT_PAYMENTS CUSTOMER_CONTACT CUSTOMER_PERSONAL STATEMENTS"
    verifier_free = await outbound.consent(outbound.authorize_url(scope=scope))
    response = await outbound.token(grant_type="authorization_code", code=verifier_free["code"],
                                    redirect_uri="https://recipient.example/callback")  # fmt: skip
    outbound.clock.advance(timedelta(seconds=5))
    bearer = {"Authorization": f"Bearer {response.json()['access_token']}"}
    accounts = (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).json()["accounts"]
    deposit = next(a["depositAccount"]["accountId"] for a in accounts if "depositAccount" in a)
    contact = (await outbound.http.get(f"{FDX}/accounts/{deposit}/contact", headers=bearer)).json()
    assert contact["holders"][0]["name"]["last"] and "@" in contact["emails"][0]
    customer = (await outbound.http.get(f"{FDX}/customers/current", headers=bearer)).json()
    assert customer["customerId"] and customer["name"] == contact["holders"][0]["name"]
    networks = (await outbound.http.get(f"{FDX}/accounts/{deposit}/payment-networks", headers=bearer)).json()
    network = networks["paymentNetworks"][0]
    assert network["type"] == "CA_ACSS" and network["identifier"] and network["bankId"].startswith("0")
    listed = (await outbound.http.get(f"{FDX}/accounts/{deposit}/statements", headers=bearer)).json()
    assert listed["statements"], listed
    pdf = await outbound.http.get(listed["statements"][0]["links"][0]["href"], headers=bearer)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


async def test_a_year_of_transactions_pages_through_every_row_once_newest_first(outbound: Outbound) -> None:
    bearer = await connected(outbound)
    accounts = (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).json()["accounts"]
    account_id = accounts[0]["depositAccount"]["accountId"]
    today = outbound.clock.now().date()
    start, end = (today - timedelta(days=365)).isoformat(), today.isoformat()
    url: str | None = f"{FDX}/accounts/{account_id}/transactions?startTime={start}&endTime={end}&limit=50"
    seen: list[dict[str, Any]] = []
    pages = 0
    total = None
    while url is not None:
        response = await outbound.http.get(url, headers=bearer)
        assert response.status_code == 200, response.text
        body = response.json()
        total = body["page"]["totalElements"]
        seen += [item["depositTransaction"] for item in body["transactions"]]
        pages += 1
        url = body.get("links", {}).get("next", {}).get("href")
        if url is not None:
            assert body["page"]["nextOffset"] in url
            url = url.removeprefix("https://instance.test")
    assert pages > 2 and len(seen) == total
    ids = [t["transactionId"] for t in seen]
    assert len(set(ids)) == len(ids)
    stamps = [t["postedTimestamp"] for t in seen]
    assert stamps == sorted(stamps, reverse=True)
    with outbound.ctx.store.read() as db:
        login_id = db.query(tables.Consent.login_id).scalar()
        stored = [
            t for t in reads.transactions(db, login_id, since=date.fromisoformat(start))
            if t.account_id == account_id and t.date <= today
        ]  # fmt: skip
    assert set(ids) == {t.id for t in stored}
    amounts = {t.id: (t.credit_cents or 0) - (t.debit_cents or 0) for t in stored}
    for t in seen:
        sign = 1 if t["debitCreditMemo"] == "CREDIT" else -1
        assert round(sign * t["amount"] * 100) == amounts[t["transactionId"]]


async def test_dates_and_cursors_are_checked(outbound: Outbound) -> None:
    bearer = await connected(outbound)
    accounts = (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).json()["accounts"]
    first, second = (next(iter(a.values()))["accountId"] for a in accounts[:2])
    base = f"{FDX}/accounts/{first}/transactions"
    bad_date = await outbound.http.get(f"{base}?startTime=2025-13-01", headers=bearer)
    assert bad_date.status_code == 400 and bad_date.json()["code"] == "702"
    reversed_range = await outbound.http.get(
        f"{base}?startTime=2025-05-01&endTime=2025-01-01", headers=bearer
    )
    assert reversed_range.status_code == 400 and reversed_range.json()["code"] == "703"
    bad_limit = await outbound.http.get(f"{base}?limit=0", headers=bearer)
    assert bad_limit.status_code == 400 and bad_limit.json()["code"] == "401"
    cursor = (await outbound.http.get(f"{base}?limit=5", headers=bearer)).json()["page"]["nextOffset"]
    assert (await outbound.http.get(f"{base}?limit=5&offset={cursor}", headers=bearer)).status_code == 200
    elsewhere = await outbound.http.get(
        f"{FDX}/accounts/{second}/transactions?offset={cursor}", headers=bearer
    )
    assert elsewhere.status_code == 400 and elsewhere.json()["code"] == "401"
    day, seq, mac = cursor.split(".")
    forged = await outbound.http.get(f"{base}?offset={day}.{int(seq) + 1}.{mac}", headers=bearer)
    assert forged.status_code == 400


async def test_no_token_a_bad_token_and_a_revoked_consent_are_602(outbound: Outbound) -> None:
    bearer = await connected(outbound)
    assert (await outbound.http.get(f"{FDX}/accounts", headers=bearer)).status_code == 200
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        refused = await outbound.http.get(f"{FDX}/accounts", headers=headers)
        assert refused.status_code == 401 and refused.json()["code"] == "602", headers
    assert (await outbound.http.delete("/outbound/api/v1/revoke", headers=bearer)).status_code == 204
    revoked = await outbound.http.get(f"{FDX}/accounts", headers=bearer)
    assert revoked.status_code == 401 and revoked.json()["code"] == "602"
    assert revoked.json()["message"] == "Customer not authorized"
