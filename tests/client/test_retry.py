"""Retries: transient failures are sent again only where a second send cannot double a side effect."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from finstance.client import (
    AggregationError,
    APIConnectionError,
    AsyncFlinksClient,
    FlinksAPIError,
    FlinksClient,
    RetryPolicy,
    flinks_toolbox,
)
from finstance.client._retry import REPLAY_SAFE, parse_retry_after

LOGIN = {
    "Username": "Greatday",
    "IsScheduledRefresh": False,
    "LastRefresh": "",
    "Type": "Personal",
    "Id": "l",
}
DETAIL_OK = {
    "HttpStatusCode": 200,
    "Accounts": [],
    "StatementsByAccount": [],
    "Login": LOGIN,
    "InstitutionName": "FlinksCapital",
    "InstitutionId": 14,
    "Institution": "FlinksCapital",
    "RequestId": "r",
}
Step = Callable[[httpx.Request], httpx.Response]


def error(status: int, code: str | None = None, headers: dict[str, str] | None = None) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        body = {"HttpStatusCode": status, "FlinksCode": code, "Message": "x"} if code else {"x": 1}
        return httpx.Response(status, json=body, headers=headers)

    return step


def raises(exc: type[httpx.TransportError]) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc("boom", request=request)

    return step


def ok_detail(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json=DETAIL_OK)


def ok_token(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"HttpStatusCode": 200, "Token": "t"})


def ok_authorize(request: httpx.Request) -> httpx.Response:
    body = {"HttpStatusCode": 200, "Institution": "FlinksCapital", "RequestId": "r-2"}
    return httpx.Response(200, json=body)


class Script:
    """A transport answering with the next step of a script; counts what was sent."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.sent: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        return self.steps.pop(0)(request)


def sync_client(script: Script, slept: list[float], **policy: float) -> FlinksClient:
    http = httpx.Client(transport=httpx.MockTransport(script))
    return FlinksClient(flinks_toolbox(), http_client=http, retry=RetryPolicy(**policy), sleep=slept.append)  # type: ignore[arg-type]


def test_a_5xx_on_a_data_read_is_sent_again_with_backoff() -> None:
    script, slept = Script(error(503), error(502), ok_detail), []
    detail = sync_client(script, slept).accounts_detail("r")
    assert detail.request_id == "r" and len(script.sent) == 3
    assert len(slept) == 2 and 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0


def test_retries_stop_after_max_attempts_with_the_last_error() -> None:
    script, slept = Script(error(503), error(503), error(503)), []
    with pytest.raises(FlinksAPIError) as failed:
        sync_client(script, slept).accounts_detail("r")
    assert failed.value.http_status == 503 and len(script.sent) == 3 and len(slept) == 2


def test_429_waits_exactly_its_retry_after() -> None:
    script, slept = Script(error(429, None, {"Retry-After": "7"}), ok_detail), []
    sync_client(script, slept).accounts_summary("r")
    assert slept == [7.0] and len(script.sent) == 2


def test_a_retry_after_longer_than_the_cap_is_not_waited_for() -> None:
    script, slept = Script(error(429, None, {"Retry-After": "3600"}), ok_detail), []
    with pytest.raises(FlinksAPIError) as failed:
        sync_client(script, slept).accounts_summary("r")
    assert failed.value.http_status == 429 and slept == [] and len(script.sent) == 1


def test_retry_later_on_a_data_read_is_sent_again() -> None:
    script, slept = Script(error(401, "RETRY_LATER"), ok_detail), []
    sync_client(script, slept).accounts_detail_async("r")
    assert len(script.sent) == 2 and len(slept) == 1


def test_aggregation_error_is_final_and_not_retried() -> None:
    script, slept = Script(error(500, "AGGREGATION_ERROR"), ok_detail), []
    with pytest.raises(AggregationError):
        sync_client(script, slept).accounts_detail("r")
    assert len(script.sent) == 1 and slept == []


