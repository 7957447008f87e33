"""The fast lane answers a kept GetAccountsDetail before the router with the route's very bytes, and leaves
everything else to the route: errors, touches, first calls and odd bodies answer as they do without it."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import httpx
import orjson
import pytest

from finstance.connect import data, tables, touches
from finstance.core.clock import ManualClock
from finstance.core.instance import TOOLBOX_API_KEY, Settings
from tests.conftest import US_CUSTOMER_ID
from tests.connect.api.test_data import ready_session
from tests.connect.api.test_documents import another_process, context
from tests.connect.api.test_observability import metric
from tests.flinks import Flinks

NO_LANE = Settings(run_worker=False, fast_lane=False)
DETAIL = {"DaysOfTransactions": "Days90", "WithTransactions": True, "WithBalance": True}


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The GetAccountsDetail calls the route answered (data.fetch still runs: it is only counted)."""
    calls: list[str] = []
    fetch = data.fetch

    def counted(ctx: Any, operation: str, request_id: str, body: Any) -> dict[str, Any]:
        if operation == data.DETAIL:
            calls.append(operation)
        return fetch(ctx, operation, request_id, body)

    monkeypatch.setattr(data, "fetch", counted)
    return calls


def _same(one: httpx.Response, other: httpx.Response) -> None:
    assert one.status_code == other.status_code
    assert one.content == other.content
    assert list(one.headers.multi_items()) == list(other.headers.multi_items())


async def test_a_kept_answer_is_the_route_s_bytes_and_headers(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, routed: list[str]
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id, **DETAIL}
    first = await flinks.data("GetAccountsDetail", body)  # the route: stores the options, keeps the document
    assert first.status_code == 200 and routed == [data.DETAIL]
    lane = await flinks.data("GetAccountsDetail", body)
    assert routed == [data.DETAIL], "the second call is answered by the lane"
    async with another_process(store_url, clock, NO_LANE) as plain:
        route = await Flinks(plain).data("GetAccountsDetail", body)
    assert routed == [data.DETAIL, data.DETAIL]
    _same(lane, route)
    _same(lane, first)
    # Endpoint names are matched case-insensitively, and a trailing slash names the same endpoint.
    for path in ("getaccountsdetail", "GETACCOUNTSDETAIL/"):
        odd = await toolbox.post(f"{flinks.prefix}/{path}", json=body, headers={"x-api-key": TOOLBOX_API_KEY})
        _same(odd, route)
    assert len(routed) == 2


async def test_what_the_lane_does_not_answer_the_route_answers_alike(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, routed: list[str]
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id, **DETAIL}
    assert (await flinks.data("GetAccountsDetail", body)).status_code == 200
    prefix = flinks.prefix
    key = {"x-api-key": TOOLBOX_API_KEY}
    json_type = {"content-type": "application/json"}
    requests: list[tuple[str, bytes, dict[str, str]]] = [
        (prefix, orjson.dumps(body), {}),  # no x-api-key
        (prefix, orjson.dumps(body), {"x-api-key": "00000000-0000-0000-0000-000000000000"}),
        (prefix, b'{"RequestId": ', key),  # malformed JSON
        (prefix, orjson.dumps({**body, "WithBalance": "true"}), key),  # a string is not a boolean
        (prefix, orjson.dumps({**body, "RequestId": "not-a-guid"}), key),
        (prefix, orjson.dumps([body]), key),
        (prefix, b"", key),
        (prefix, orjson.dumps(body), {**key, "content-type": "text/plain"}),
        (f"/v3/{US_CUSTOMER_ID}/BankingServices", orjson.dumps(body), key),  # another instance's customerId
    ]
    async with another_process(store_url, clock, NO_LANE) as plain:
        for path, content, headers in requests:
            sent = {**json_type, **headers}
            lane = await toolbox.post(f"{path}/GetAccountsDetail", content=content, headers=sent)
            route = await plain.post(f"{path}/GetAccountsDetail", content=content, headers=sent)
            assert lane.status_code != 200 or headers.get("content-type") == "text/plain", lane.text
            _same(lane, route)


