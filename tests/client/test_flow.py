"""Full flows of the sync and async clients against the in-process toolbox and demo-us apps."""

from __future__ import annotations

import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InvalidPasswordError,
    OperationPendingError,
    OperationPendingTimeout,
)
from finstance.connect.wire import AuthorizeResponse
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.sandbox import bank


def answers_for(challenge: AuthorizeResponse, country: Country) -> dict[str, str]:
    assert challenge.http_status_code == 203 and challenge.security_challenges
    return {
        c.prompt: bank.expected_answer(c.prompt, country, "en") or "" for c in challenge.security_challenges
    }


async def connect_async(client: AsyncFlinksClient, username: str = "Greatday") -> AuthorizeResponse:
    token = await client.generate_authorize_token()
    answer = await client.authorize(
        institution="FlinksCapital", username=username, password="Everyday", token=token
    )
    while answer.http_status_code == 203:
        answer = await client.answer_mfa(answer.request_id, answers_for(answer, client.config.country), token)
    return answer


def connect_sync(client: FlinksClient, username: str = "Greatday") -> AuthorizeResponse:
    token = client.generate_authorize_token()
    answer = client.authorize(
        institution="FlinksCapital", username=username, password="Everyday", token=token
    )
    while answer.http_status_code == 203:
        answer = client.answer_mfa(answer.request_id, answers_for(answer, client.config.country), token)
    return answer


async def check_greatday_async(client: AsyncFlinksClient, clock: ManualClock) -> None:
    token = await client.generate_authorize_token()
    challenged = await client.authorize(
        institution="FlinksCapital", username="Greatday", password="Everyday", token=token
    )
    assert challenged.http_status_code == 203 and len(challenged.security_challenges or []) == 1
    done = await client.answer_mfa(
        challenged.request_id, answers_for(challenged, client.config.country), token
    )
    assert done.http_status_code == 200 and done.login is not None
    assert done.request_id == challenged.request_id
    with pytest.raises(OperationPendingError) as pending:  # aggregation takes 3 s
        await client.accounts_summary(done.request_id)
    assert pending.value.http_status == 202 and pending.value.request_id == done.request_id
    clock.advance(5)
    summary = await client.accounts_summary_async(done.request_id)
    assert len(summary.accounts) == 4 and summary.login.id == done.login.id
    detail = await client.accounts_detail(done.request_id, with_transactions=False, with_kyc=True)
    assert all(a.transactions is None and a.holder is not None for a in detail.accounts)
    assert {a.currency for a in detail.accounts} == {client.config.country.currency}
    refreshed = await client.set_scheduled_refresh(done.login.id, True)
    assert refreshed.is_scheduled_refresh is True and refreshed.login_id == done.login.id
    institutions = await client.institutions(take=1)
    assert institutions.count >= 1 and len(institutions.institutions) == 1
    deleted = await client.delete_card(done.login.id)
    assert deleted.status_code == 200 and done.login.id in deleted.message


async def test_async_greatday_flow_with_mfa_on_toolbox(
    toolbox_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    await check_greatday_async(toolbox_client, clock)


async def test_async_greatday_flow_with_mfa_on_a_us_instance(
    us_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    await check_greatday_async(us_client, clock)


def test_sync_greatday_flow_with_mfa_and_statements(
    sync_toolbox_client: FlinksClient, clock: ManualClock
) -> None:
    client = sync_toolbox_client
    token = client.generate_authorize_token()
    challenged = client.authorize(
        institution="FlinksCapital", username="Greatday", password="Everyday", token=token
    )
    assert challenged.http_status_code == 203
    done = client.answer_mfa(challenged.request_id, answers_for(challenged, Country.CA), token)
    assert done.http_status_code == 200 and done.login is not None
    clock.advance(5)
    detail = client.accounts_detail(done.request_id)
    assert len(detail.accounts) == 4 and all(a.transactions for a in detail.accounts)
    statements = client.statements(done.request_id)
    assert statements.statements_by_account and statements.statements_by_account[0].statements
    cached = client.authorize(login_id=done.login.id)
    assert cached.http_status_code == 200 and cached.request_id != done.request_id


def test_sync_fetch_accounts_detail_polls_until_200(
    sync_toolbox_client: FlinksClient, clock: ManualClock
) -> None:
    client = sync_toolbox_client
    session = connect_sync(client, "test_pending")
    assert session.login is not None
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    detail = client.fetch_accounts_detail(session.login.id, poll_interval=10, sleep=sleep)
    assert detail.accounts and detail.login.id == session.login.id
    assert slept and all(s == 10 for s in slept) and sum(slept) >= 60  # test_pending answers 202 for 60 s


async def test_async_fetch_accounts_detail_polls_until_200(
    toolbox_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    session = await connect_async(toolbox_client, "test_pending")
    assert session.login is not None
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    detail = await toolbox_client.fetch_accounts_detail(
        session.login.id, poll_interval=10, sleep=sleep, with_transactions=False
    )
    assert detail.accounts and all(a.transactions is None for a in detail.accounts)
    assert slept and all(s == 10 for s in slept) and sum(slept) >= 60


async def test_async_fetch_accounts_detail_gives_up_after_its_timeout(
    toolbox_client: AsyncFlinksClient, clock: ManualClock
) -> None:
    session = await connect_async(toolbox_client, "test_pending")
    assert session.login is not None
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    with pytest.raises(OperationPendingTimeout) as timeout:
        await toolbox_client.fetch_accounts_detail(
            session.login.id, poll_interval=10, timeout=25, sleep=sleep
        )
    assert slept == [10, 10, 5]
    assert timeout.value.flinks_code == "OPERATION_PENDING" and timeout.value.instance == "toolbox"
    assert timeout.value.request_id is not None


async def test_async_wrong_password_raises_invalid_password_with_request_id_and_instance(
    toolbox_client: AsyncFlinksClient,
) -> None:
    with pytest.raises(InvalidPasswordError) as refused:
        await toolbox_client.authorize(institution="FlinksCapital", username="Greatday", password="nope")
    error = refused.value
    assert (error.http_status, error.flinks_code, error.instance) == (401, "INVALID_PASSWORD", "toolbox")
    assert error.request_id is not None and error.body is not None
    assert error.body["FlinksCode"] == "INVALID_PASSWORD"


def test_sync_wrong_password_raises_invalid_password_with_request_id_and_instance(
    sync_us_client: FlinksClient,
) -> None:
    with pytest.raises(InvalidPasswordError) as refused:
        sync_us_client.authorize(institution="FlinksCapital", username="Greatday", password="nope")
    error = refused.value
    assert (error.http_status, error.flinks_code, error.instance) == (401, "INVALID_PASSWORD", "demo-us")
    assert error.request_id is not None