@pytest.mark.parametrize(
    "failure",
    [
        error(503),
        error(401, "RETRY_LATER"),
        error(429, None, {"Retry-After": "1"}),
        raises(httpx.ReadTimeout),
    ],
    ids=["503", "retry-later", "429", "read-timeout"],
)
def test_authorize_is_never_sent_again_once_it_may_have_reached_the_server(failure: Step) -> None:
    """A second /Authorize would spend another token and open a second session at the bank."""
    script, slept = Script(ok_token, failure, ok_authorize), []
    client = sync_client(script, slept)
    with pytest.raises(FlinksAPIError):
        client.authorize(institution="FlinksCapital", username="Greatday", password="Everyday")
    assert [r.url.path.rsplit("/", 1)[1] for r in script.sent] == ["GenerateAuthorizeToken", "Authorize"]
    assert slept == []


def test_generate_authorize_token_is_not_sent_again_after_a_read_timeout() -> None:
    script, slept = Script(raises(httpx.ReadTimeout), ok_authorize), []
    with pytest.raises(APIConnectionError) as failed:
        sync_client(script, slept).generate_authorize_token()
    assert len(script.sent) == 1 and failed.value.http_status is None
    assert isinstance(failed.value.__cause__, httpx.ReadTimeout)


def test_delete_card_is_not_sent_again_after_a_5xx() -> None:
    script, slept = Script(error(503), ok_detail), []
    with pytest.raises(FlinksAPIError):
        sync_client(script, slept).delete_card("3a9d2f4e-1111-4222-8333-444455556666")
    assert len(script.sent) == 1


def test_a_connection_never_made_is_retried_even_for_authorize() -> None:
    """Nothing reached the server, so nothing can be doubled."""
    script, slept = (
        Script(raises(httpx.ConnectError), ok_token, raises(httpx.ConnectTimeout), ok_authorize),
        [],
    )
    answer = sync_client(script, slept).authorize(login_id="3a9d2f4e-1111-4222-8333-444455556666")
    assert answer.request_id == "r-2" and len(script.sent) == 4 and len(slept) == 2


def test_connection_errors_end_in_api_connection_error_with_the_instance() -> None:
    script, slept = Script(*[raises(httpx.ConnectError)] * 3), []
    with pytest.raises(APIConnectionError) as failed:
        sync_client(script, slept).institutions()
    assert failed.value.instance == "toolbox" and "3 attempt" in failed.value.message and len(slept) == 2


def test_max_attempts_one_never_retries() -> None:
    script, slept = Script(error(503), ok_detail), []
    with pytest.raises(FlinksAPIError):
        sync_client(script, slept, max_attempts=1).accounts_detail("r")
    assert len(script.sent) == 1 and slept == []


async def test_async_client_applies_the_same_rule() -> None:
    script, slept = Script(error(504), raises(httpx.ReadError), ok_detail), []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with httpx.AsyncClient(transport=httpx.MockTransport(script)) as http:
        client = AsyncFlinksClient(flinks_toolbox(), http_client=http, sleep=sleep)
        detail = await client.statements_async("r")
        assert detail.request_id == "r" and len(script.sent) == 3 and len(slept) == 2
        script.steps = [raises(httpx.ReadError), ok_authorize]
        with pytest.raises(APIConnectionError):
            await client.generate_authorize_token()
    assert len(script.sent) == 4


def test_backoff_is_capped_and_jittered_in_the_upper_half() -> None:
    policy = RetryPolicy(max_attempts=10, base_delay=1, max_delay=5, rng=random.Random(7))
    waits = [policy.backoff(n) for n in range(1, 8)]
    caps = [1, 2, 4, 5, 5, 5, 5]
    assert all(cap / 2 <= wait <= cap for wait, cap in zip(waits, caps, strict=True))
    assert len(set(waits)) == len(waits)  # jittered, not constant


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert parse_retry_after("soon") is None and parse_retry_after("-4") == 0


def test_only_reads_and_idempotent_setters_are_replay_safe() -> None:
    assert not {"Authorize", "GenerateAuthorizeToken", "DeleteCard"} & REPLAY_SAFE
    assert {"GetAccountsDetail", "GetAccountsDetailAsync", "SetScheduledRefresh"} <= REPLAY_SAFE
