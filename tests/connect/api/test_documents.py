"""The document cache: repeated GetAccountsDetail calls served from kept bytes, never stale, never shared."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select

from finstance.connect import aggregation, data, documents, tables
from finstance.core import webhooks
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, sqlite_url, toolbox_spec
from finstance.core.store import tables as core_tables
from tests.conftest import TEST_SETTINGS, serve_in_process, us_spec
from tests.connect.api.test_cards import delete
from tests.connect.api.test_data import ready_session
from tests.flinks import Flinks

UNCACHED = Settings(run_worker=False, document_cache_bytes=0)
OPTIONS: list[dict[str, Any]] = [
    {},
    {"WithKYC": True, "WithAccountIdentity": True, "DaysOfTransactions": "Days365"},
    {"WithTransactions": False, "WithBalance": False},
    {"WithDetailsAndBankingStatements": True, "NumberOfBankingStatements": "Months3"},
    {"DateFrom": "2020-01-01", "DateTo": "2030-01-01"},
]


def context(client: httpx.AsyncClient) -> InstanceContext:
    ctx: InstanceContext = client._transport.app.state.ctx  # type: ignore[attr-defined]
    return ctx


def kept(client: httpx.AsyncClient) -> documents.DocumentCache:
    cache = documents.cache(context(client))
    assert cache is not None
    return cache


@asynccontextmanager
async def another_process(
    store_url: str, clock: ManualClock, settings: Settings = TEST_SETTINGS
) -> AsyncIterator[httpx.AsyncClient]:
    """The same instance served by another app over the same store, as a second API process would."""
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as client:
        yield client


async def test_each_option_set_is_kept_once_and_answers_what_a_fresh_build_answers(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    request_id = (await ready_session(flinks, clock))["RequestId"]
    async with another_process(store_url, clock, UNCACHED) as plain:
        assert documents.cache(context(plain)) is None
        for i, options in enumerate(OPTIONS, start=1):
            body = {"RequestId": request_id, **options}
            first = await flinks.data("GetAccountsDetail", body)
            assert first.status_code == 200, first.text
            assert len(kept(toolbox)) == i
            again = await flinks.data("GetAccountsDetail", body)
            assert len(kept(toolbox)) == i
            fresh = await Flinks(plain).data("GetAccountsDetail", body)
            assert first.content == again.content == fresh.content
    assert kept(toolbox).size > 0


async def test_the_envelope_follows_the_session_while_the_data_is_shared(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    tagged = (await flinks.authorize({"LoginId": login_id, "MostRecentCached": True, "Tag": "t-2"})).json()
    one = (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).json()
    two = (await flinks.data("GetAccountsDetail", {"RequestId": tagged["RequestId"]})).json()
    assert len(kept(toolbox)) == 1
    assert one["RequestId"] == session["RequestId"] and two["RequestId"] == tagged["RequestId"]
    assert "Tag" not in one and two["Tag"] == "t-2"
    assert one["Accounts"] == two["Accounts"] and one["Accounts"][0]["Transactions"]
    untagged = (await flinks.authorize({"LoginId": login_id, "MostRecentCached": True})).json()
    three = (await flinks.data("GetAccountsDetail", {"RequestId": untagged["RequestId"]})).json()
    assert three["RequestId"] == untagged["RequestId"] and {**three, "RequestId": one["RequestId"]} == one
    # Each session's whole answer is kept apart (the first session's once its document was kept): asked
    # again, each gets its own answer back.
    for _ in range(2):
        for asked, answer in ((session, one), (tagged, two), (untagged, three)):
            again = await flinks.data("GetAccountsDetail", {"RequestId": asked["RequestId"]})
            assert again.json() == answer
    assert kept(toolbox).answers == 3


async def test_a_refresh_by_another_process_is_served_at_once(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    before = (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).json()
    assert len(kept(toolbox)) == 1
    clock.advance(2 * 86400)
    async with another_process(store_url, clock) as other:
        live = await Flinks(other).authorize({"LoginId": login_id, "MostRecentCached": False})
        assert live.status_code == 200, live.text
        clock.advance(5)
        refreshed = await Flinks(other).data("GetAccountsDetail", {"RequestId": live.json()["RequestId"]})
        assert refreshed.status_code == 200, refreshed.text
    assert len(kept(toolbox)) == 1  # this process did not see the refresh happen
    cached = (await flinks.cached(login_id)).json()["RequestId"]
    after = (await flinks.data("GetAccountsDetail", {"RequestId": cached})).json()
    assert datetime.fromisoformat(after["Login"]["LastRefresh"]) > datetime.fromisoformat(
        before["Login"]["LastRefresh"]
    )
    assert after["Accounts"] == refreshed.json()["Accounts"] != before["Accounts"]


async def test_delete_card_forgets_the_kept_answers_of_the_login(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    keep = await ready_session(flinks, clock, "Greatday")
    gone = await ready_session(flinks, clock)
    for session in (keep, gone):
        for options in OPTIONS[:2]:
            body = {"RequestId": session["RequestId"], **options}
            assert (await flinks.data("GetAccountsDetail", body)).status_code == 200
    assert len(kept(toolbox)) == 4

    def rows_kept(session: dict[str, Any]) -> bool:  # the rows its aggregation saved, kept in memory
        return any(key[1] == session["Login"]["Id"] for key in aggregation._ROWS)

    assert rows_kept(keep) and rows_kept(gone)
    assert (await delete(flinks, gone["Login"]["Id"])).status_code == 200
    assert len(kept(toolbox)) == 2
    assert rows_kept(keep) and not rows_kept(gone)
    refused = await flinks.data("GetAccountsDetail", {"RequestId": gone["RequestId"]})
    assert refused.status_code == 400


async def test_each_instance_has_a_cache_of_its_own(
    toolbox: httpx.AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    assert (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).status_code == 200
    assert len(kept(toolbox)) == 1
    async with serve_in_process(us_spec(sqlite_url(tmp_path / "us.db")), clock) as demo_us:
        assert kept(demo_us) is not kept(toolbox) and len(kept(demo_us)) == 0


def test_the_cache_drops_the_least_recently_used_answers_past_its_bound() -> None:
    at = datetime(2026, 1, 1)
    cache = documents.DocumentCache(max_bytes=100)
    cache.put(("a", at, b"{}"), (b"x" * 40,))
    cache.put(("b", at, b"{}"), (b"y" * 40,))
    assert cache.get(("a", at, b"{}")) == (b"x" * 40,)  # a is now the most recently used
    cache.put(("c", at, b"{}"), (b"z" * 30, b"w" * 10))
    assert cache.get(("b", at, b"{}")) is None
    assert cache.get(("a", at, b"{}")) is not None and cache.get(("c", at, b"{}")) is not None
    assert cache.size == 80 and len(cache) == 2
    cache.put(("d", at, b"{}"), (b"v" * 101,))  # larger than the whole cache: not kept
    assert cache.get(("d", at, b"{}")) is None and cache.size == 80
    cache.forget("a")
    assert cache.get(("a", at, b"{}")) is None and cache.size == 40 and len(cache) == 1


def test_a_refresh_replaces_its_document_and_forgets_the_older_ones() -> None:
    before, at = datetime(2026, 1, 1), datetime(2026, 1, 2)
    cache = documents.DocumentCache(max_bytes=1000)
    cache.put(("a", before, b"{}"), (b"old",))
    cache.keep_answer(("a", before, b"{}"), ("s-1",), b"old answer")
    cache.put(("a", at, b"{}"), (b"first",))
    cache.put(("a", at, b"{}"), (b"other",))  # a plain put keeps what is there
    assert cache.get(("a", at, b"{}")) == (b"first",)
    cache.put(("a", at, b"{}"), (b"second",), replace=True)  # the aggregation's own rendering wins
    assert cache.get(("a", at, b"{}")) == (b"second",) and cache.size == 9
    cache.forget("a", keep=at)
    assert cache.get(("a", before, b"{}")) is None and cache.answers == 0
    assert cache.get(("a", at, b"{}")) == (b"second",) and cache.size == 6 and len(cache) == 1
    cache.forget("a")
    assert len(cache) == 0 and cache.size == 0


def test_a_whole_answer_is_kept_only_while_its_document_is() -> None:
    at = datetime(2026, 1, 1)
    a, b = ("a", at, b"{}"), ("b", at, b"{}")
    cache = documents.DocumentCache(max_bytes=100)
    cache.keep_answer(a, ("r1",), b"answer")  # no document kept for it: not kept either
    assert cache.answer(a, ("r1",)) is None and cache.answers == 0
    cache.put(a, (b"x" * 40,))
    cache.put(b, (b"y" * 40,))
    cache.keep_answer(a, ("r1",), b"a1")
    cache.keep_answer(a, ("r2",), b"a2")
    cache.keep_answer(b, ("r3",), b"b3")
    assert (cache.answer(a, ("r1",)), cache.answer(a, ("r2",)), cache.answer(b, ("r3",))) == (
        b"a1",
        b"a2",
        b"b3",
    )
    assert cache.answer(a, ("r3",)) is None  # another envelope: another answer
    cache.forget("a")  # a refresh or a DeleteCard of login a
    assert cache.answer(a, ("r1",)) is None and cache.answer(a, ("r2",)) is None and cache.answers == 1
    cache.put(("c", at, b"{}"), (b"z" * 70,))  # b's document is dropped to make room: its answers go too
    assert cache.get(b) is None and cache.answer(b, ("r3",)) is None and cache.answers == 0
    assert cache.answer_bytes == 0


def test_whole_answers_are_bounded_in_count_and_in_a_quarter_of_the_cache_bytes() -> None:
    c = ("c", datetime(2026, 1, 1), b"{}")
    cache = documents.DocumentCache(max_bytes=1000)  # answers: at most 250 bytes
    cache.put(c, (b"z" * 10,))
    for i in range(documents.ANSWERS + 5):
        cache.keep_answer(c, (f"r{i}",), b"c")
    assert cache.answers == documents.ANSWERS and cache.answer_bytes == documents.ANSWERS
    assert cache.answer(c, ("r0",)) is None and cache.answer(c, ("r5",)) == b"c"  # r5 is now the newest
    cache.keep_answer(c, ("r5",), b"again")  # already kept: the kept bytes stay
    assert cache.answer(c, ("r5",)) == b"c" and cache.answer_bytes == documents.ANSWERS
    cache.keep_answer(c, ("big",), b"b" * 200)  # past 250 bytes: the least recently served go first
    assert cache.answer(c, ("big",)) == b"b" * 200 and cache.answer(c, ("r5",)) == b"c"
    assert cache.answer(c, ("r6",)) is None and cache.answer_bytes <= 250
    assert cache.answers == 1 + 250 - 200  # big, and the 50 newest one-byte answers (r5 among them)
    cache.keep_answer(c, ("huge",), b"h" * 251)  # larger than the answers' share: not kept
    assert cache.answer(c, ("huge",)) is None and cache.answer(c, ("big",)) is not None
    cache.forget("c")
    assert cache.answers == 0 and cache.answer_bytes == 0 and cache.size == 0


class Builds:
    """Counts the documents built from the rows (``data._detail_parts``) while ``counting``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count, self.counting = 0, True
        build = data._detail_parts

        def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
            self.count += self.counting
            return build(*args, **kwargs)

        monkeypatch.setattr(data, "_detail_parts", counted)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    return Builds(monkeypatch)


