"""Identifiers minted by another instance are refused locally, before any request is sent."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from finstance.client import (
    AsyncFlinksClient,
    FlinksClient,
    InvalidLoginError,
    SessionNonexistentError,
    WrongInstanceError,
    WrongInstanceLoginError,
    WrongInstanceRequestError,
    flinks_toolbox,
)
from finstance.core.identifiers import IdMinter
from finstance.core.instance import TOOLBOX_CUSTOMER_ID
from tests.conftest import US_CUSTOMER_ID

US_IDS = IdMinter(US_CUSTOMER_ID, b"demo-us-derive-key-for-tests-only")
TOOLBOX_IDS = IdMinter(TOOLBOX_CUSTOMER_ID, b"toolbox-derive-key-for-tests")

SyncCall = Callable[[FlinksClient, str], Any]
AsyncCall = Callable[[AsyncFlinksClient, str], Awaitable[Any]]

LOGIN_CALLS: dict[str, tuple[SyncCall, AsyncCall]] = {
    "authorize-cached": (lambda c, i: c.authorize(login_id=i), lambda c, i: c.authorize(login_id=i)),
    "authorize-live": (
        lambda c, i: c.authorize(login_id=i, most_recent_cached=False),
        lambda c, i: c.authorize(login_id=i, most_recent_cached=False),
    ),
    "fetch_accounts_detail": (
        lambda c, i: c.fetch_accounts_detail(i),
        lambda c, i: c.fetch_accounts_detail(i),
    ),
    "delete_card": (lambda c, i: c.delete_card(i), lambda c, i: c.delete_card(i)),
    "set_scheduled_refresh": (
        lambda c, i: c.set_scheduled_refresh(i, True),
        lambda c, i: c.set_scheduled_refresh(i, True),
    ),
    "get_mfa_questions": (lambda c, i: c.get_mfa_questions(i), lambda c, i: c.get_mfa_questions(i)),
    "answer_mfa_questions": (
        lambda c, i: c.answer_mfa_questions(i, {"Q?": "A"}),
        lambda c, i: c.answer_mfa_questions(i, {"Q?": "A"}),
    ),
}

REQUEST_CALLS: dict[str, tuple[SyncCall, AsyncCall]] = {
    "answer_mfa": (
        lambda c, i: c.answer_mfa(i, {"Q?": "A"}, "token"),
        lambda c, i: c.answer_mfa(i, {"Q?": "A"}, "token"),
    ),
    "accounts_summary": (lambda c, i: c.accounts_summary(i), lambda c, i: c.accounts_summary(i)),
    "accounts_detail": (lambda c, i: c.accounts_detail(i), lambda c, i: c.accounts_detail(i)),
    "statements": (lambda c, i: c.statements(i), lambda c, i: c.statements(i)),
    "accounts_summary_async": (
        lambda c, i: c.accounts_summary_async(i),
        lambda c, i: c.accounts_summary_async(i),
    ),
    "accounts_detail_async": (
        lambda c, i: c.accounts_detail_async(i),
        lambda c, i: c.accounts_detail_async(i),
    ),
    "statements_async": (lambda c, i: c.statements_async(i), lambda c, i: c.statements_async(i)),
}

CASES = [
    *[(name, "login", *calls) for name, calls in LOGIN_CALLS.items()],
    *[(name, "request", *calls) for name, calls in REQUEST_CALLS.items()],
]


def refuse_everything(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        pytest.fail(f"a request was sent: {request.method} {request.url}")

    return httpx.MockTransport(handler)


def check_local_refusal(error: WrongInstanceError, kind: str, identifier: str) -> None:
    assert error.http_status is None and error.instance == "toolbox"
    if kind == "login":
        assert isinstance(error, WrongInstanceLoginError) and isinstance(error, InvalidLoginError)
        assert error.flinks_code == "INVALID_LOGIN"
    else:
        assert isinstance(error, WrongInstanceRequestError) and isinstance(error, SessionNonexistentError)
        assert error.flinks_code == "SESSION_NONEXISTENT" and error.request_id == identifier


@pytest.mark.parametrize(("name", "kind", "sync_call", "async_call"), CASES, ids=[c[0] for c in CASES])
def test_sync_client_refuses_another_instances_identifier_without_a_request(
    name: str, kind: str, sync_call: SyncCall, async_call: AsyncCall
) -> None:
    sent: list[httpx.Request] = []
    identifier = US_IDS.derived("login", name) if kind == "login" else US_IDS.random()
    with httpx.Client(transport=refuse_everything(sent)) as http:
        client = FlinksClient(flinks_toolbox(), http_client=http)
        with pytest.raises(WrongInstanceError) as refused:
            sync_call(client, identifier)
    assert sent == []
    check_local_refusal(refused.value, kind, identifier)


@pytest.mark.parametrize(("name", "kind", "sync_call", "async_call"), CASES, ids=[c[0] for c in CASES])
async def test_async_client_refuses_another_instances_identifier_without_a_request(
    name: str, kind: str, sync_call: SyncCall, async_call: AsyncCall
) -> None:
    sent: list[httpx.Request] = []
    identifier = US_IDS.derived("login", name) if kind == "login" else US_IDS.random()
    async with httpx.AsyncClient(transport=refuse_everything(sent)) as http:
        client = AsyncFlinksClient(flinks_toolbox(), http_client=http)
        with pytest.raises(WrongInstanceError) as refused:
            await async_call(client, identifier)
    assert sent == []
    check_local_refusal(refused.value, kind, identifier)


@pytest.mark.parametrize(
    "identifier",
    [TOOLBOX_IDS.random(), str(uuid.uuid4()), "not-a-guid"],
    ids=["own", "plain-guid", "malformed"],
)
def test_identifiers_the_client_cannot_place_elsewhere_are_sent(identifier: str) -> None:
    """Own identifiers, plain GUIDs (real Flinks) and malformed values go to the server, which decides."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = {"HttpStatusCode": 401, "FlinksCode": "INVALID_LOGIN", "Message": "unknown"}
        return httpx.Response(401, json=body)

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        client = FlinksClient(flinks_toolbox(), http_client=http)
        with pytest.raises(InvalidLoginError) as refused:
            client.delete_card(identifier)
    assert not isinstance(refused.value, WrongInstanceError)
    assert len(sent) == 1 and sent[0].method == "DELETE"
    assert sent[0].headers["x-api-key"] == flinks_toolbox().api_key
