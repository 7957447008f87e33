"""The document cache: repeated GetAccountsDetail calls served from kept bytes, never stale, never shared."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy import select, update

from finstance.connect import aggregation, data, documents, tables
from finstance.core import webhooks
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, sqlite_url, toolbox_spec
from finstance.core.store import Store
from finstance.core.store import tables as core_tables
from tests.conftest import TEST_SETTINGS, serve_in_process, us_spec, wait_for
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


async def refresh_elsewhere(store_url: str, clock: ManualClock, login_id: str) -> httpx.Response:
    """A live refresh of ``login_id`` by another process, and its GetAccountsDetail answer there."""
    async with another_process(store_url, clock) as other:
        live = await Flinks(other).authorize({"LoginId": login_id, "MostRecentCached": False})
        assert live.status_code == 200, live.text
        clock.advance(5)
        refreshed = await Flinks(other).data("GetAccountsDetail", {"RequestId": live.json()["RequestId"]})
        assert refreshed.status_code == 200, refreshed.text
        return refreshed


async def test_a_refresh_by_another_process_is_served_at_once(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    before = (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).json()
    assert len(kept(toolbox)) == 1
    clock.advance(2 * 86400)
    refreshed = await refresh_elsewhere(store_url, clock, login_id)
    assert len(kept(toolbox)) == 1  # this process did not see the refresh happen
    cached = (await flinks.cached(login_id)).json()["RequestId"]
    after = (await flinks.data("GetAccountsDetail", {"RequestId": cached})).json()
    assert datetime.fromisoformat(after["Login"]["LastRefresh"]) > datetime.fromisoformat(
        before["Login"]["LastRefresh"]
    )
    assert after["Accounts"] == refreshed.json()["Accounts"] != before["Accounts"]


async def test_a_refresh_elsewhere_that_brought_the_same_data_leaves_this_process_its_document(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, builds: Builds
) -> None:
    """The same data on the same day is the same document, whichever process refreshed the login: this one
    answers from what it kept, with the new refresh in the envelope."""
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    for _ in range(2):  # the second answer is kept whole
        before = (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).json()
    assert len(kept(toolbox)) == 1 and kept(toolbox).answers == 1
    clock.advance(60)  # the same day
    refreshed = await refresh_elsewhere(store_url, clock, login_id)
    built = builds.count
    cached = (await flinks.cached(login_id)).json()["RequestId"]
    after = await flinks.data("GetAccountsDetail", {"RequestId": cached})
    assert builds.count == built and len(kept(toolbox)) == 1  # answered from the document kept here
    last = refreshed.json()["Login"]["LastRefresh"]
    assert after.json()["Login"]["LastRefresh"] == last != before["Login"]["LastRefresh"]
    assert after.json()["Accounts"] == before["Accounts"] == refreshed.json()["Accounts"]
    again = (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).json()
    assert again["Login"]["LastRefresh"] == last  # not the whole answer this session got before
    assert {**again, "Login": before["Login"]} == before
    async with another_process(store_url, clock, UNCACHED) as plain:
        fresh = await Flinks(plain).data("GetAccountsDetail", {"RequestId": cached})
    assert fresh.content == after.content


async def test_a_refresh_whose_data_changed_before_its_commit_is_saved_under_the_lock(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh that found the data saved last time writes its webhooks before it locks the login; when the
    login's data changed meanwhile (another process saved other data), all of it is rolled back and the
    refresh is saved again with the login locked first: once, and the login's digest is its data's."""
    ctx = context(toolbox)
    webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    login_id = session["Login"]["Id"]
    with ctx.store.read() as db:
        digest = db.scalar(select(tables.Login.data_digest).where(tables.Login.id == login_id))
    assert digest is not None
    other_data = "0" * len(digest)
    emit, emitted = aggregation.emit_events, []

    def meanwhile(ctx: InstanceContext, db: Any, login: tables.Login, request_id: str | None) -> None:
        emitted.append(request_id)
        if len(emitted) == 1:  # the first attempt, which found the same data: it changes before the lock
            change = update(tables.Login).where(tables.Login.id == login_id).values(data_digest=other_data)
            if store_url.startswith("sqlite"):
                db.execute(change)  # a SQLite write holds the database from its BEGIN: nobody else can
            else:
                elsewhere = Store(store_url)
                with elsewhere.write() as other:
                    other.execute(change)
                elsewhere.dispose()
        emit(ctx, db, login, request_id)

    monkeypatch.setattr(aggregation, "emit_events", meanwhile)
    live = await flinks.authorize({"LoginId": login_id, "MostRecentCached": False})
    assert live.status_code == 200, live.text
    clock.advance(5)
    answer = await flinks.data("GetAccountsDetail", {"RequestId": live.json()["RequestId"]})
    assert answer.status_code == 200, answer.text
    assert emitted == [live.json()["RequestId"]] * 2  # the refresh was saved twice, the first rolled back
    with ctx.store.read() as db:
        assert db.scalar(select(tables.Login.data_digest).where(tables.Login.id == login_id)) == digest
        sent = db.scalars(
            select(core_tables.OutboxEvent.id).where(core_tables.OutboxEvent.type == "GetAccountsDetail")
        ).all()
    assert len(sent) == 2  # the first refresh's, and this one's once


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

    assert rows_kept(toolbox, keep) and rows_kept(toolbox, gone)
    assert (await delete(flinks, gone["Login"]["Id"])).status_code == 200
    assert len(kept(toolbox)) == 2
    assert rows_kept(toolbox, keep) and not rows_kept(toolbox, gone)
    assert kept(toolbox).logins() == {keep["Login"]["Id"]}
    assert seen_rows(context(toolbox)) == 0  # nor any row the store's hot reads keep
    refused = await flinks.data("GetAccountsDetail", {"RequestId": gone["RequestId"]})
    assert refused.status_code == 400