async def test_the_document_a_refresh_sent_by_webhook_answers_the_session_next(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, builds: Builds
) -> None:
    """The process that aggregates renders the session's document once, for the webhook, and answers the
    session's next GetAccountsDetail with those bytes: the same as a fresh build from the rows."""
    ctx = context(toolbox)
    webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
    flinks = Flinks(toolbox)
    session = await flinks.connect("greatday_nomfa")
    body = {"RequestId": session["RequestId"], "WithKYC": True}
    assert (await flinks.data("GetAccountsDetail", body)).status_code == 202  # its options are stored
    clock.advance(5)
    answer = await flinks.data("GetAccountsDetail", body)  # runs the due aggregation here, then answers
    assert answer.status_code == 200, answer.text
    assert builds.count == 1  # the webhook's rendering, not a second one for the answer
    with ctx.store.read() as db:
        sent = db.scalar(
            select(core_tables.OutboxEvent.body).where(core_tables.OutboxEvent.type == "GetAccountsDetail")
        )
    assert sent is not None
    webhook = orjson.loads(sent)
    assert webhook["Accounts"] == answer.json()["Accounts"] and webhook["Accounts"][0]["Transactions"]
    async with another_process(store_url, clock, UNCACHED) as plain:
        fresh = await Flinks(plain).data("GetAccountsDetail", body)
    assert fresh.content == answer.content


