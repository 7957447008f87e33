"""Data calls: 202 until aggregation is done, the options of GetAccountsDetail, lifetimes, statements."""

from __future__ import annotations

import base64
import io
import itertools
from datetime import date, timedelta
from typing import Any

import httpx
import pypdf

from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.pdf import render_statement
from tests.flinks import Flinks


async def ready_session(
    flinks: Flinks, clock: ManualClock, username: str = "greatday_nomfa"
) -> dict[str, Any]:
    """A connected session whose aggregation has completed."""
    session = await flinks.connect(username)
    clock.advance(5)
    summary = await flinks.data("GetAccountsSummary", {"RequestId": session["RequestId"]})
    assert summary.status_code == 200, summary.text
    return session


async def detail(flinks: Flinks, request_id: str, **options: Any) -> dict[str, Any]:
    response = await flinks.data("GetAccountsDetail", {"RequestId": request_id, **options})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_pending_user_answers_202_until_its_aggregation_completes(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("test_pending")
    first = await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})
    assert first.status_code == 202
    assert first.json()["FlinksCode"] == "OPERATION_PENDING"
    assert first.json()["Links"] == [
        {
            "rel": "GetAccountsDetailAsync",
            "href": "/GetAccountsDetailAsync",
            "example": "/GetAccountsDetailAsync/{requestId}",
        }
    ]
    clock.advance(59)
    assert (await flinks.poll("GetAccountsDetailAsync", session["RequestId"])).status_code == 202
    clock.advance(2)
    done = await flinks.poll("GetAccountsDetailAsync", session["RequestId"])
    assert done.status_code == 200 and done.json()["Accounts"]


async def test_dispatched_user_answers_operation_dispatched_to_sync_calls(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("test_dispatched")
    sync = await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})
    assert sync.status_code == 202 and sync.json()["FlinksCode"] == "OPERATION_DISPATCHED"
    polled = await flinks.poll("GetAccountsDetailAsync", session["RequestId"])
    assert polled.status_code == 202 and polled.json()["FlinksCode"] == "OPERATION_PENDING"
    clock.advance(241)
    assert (await flinks.poll("GetAccountsDetailAsync", session["RequestId"])).status_code == 200


async def test_aggregation_error_user_gets_a_flinks_500(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("test_aggregation_error")
    clock.advance(5)
    response = await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})
    assert response.status_code == 500
    assert response.json()["FlinksCode"] == "AGGREGATION_ERROR"
    assert response.json()["RequestId"] == session["RequestId"]