def rows_kept(client: httpx.AsyncClient, session: dict[str, Any]) -> bool:
    """Whether the rows the session's aggregation saved are kept in the process's memory."""
    return session["Login"]["Id"] in kept(client).rows_of()


def seen_rows(ctx: InstanceContext) -> int:
    """The rows the store's hot reads converted and keep (SQLite's; PostgreSQL's keep none)."""
    return sum(len(plan.seen) for plan in ctx.store._plans.values() if plan.seen is not None)


async def test_a_delete_card_by_another_process_is_forgotten_here_at_the_next_sweep(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    keep = await ready_session(flinks, clock, "Greatday")
    gone = await ready_session(flinks, clock)
    for session in (keep, gone):
        for _ in range(2):  # the second answer is the whole answer kept
            body = {"RequestId": session["RequestId"]}
            assert (await flinks.data("GetAccountsDetail", body)).status_code == 200
    ctx = context(toolbox)
    assert documents.sweep(ctx) == 0  # nothing deleted: nothing forgotten
    assert kept(toolbox).logins() == {keep["Login"]["Id"], gone["Login"]["Id"]}
    assert len(kept(toolbox)) == 2 and kept(toolbox).answers == 2
    assert rows_kept(toolbox, gone)
    if ctx.store.backend == "sqlite":
        assert seen_rows(ctx) > 0
    async with another_process(store_url, clock) as other:
        assert (await delete(Flinks(other), gone["Login"]["Id"])).status_code == 200
    assert gone["Login"]["Id"] in kept(toolbox).logins()  # this process did not see it happen
    assert documents.sweep(ctx) == 1
    assert kept(toolbox).logins() == {keep["Login"]["Id"]}
    assert len(kept(toolbox)) == 1 and kept(toolbox).answers == 1 and not rows_kept(toolbox, gone)
    assert seen_rows(ctx) == 0
    refused = await flinks.data("GetAccountsDetail", {"RequestId": gone["RequestId"]})
    assert refused.status_code == 400
    answered = await flinks.data("GetAccountsDetail", {"RequestId": keep["RequestId"]})
    assert answered.status_code == 200 and len(kept(toolbox)) == 1  # the other login's, still kept


async def test_an_api_process_forgets_a_login_deleted_elsewhere_by_itself(
    store_url: str, clock: ManualClock
) -> None:
    """The API process's sweeper runs on its own: nothing but time passing makes it forget."""
    swept = replace(TEST_SETTINGS, memory_sweep_seconds=0.05)
    async with another_process(store_url, clock, swept) as api:
        session = await ready_session(Flinks(api), clock)
        login_id = session["Login"]["Id"]
        answer = await Flinks(api).data("GetAccountsDetail", {"RequestId": session["RequestId"]})
        assert answer.status_code == 200
        assert login_id in kept(api).logins() and rows_kept(api, session)
        async with another_process(store_url, clock) as other:
            assert (await delete(Flinks(other), login_id)).status_code == 200
        await wait_for(lambda: login_id not in kept(api).logins())
        assert len(kept(api)) == 0 and not rows_kept(api, session)


async def test_each_instance_has_a_cache_of_its_own(
    toolbox: httpx.AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    flinks = Flinks(toolbox)
    session = await ready_session(flinks, clock)
    assert (await flinks.data("GetAccountsDetail", {"RequestId": session["RequestId"]})).status_code == 200
    assert len(kept(toolbox)) == 1
    async with serve_in_process(us_spec(sqlite_url(tmp_path / "us.db")), clock) as demo_us:
        assert kept(demo_us) is not kept(toolbox) and len(kept(demo_us)) == 0


DAY = date(2026, 1, 1)


def key(login_id: str, data: str = "d1", day: date = DAY) -> documents.Key:
    return (login_id, data, day, b"{}")


def test_the_cache_drops_the_least_recently_used_answers_past_its_bound() -> None:
    cache = documents.DocumentCache(max_bytes=100)
    cache.put(key("a"), (b"x" * 40,))
    cache.put(key("b"), (b"y" * 40,))
    assert cache.get(key("a")) == (b"x" * 40,)  # a is now the most recently used
    cache.put(key("c"), (b"z" * 30, b"w" * 10))
    assert cache.get(key("b")) is None
    assert cache.get(key("a")) is not None and cache.get(key("c")) is not None
    assert cache.size == 80 and len(cache) == 2
    cache.put(key("d"), (b"v" * 101,))  # larger than the whole cache: not kept
    assert cache.get(key("d")) is None and cache.size == 80
    cache.forget("a")
    assert cache.get(key("a")) is None and cache.size == 40 and len(cache) == 1


def test_a_refresh_keeps_the_documents_of_its_data_and_forgets_the_others() -> None:
    cache = documents.DocumentCache(max_bytes=1000)
    old, new, next_day = key("a", "d0"), key("a", "d1"), key("a", "d1", date(2026, 1, 2))
    cache.put(old, (b"old",))
    cache.keep_answer(old, ("s-1",), b"old answer")
    cache.put(new, (b"first",))
    cache.put(new, (b"other",))  # the same data: what is kept stays
    cache.put(next_day, (b"window",))
    cache.keep_answer(new, ("s-2",), b"new answer")
    assert cache.get(new) == (b"first",) and cache.size == 14
    cache.forget("a", keep=("d1", DAY))  # a refresh committed, its data is d1 on DAY
    assert cache.get(old) is None and cache.get(next_day) is None
    assert cache.answer(old, ("s-1",)) is None and cache.answer(new, ("s-2",)) == b"new answer"
    assert cache.get(new) == (b"first",) and cache.size == 5 and len(cache) == 1
    cache.forget("a")
    assert len(cache) == 0 and cache.size == 0 and cache.answers == 0


def test_a_whole_answer_is_kept_only_while_its_document_is() -> None:
    a, b = key("a"), key("b")
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
    cache.put(key("c"), (b"z" * 70,))  # b's document is dropped to make room: its answers go too
    assert cache.get(b) is None and cache.answer(b, ("r3",)) is None and cache.answers == 0
    assert cache.answer_bytes == 0


def test_whole_answers_are_bounded_in_count_and_in_a_quarter_of_the_cache_bytes() -> None:
    c = key("c")
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
        _, again = data.webhook_bodies(db, login, None, None, None, cache)
        assert builds.count == 1 and orjson.dumps(again["Accounts"]) == orjson.dumps(rendered["Accounts"])
        login.last_refresh = first + timedelta(days=1)  # the same data again, the next day
        data.webhook_bodies(db, login, None, None, None, cache)
        assert builds.count == 2