async def test_a_refresh_that_finds_the_same_data_the_same_day_builds_no_document(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, builds: Builds
) -> None:
    ctx = context(toolbox)
    webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
    flinks = Flinks(toolbox)

    async def refresh(login_id: str | None) -> httpx.Response:
        if login_id is None:
            session = await flinks.connect("greatday_nomfa")
        else:
            live = await flinks.authorize({"LoginId": login_id, "MostRecentCached": False})
            assert live.status_code == 200, live.text
            session = live.json()
        body = {"RequestId": session["RequestId"], "WithKYC": True}
        assert (await flinks.data("GetAccountsDetail", body)).status_code == 202
        clock.advance(5)
        answer = await flinks.data("GetAccountsDetail", body)  # aggregates here, then answers
        assert answer.status_code == 200, answer.text
        return answer

    def sent() -> list[dict[str, Any]]:
        with ctx.store.read() as db:
            rows = db.scalars(
                select(core_tables.OutboxEvent.body)
                .where(core_tables.OutboxEvent.type == "GetAccountsDetail")
                .order_by(core_tables.OutboxEvent.created_at)
            )
            return [orjson.loads(row) for row in rows]

    async def fresh(answer: httpx.Response) -> Any:
        """The same call answered by a process that keeps no document: built from the rows."""
        builds.counting = False
        async with another_process(store_url, clock, UNCACHED) as plain:
            body = {"RequestId": answer.json()["RequestId"], "WithKYC": True}
            again = await Flinks(plain).data("GetAccountsDetail", body)
        builds.counting = True
        assert again.status_code == 200, again.text
        return again.json()["Accounts"]

    first = await refresh(None)
    assert builds.count == 1  # the webhook's document, which answered the call too
    login_id = first.json()["Login"]["Id"]
    second = await refresh(login_id)
    assert builds.count == 1  # the same data the same day: the first refresh's document
    assert first.json()["Login"]["LastRefresh"] != second.json()["Login"]["LastRefresh"]
    assert second.json()["Accounts"] == await fresh(second)
    clock.advance(86400)  # the next day: the window of transactions moved, the document is built again
    third = await refresh(login_id)
    assert builds.count == 2
    assert third.json()["Accounts"] == await fresh(third) != second.json()["Accounts"]
    bodies = sent()
    assert [b["Accounts"] for b in bodies] == [a.json()["Accounts"] for a in (first, second, third)]


async def test_the_same_data_another_day_is_rendered_again(
    toolbox: httpx.AsyncClient, clock: ManualClock, builds: Builds
) -> None:
    """The window of transactions ends on the refresh's day: a document kept from the day before is not it."""
    session = await ready_session(Flinks(toolbox), clock)
    ctx, cache = context(toolbox), kept(toolbox)
    with ctx.store.write() as db:
        login = db.get(tables.Login, session["Login"]["Id"])
        assert login is not None and login.last_refresh is not None
        first = login.last_refresh
        builds.count = 0
        _, rendered = data.webhook_bodies(db, login, None, None, None, cache)
        assert builds.count == 1
        login.last_refresh = first + timedelta(seconds=1)  # the same data again, the same day
        _, again = data.webhook_bodies(db, login, None, None, None, cache, first)
        assert builds.count == 1 and orjson.dumps(again["Accounts"]) == orjson.dumps(rendered["Accounts"])
        login.last_refresh = first + timedelta(days=1)  # the same data again, the next day
        data.webhook_bodies(db, login, None, None, None, cache, first + timedelta(seconds=1))
        assert builds.count == 2
