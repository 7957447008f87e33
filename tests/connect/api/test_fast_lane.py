"""The fast lane answers a kept GetAccountsDetail and GenerateAuthorizeToken before the router with the
route's very bytes and writes, and leaves everything else to the route: errors, limits, documents not yet kept
and odd bodies answer as they do without it."""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from datetime import datetime
from typing import Any

import httpx
import orjson
import pytest

from finstance.connect import data, sessions, tables, tokens, touches, wire
from finstance.core import ratelimit
from finstance.core.clock import ManualClock
from finstance.core.instance import TOOLBOX_API_KEY, Settings, toolbox_spec
from tests.conftest import TEST_SETTINGS, US_CUSTOMER_ID, serve_in_process, us_spec
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


async def test_a_session_s_first_call_is_answered_by_the_lane_with_the_route_s_bytes_and_write(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, routed: list[str]
) -> None:
    """Once a login's document is kept, a new session's first GetAccountsDetail (a cached Authorize, then
    the call) is answered by the lane's write handler: the route's bytes, and the route's one write (the
    options an Async call replays, the start of its data calls, its idle clock)."""
    flinks = Flinks(toolbox)
    ready = await ready_session(flinks, clock)
    assert (
        await flinks.data("GetAccountsDetail", {"RequestId": ready["RequestId"], **DETAIL})
    ).status_code == 200
    assert routed == [data.DETAIL]  # the document is kept from here on
    cached = (await flinks.cached(ready["Login"]["Id"])).json()["RequestId"]
    clock.advance(3)
    body = {"RequestId": cached, **DETAIL}
    lane = await flinks.data("GetAccountsDetail", body)
    assert lane.status_code == 200 and routed == [data.DETAIL], "the lane answered the first call"
    with context(toolbox).store.read() as db:
        row = db.get(tables.Session, cached)
        assert row is not None
        assert row.data_started_at == row.last_activity_at == clock.now()
        assert row.detail_options == dict(wire.AccountsDetailRequest.model_validate(body).stored)
    replayed = await flinks.poll("GetAccountsDetailAsync", cached)  # replays the stored options
    assert replayed.status_code == 200 and replayed.content == lane.content
    assert routed == [data.DETAIL] * 2  # an Async call is the route's
    other = (await flinks.cached(ready["Login"]["Id"])).json()["RequestId"]
    async with another_process(store_url, clock, NO_LANE) as plain:
        route = await Flinks(plain).data("GetAccountsDetail", {"RequestId": other, **DETAIL})
    assert routed == [data.DETAIL] * 3
    _same(lane, _with_id(route, other, cached))


def _with_id(response: httpx.Response, old: str, new: str) -> httpx.Response:
    """The same answer with one identifier for another (a RequestId of the same login, a token): two answers
    that differ only in it."""
    content = response.content.replace(old.encode(), new.encode())
    return httpx.Response(response.status_code, headers=response.headers, content=content)