async def test_the_route_answers_what_needs_a_write_and_the_lane_then_takes_over(
    toolbox: httpx.AsyncClient, clock: ManualClock, routed: list[str]
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id, **DETAIL}
    assert (await flinks.data("GetAccountsDetail", body)).status_code == 200
    assert (await flinks.data("GetAccountsDetail", body)).status_code == 200
    assert len(routed) == 1
    other = {**body, "WithKYC": True}  # new options are stored: the route
    assert (await flinks.data("GetAccountsDetail", other)).status_code == 200
    assert len(routed) == 2
    assert (await flinks.data("GetAccountsDetail", other)).status_code == 200
    assert len(routed) == 2
    # The session's idle clock is due a restart: the lane answers and leaves the write to a background thread.
    touched_before = await last_activity(toolbox, request_id)
    clock.advance(data.TOUCH_GRANULARITY.total_seconds())
    assert (await flinks.data("GetAccountsDetail", other)).status_code == 200
    touches.settle()
    assert len(routed) == 2
    assert await last_activity(toolbox, request_id) == clock.now() > touched_before
    # 29 minutes on, the RequestId still answers: the idle clock restarted at the touch.
    clock.advance(29 * 60)
    assert (await flinks.data("GetAccountsDetail", other)).status_code == 200
    touches.settle()
    clock.advance(31 * 60)  # expired: the route reports it
    expired = await flinks.data("GetAccountsDetail", other)
    assert expired.status_code == 400 and expired.json()["FlinksCode"].startswith("SESSION_")
    assert len(routed) == 3


async def last_activity(client: httpx.AsyncClient, request_id: str) -> datetime:
    with context(client).store.read() as db:
        row = db.get(tables.Session, request_id)
        assert row is not None
        return row.last_activity_at


async def test_a_body_in_several_chunks_reaches_the_route_whole(
    toolbox: httpx.AsyncClient, clock: ManualClock, routed: list[str]
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    content = orjson.dumps({"RequestId": request_id, **DETAIL})

    async def chunks() -> Any:
        for i in range(0, len(content), 7):
            yield content[i : i + 7]

    headers = {"x-api-key": TOOLBOX_API_KEY, "content-type": "application/json"}
    first = await toolbox.post(f"{flinks.prefix}/GetAccountsDetail", content=chunks(), headers=headers)
    assert first.status_code == 200, first.text
    assert len(routed) == 1  # not kept yet: the lane read the chunks and handed them on
    again = await toolbox.post(f"{flinks.prefix}/GetAccountsDetail", content=chunks(), headers=headers)
    assert again.status_code == 200 and again.content == first.content and len(routed) == 1


async def test_the_lane_counts_its_answers_and_hands_a_failed_read_or_a_large_body_to_the_app(
    toolbox: httpx.AsyncClient,
    clock: ManualClock,
    store_url: str,
    routed: list[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The lane answers before the app's middleware, so it does their part itself: its answers are in
    /metrics, a read that fails in it is the route's to answer, a body over the limit the app's to refuse."""
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    body = {"RequestId": request_id, **DETAIL}
    first = await flinks.data("GetAccountsDetail", body)
    assert (await flinks.data("GetAccountsDetail", body)).content == first.content
    assert routed == [data.DETAIL]
    scraped = (await toolbox.get("/metrics")).text
    assert metric(scraped, "finstance_requests_total", endpoint="GetAccountsDetail", status="200") == 2
    assert metric(scraped, "finstance_request_duration_seconds_count", endpoint="GetAccountsDetail") == 2

    padded = orjson.dumps({**body, "Padding": "x" * (NO_LANE.max_body_bytes + 1)})
    headers = {"x-api-key": TOOLBOX_API_KEY, "content-type": "application/json"}

    async def chunked() -> Any:  # no Content-Length: the size shows only as the body is read
        for i in range(0, len(padded), 65536):
            yield padded[i : i + 65536]

    async with another_process(store_url, clock, NO_LANE) as plain:
        for content in (padded, chunked):
            sent = content if isinstance(content, bytes) else content()
            lane = await toolbox.post(f"{flinks.prefix}/GetAccountsDetail", content=sent, headers=headers)
            sent = content if isinstance(content, bytes) else content()
            route = await plain.post(f"{flinks.prefix}/GetAccountsDetail", content=sent, headers=headers)
            assert lane.status_code == 413
            _same(lane, route)
    assert routed == [data.DETAIL]

    def broken(*_: Any) -> None:
        raise RuntimeError(f"cannot read {request_id}")

    monkeypatch.setattr(data, "kept_detail", broken)
    with caplog.at_level(logging.WARNING, logger="finstance.api"):
        after = await flinks.data("GetAccountsDetail", body)
    _same(after, first)
    assert routed == [data.DETAIL, data.DETAIL]
    assert "fast lane: RuntimeError on POST" in caplog.text and request_id not in caplog.text