async def test_async_poll_replays_the_options_of_the_original_call(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("greatday_nomfa")
    options = {"RequestId": session["RequestId"], "WithTransactions": False, "WithKYC": True}
    assert (await flinks.data("GetAccountsDetail", options)).status_code == 202
    clock.advance(5)
    body = (await flinks.poll("GetAccountsDetailAsync", session["RequestId"])).json()
    assert all("Transactions" not in a and a["Holder"] is not None for a in body["Accounts"])


async def test_days_of_transactions_bounds_the_history(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    today = clock.now().date()
    for days, span in (("Days90", 90), ("Days365", 365)):
        body = await detail(flinks, request_id, DaysOfTransactions=days)
        dates = [date.fromisoformat(t["Date"]) for a in body["Accounts"] for t in a["Transactions"]]
        assert dates and min(dates) >= today - timedelta(days=span)
        assert min(dates) <= today - timedelta(days=span - 20)  # the history really goes that far back
        assert max(dates) <= today


async def test_transactions_are_newest_first_with_consistent_running_balances(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    chequing = (await detail(flinks, request_id, DaysOfTransactions="Days365"))["Accounts"][0]
    txns = chequing["Transactions"]
    assert [t["Date"] for t in txns] == sorted((t["Date"] for t in txns), reverse=True)
    for newer, older in itertools.pairwise(txns):
        change = round((newer["Credit"] or 0) - (newer["Debit"] or 0), 2)
        assert round(older["Balance"] + change, 2) == newer["Balance"]
        assert (newer["Debit"] is None) != (newer["Credit"] is None)


async def test_identity_kyc_and_balance_appear_only_when_asked(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    bare = (await detail(flinks, request_id, WithBalance=False))["Accounts"][0]
    assert bare["TransitNumber"] is None and bare["Holder"] is None and bare["Balance"] is None
    full = (await detail(flinks, request_id, WithAccountIdentity=True, WithKYC=True))["Accounts"][0]
    assert full["TransitNumber"] and full["InstitutionNumber"] == "777"
    assert full["Holder"]["Address"]["Country"] == "CA" and full["Holder"]["Email"]
    assert set(full["Balance"]) == {"Available", "Current", "Limit"}


async def test_accounts_filter_and_date_range(toolbox: httpx.AsyncClient, clock: ManualClock) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    accounts = (await detail(flinks, request_id, WithTransactions=False))["Accounts"]
    kinds = {a["Type"] for a in accounts}
    assert {"Chequing", "Savings", "CreditCard", "LineOfCredit"} <= kinds
    wanted = accounts[1]["Id"]
    today = clock.now().date()
    start, end = today - timedelta(days=40), today - timedelta(days=10)
    body = await detail(
        flinks, request_id, AccountsFilter=[wanted], DateFrom=start.isoformat(), DateTo=end.isoformat()
    )
    assert [a["Id"] for a in body["Accounts"]] == [wanted]
    dates = {date.fromisoformat(t["Date"]) for t in body["Accounts"][0]["Transactions"]}
    assert dates and all(start <= d <= end for d in dates)


async def test_refresh_delta_returns_only_newer_transactions(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    chequing = (await detail(flinks, request_id))["Accounts"][0]
    anchor = chequing["Transactions"][10]
    delta = await detail(
        flinks, request_id, RefreshDelta=[{"AccountId": chequing["Id"], "TransactionId": anchor["Id"]}]
    )
    newer = delta["Accounts"][0]["Transactions"]
    assert [t["Id"] for t in newer] == [t["Id"] for t in chequing["Transactions"][:10]]


async def test_statements_are_real_pdfs_of_the_account(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = (
        await flinks.data("GetStatements", {"RequestId": request_id, "NumberOfStatements": "Months12"})
    ).json()
    first = body["StatementsByAccount"][0]
    assert len(first["Statements"]) == 12
    statement = first["Statements"][0]
    assert statement["FileType"] == "PDF" and statement["UniqueId"]
    text = pypdf.PdfReader(io.BytesIO(base64.b64decode(statement["Base64Bytes"]))).pages[0].extract_text()
    assert first["AccountNumber"] in text
    most_recent = (await flinks.data("GetStatements", {"RequestId": request_id})).json()
    assert all(len(a["Statements"]) == 1 for a in most_recent["StatementsByAccount"])
    with_detail = await detail(
        flinks, request_id, WithDetailsAndBankingStatements=True, NumberOfBankingStatements="Months3"
    )
    assert len(with_detail["StatementsByAccount"][0]["Statements"]) == 3


async def test_statements_rendered_on_request_are_the_institution_statements_byte_for_byte(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    body = (
        await flinks.data(
            "GetStatements", {"RequestId": session["RequestId"], "NumberOfStatements": "Months12"}
        )
    ).json()
    served = {
        a["AccountId"]: [base64.b64decode(s["Base64Bytes"]) for s in a["Statements"]]
        for a in body["StatementsByAccount"]
    }
    # What Flinks Capital handed over at aggregation: the profile of this login on the day it ran.
    profile = generate_profile("greatday_nomfa", Country.CA, clock.now().date(), salt=session["Login"]["Id"])
    expected = {
        a.id: [render_statement(profile.holder, s) for s in reversed(a.statements)] for a in profile.accounts
    }
    assert served == expected
    assert all(len(documents) == 12 for documents in served.values())


async def test_request_id_lives_8_minutes_before_data_then_30_minutes_idle(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock))["Login"]["Id"]
    unused = (await flinks.cached(login_id)).json()["RequestId"]
    used = (await flinks.cached(login_id)).json()["RequestId"]
    assert (await flinks.data("GetAccountsSummary", {"RequestId": used})).status_code == 200
    clock.advance(8 * 60)
    expired = await flinks.data("GetAccountsSummary", {"RequestId": unused})
    assert expired.status_code == 400 and expired.json()["FlinksCode"] == "SESSION_NONEXISTENT"
    assert (await flinks.data("GetAccountsSummary", {"RequestId": used})).status_code == 200
    clock.advance(29 * 60)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": used})).status_code == 200
    clock.advance(30 * 60)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": used})).status_code == 400


async def test_data_call_before_the_mfa_answer_is_unauthorized(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    challenge = (await flinks.live("Greatday")).json()
    response = await flinks.data("GetAccountsDetail", {"RequestId": challenge["RequestId"]})
    assert response.status_code == 401 and response.json()["FlinksCode"] == "UNAUTHORIZED"


async def test_summary_has_eligibility_ratios_and_holder(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = (await flinks.data("GetAccountsSummary", {"RequestId": request_id})).json()
    account = body["Accounts"][0]
    assert 0 <= account["EftEligibleRatio"] <= 1 and 0 <= account["ETransferEligibleRatio"] <= 1
    assert account["Holder"]["Name"] and "Transactions" not in account
    assert body["Login"]["LastRefresh"] != "0001-01-01T00:00:00"


async def test_summary_and_statements_have_async_variants(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await flinks.connect("greatday_nomfa")
    request_id = session["RequestId"]
    assert (await flinks.data("GetAccountsSummary", {"RequestId": request_id})).status_code == 202
    pending = await flinks.data("GetStatements", {"RequestId": request_id, "NumberOfStatements": "Months3"})
    assert pending.status_code == 202 and pending.json()["Links"][0]["href"] == "/GetStatementsAsync"
    clock.advance(5)
    summary = await flinks.poll("GetAccountsSummaryAsync", request_id)
    assert summary.status_code == 200 and summary.json()["Accounts"]
    statements = await flinks.poll("GetStatementsAsync", request_id)
    assert statements.status_code == 200
    assert len(statements.json()["StatementsByAccount"][0]["Statements"]) == 3  # the options of the 202 call
    posted = await toolbox.post(
        f"{flinks.prefix}/GetAccountsDetailAsync/{request_id}", headers={"x-api-key": flinks.api_key}
    )
    assert posted.status_code == 200  # node-flinks polls with POST