async def test_the_write_handler_writes_nothing_when_it_does_not_answer(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    ready = await ready_session(flinks, clock)
    ctx = context(toolbox)
    body = wire.AccountsDetailRequest.model_validate({"RequestId": ready["RequestId"], **DETAIL})
    clock.advance(3)
    assert data.kept_detail(ctx, body, touch=True) is None  # the document is not kept yet: the route's
    with ctx.store.read() as db:
        row = db.get(tables.Session, ready["RequestId"])
        assert row is not None and row.detail_options is None and row.last_activity_at < clock.now()
    assert (await flinks.data("GetAccountsDetail", {**body.stored})).status_code == 200  # the route keeps it


@pytest.fixture
def minted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The GenerateAuthorizeToken calls the route answered."""
    calls: list[str] = []
    generate = tokens.generate

    def counted(ctx: Any, secret_key: str | None) -> str:
        calls.append("route")
        return generate(ctx, secret_key)

    monkeypatch.setattr(tokens, "generate", counted)
    return calls


async def test_a_token_from_the_lane_is_the_route_s_answer_and_opens_a_session(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, minted: list[str]
) -> None:
    flinks = Flinks(toolbox)
    headers = {"flinks-auth-key": flinks.secret_key}
    lane = await toolbox.post(f"{flinks.prefix}/GenerateAuthorizeToken", headers=headers)
    assert lane.status_code == 200 and minted == []
    async with another_process(store_url, clock, NO_LANE) as plain:
        route = await plain.post(f"{flinks.prefix}/GenerateAuthorizeToken", headers=headers)
    assert minted == ["route"]
    token = lane.json()["Token"]
    assert token != route.json()["Token"]
    _same(lane, _with_id(route, route.json()["Token"], token))
    assert (await flinks.live("greatday_nomfa")).status_code == 200
    body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
    assert (await flinks.authorize(body, token)).status_code == 200
    assert (await flinks.authorize(body, token)).status_code == 401  # spent once, as any token
    for wrong in ({}, {"flinks-auth-key": flinks.api_key}):  # the route refuses (and counts) a wrong key
        refused = await toolbox.post(f"{flinks.prefix}/GenerateAuthorizeToken", headers=wrong)
        assert refused.status_code == 401 and refused.json()["FlinksCode"] == "ACCESS_DENIED"
    assert minted == ["route"] * 3


async def test_the_token_limits_count_alike_with_the_lane(
    store_url: str, clock: ManualClock, minted: list[str]
) -> None:
    """A token the limit refuses is refused by the route, and every call is counted once: the lane's count
    and token are one transaction, rolled back when the limit says no."""
    settings = dataclasses.replace(TEST_SETTINGS, token_rate=3, bad_secret_rate=2)
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as http:
        flinks = Flinks(http)
        ctx = context(http)
        for _ in range(3):
            await flinks.token()
        assert minted == [] and ratelimit.peek(ctx, "token") == 3
        refused = await flinks.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": flinks.secret_key})
        assert refused.status_code == 401 and refused.json()["FlinksCode"] == "TOO_MANY_REQUESTS"
        assert minted == ["route"] and ratelimit.peek(ctx, "token") == 4
        clock.advance(settings.rate_window.total_seconds())  # a new window
        for _ in range(2):
            wrong = await flinks.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": flinks.api_key})
            assert wrong.status_code == 401 and wrong.json()["FlinksCode"] == "ACCESS_DENIED"
        locked = await flinks.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": flinks.secret_key})
        assert locked.status_code == 401 and locked.json()["FlinksCode"] == "TOO_MANY_REQUESTS"
        assert len(minted) == 4 and ratelimit.peek(ctx, "token") == 0  # the locked-out call counted nothing


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Authorize calls the route answered."""
    calls: list[str] = []
    authorize = sessions.authorize

    def counted(ctx: Any, token: str | None, inp: sessions.AuthorizeInput) -> sessions.AuthorizeOutcome:
        calls.append("route")
        return authorize(ctx, token, inp)

    monkeypatch.setattr(sessions, "authorize", counted)
    return calls


def _session_row(client: httpx.AsyncClient, request_id: str) -> dict[str, Any]:
    """A session's row, without what differs between two sessions (its id, the token that opened it)."""
    with context(client).store.read() as db:
        row = db.get(tables.Session, request_id)
        assert row is not None
        token = db.get(tables.AuthorizeToken, row.token_hash)
        assert token is not None and token.request_id == request_id and token.used_at is not None
        values = {c.key: getattr(row, c.key) for c in tables.Session.__table__.columns}
    return {k: v for k, v in values.items() if k not in ("id", "token_hash")}


async def test_a_cached_authorize_from_the_lane_is_the_route_s_answer_and_session(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, opened: list[str]
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock))["Login"]["Id"]
    assert opened == ["route"]  # the live connection
    body = {"LoginId": login_id, "MostRecentCached": True, "Tag": "a=1", "Save": False}
    lane = await flinks.authorize(body)
    assert lane.status_code == 200 and opened == ["route"], "the lane answered"
    async with another_process(store_url, clock, NO_LANE) as plain:
        route = await Flinks(plain).authorize(body)
    assert opened == ["route"] * 2
    request_id = lane.json()["RequestId"]
    _same(lane, _with_id(route, route.json()["RequestId"], request_id))
    assert _session_row(toolbox, request_id) == _session_row(toolbox, route.json()["RequestId"])
    # Its keys in any case, MostRecentCached left out (cached is the default with a LoginId): the lane too.
    odd = await flinks.authorize({"loginid": login_id, "TAG": "a=1", "save": False})
    assert odd.status_code == 200 and opened == ["route"] * 2
    assert _session_row(toolbox, odd.json()["RequestId"]) == _session_row(toolbox, request_id)
    detail = await flinks.data("GetAccountsDetail", {"RequestId": request_id, **DETAIL})
    assert detail.status_code == 200 and detail.json()["Tag"] == "a=1"


async def test_what_the_lane_does_not_authorize_the_route_answers_alike(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, opened: list[str]
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await ready_session(flinks, clock))["Login"]["Id"]
    failing = (await flinks.connect("test_question_not_found"))["Login"]["Id"]
    clock.advance(10)
    assert (await flinks.cached(failing)).status_code == 200
    await flinks.data("GetAccountsSummary", {"RequestId": (await flinks.cached(failing)).json()["RequestId"]})
    elsewhere = us_spec(store_url).ids.random()  # a loginId as another instance mints one
    bodies: list[dict[str, Any]] = [
        {"LoginId": "5e115eac-1209-4f19-641c-08d6d484e2fe", "MostRecentCached": True},  # unknown
        {"LoginId": "not-a-guid", "MostRecentCached": True},
        {"LoginId": elsewhere, "MostRecentCached": True},  # another instance's
        {"LoginId": failing, "MostRecentCached": True},  # its last refresh failed
        {"LoginId": login_id, "MostRecentCached": True, "RequestId": login_id},  # half an MFA answer
        {"LoginId": login_id, "MostRecentCached": "yes"},
        {"LoginId": login_id, "MostRecentCached": True, "Language": "de"},
    ]
    before = len(opened)
    async with another_process(store_url, clock, NO_LANE) as plain:
        for body in bodies:
            lane = await flinks.authorize(body)
            route = await Flinks(plain).authorize(body)
            assert lane.status_code != 200, lane.text
            lane_id, route_id = lane.json().get("RequestId"), route.json().get("RequestId")
            _same(lane, _with_id(route, route_id, lane_id) if route_id and lane_id else route)
        assert len(opened) == before + 2 * (len(bodies) - 2)  # the model refuses the last two first
        for spent in (await flinks.token(), "00000000-0000-0000-0000-000000000000"):
            if spent != "00000000-0000-0000-0000-000000000000":
                assert (await flinks.authorize({"LoginId": login_id}, spent)).status_code == 200
            reused = await flinks.authorize({"LoginId": login_id}, spent)
            assert reused.status_code == 401 and reused.json()["Message"] == tokens.INVALID_TOKEN


async def test_the_authorize_limits_count_alike_with_the_lane(
    store_url: str, clock: ManualClock, opened: list[str]
) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, login_rate=3)
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as http:
        flinks = Flinks(http)
        login_id = (await ready_session(flinks, clock))["Login"]["Id"]
        ctx = context(http)
        assert opened == ["route"] and ratelimit.peek(ctx, "login", login_id) == 0
        for _ in range(3):
            assert (await flinks.cached(login_id)).status_code == 200
        assert opened == ["route"] and ratelimit.peek(ctx, "login", login_id) == 3
        assert ratelimit.peek(ctx, "authorize") == 4
        refused = await flinks.cached(login_id)
        assert refused.status_code == 401 and refused.json()["FlinksCode"] == "TOO_MANY_REQUESTS"
        assert opened == ["route"] * 2 and ratelimit.peek(ctx, "login", login_id) == 4
        assert ratelimit.peek(ctx, "authorize") == 5


async def test_on_sqlite_a_write_takes_the_loop_when_the_lock_is_free_and_the_lane_s_threads_when_not(
    sqlite_store_url: str, clock: ManualClock, minted: list[str]
) -> None:
    """The lane's write handlers run on the event loop while SQLite's write lock is free at once; when another
    writer holds it, the handler has written nothing on the loop and waits for the lock in the lane's
    threads, so the loop serves other requests meanwhile and the answer is the same."""
    async with serve_in_process(toolbox_spec(sqlite_store_url), clock) as client:
        lane = client._transport.app.lane  # type: ignore[attr-defined]
        flinks = Flinks(client)
        path, headers = f"{flinks.prefix}/GenerateAuthorizeToken", {"flinks-auth-key": flinks.secret_key}
        free = await client.post(path, headers=headers)
        assert free.status_code == 200 and minted == []
        assert lane._threads is None, "answered on the loop: no thread was started"
        holder = context(client).store.engine.raw_connection()
        holder.execute("BEGIN IMMEDIATE")  # another writer, as another process would be
        released = threading.Timer(0.3, holder.commit)
        released.start()
        started = time.monotonic()
        waited = await client.post(path, headers=headers)
        elapsed = time.monotonic() - started
        released.join()
        holder.close()
        assert waited.status_code == 200 and minted == [] and elapsed >= 0.25
        assert lane._threads is not None, "the handler waited for the lock in the lane's threads"
        body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
        for token in (free.json()["Token"], waited.json()["Token"]):  # each was stored once, and spends once
            assert (await flinks.authorize(body, token)).status_code == 200
            assert (await flinks.authorize(body, token)).status_code == 401


async def test_a_read_runs_on_the_loop_and_in_the_lane_s_threads_when_postgresql_drops_its_connections(
    store_url: str, clock: ManualClock, routed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept GetAccountsDetail is answered on the event loop: on SQLite its read is made there, on
    PostgreSQL its row is fetched there without blocking the loop. When the server drops the loop's
    connections, the read runs in the lane's threads (which reconnect), with the same answer, and then on the
    loop again."""
    async with serve_in_process(toolbox_spec(store_url), clock) as client:
        lane = client._transport.app.lane  # type: ignore[attr-defined]
        in_threads: list[str] = []
        run = lane._run

        async def counted(handler: Any, *args: Any, on_loop: bool) -> Any:
            if not on_loop:
                in_threads.append(handler.__name__)
            return await run(handler, *args, on_loop=on_loop)

        monkeypatch.setattr(lane, "_run", counted)
        flinks = Flinks(client)
        request_id = (await ready_session(flinks, clock))["RequestId"]
        body = {"RequestId": request_id, **DETAIL}
        first = await flinks.data("GetAccountsDetail", body)  # the route's
        reads = [await flinks.data("GetAccountsDetail", body) for _ in range(6)]
        assert routed == [data.DETAIL], "the lane answered every later call"
        assert "accounts_detail" not in in_threads, "every read was made on the loop"
        for read in reads:
            _same(read, first)
        if context(client).store.backend == "sqlite":
            return
        with context(client).store.engine.connect() as conn:  # the server drops every connection of the store
            conn.exec_driver_sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        again = [await flinks.data("GetAccountsDetail", body) for _ in range(8)]
        assert routed == [data.DETAIL]
        for read in again:
            _same(read, first)
        fell_back = in_threads.count("accounts_detail")
        assert fell_back >= 1, "a read whose connection was dropped ran in the lane's threads"
        await flinks.data("GetAccountsDetail", body)
        assert in_threads.count("accounts_detail") == fell_back, "the loop reads again on new connections"
