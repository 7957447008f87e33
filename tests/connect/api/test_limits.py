"""Rate limits on the authentication paths and the cap on failed MFA answers, shared through the store."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
import pytest

from finstance.core import ratelimit
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import TOOLBOX_SECRET_KEY, Settings, toolbox_spec
from finstance.core.store import Store
from tests.conftest import TEST_SETTINGS, serve_in_process
from tests.flinks import Flinks

NOMFA = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}


def limited(**limits: int) -> Settings:
    off = {"token_rate": 0, "bad_secret_rate": 0, "authorize_rate": 0, "login_rate": 0}
    return dataclasses.replace(TEST_SETTINGS, **{**off, **limits})


def assert_throttled(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["FlinksCode"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(response.headers["retry-after"]) <= 60


async def generate(http: httpx.AsyncClient, key: str = TOOLBOX_SECRET_KEY) -> httpx.Response:
    return await Flinks(http).post("GenerateAuthorizeToken", None, **{"flinks-auth-key": key})


async def test_authorize_tokens_per_instance_are_limited_per_window(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(token_rate=3)) as http:
        for _ in range(3):
            assert (await generate(http)).status_code == 200
        assert_throttled(await generate(http))
        clock.advance(timedelta(minutes=1))
        assert (await generate(http)).status_code == 200


async def test_a_brute_force_on_the_secret_key_locks_the_window_out(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(bad_secret_rate=3)) as http:
        for guess in range(3):
            wrong = await generate(http, f"00000000-0000-4000-8000-00000000000{guess}")
            assert wrong.status_code == 401 and wrong.json()["FlinksCode"] == "ACCESS_DENIED"
        assert_throttled(await generate(http, "00000000-0000-4000-8000-000000000009"))
        assert_throttled(await generate(http))  # even the right key waits: the guesser learns nothing
        clock.advance(timedelta(minutes=1))
        assert (await generate(http)).status_code == 200


async def test_authorize_is_limited_per_login_and_a_refused_call_keeps_its_token(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(login_rate=2)) as http:
        flinks = Flinks(http)
        login_id = (await flinks.connect("greatday_nomfa"))["Login"]["Id"]  # 1st call on this user
        other_id = (await flinks.connect("Greatday"))["Login"]["Id"]
        assert (await flinks.cached(login_id)).status_code == 200  # 1st on the loginId
        assert (await flinks.cached(login_id)).status_code == 200  # 2nd
        token = await flinks.token()
        refused = await flinks.authorize({"LoginId": login_id, "MostRecentCached": True}, token)
        assert_throttled(refused)
        assert (await flinks.cached(other_id)).status_code == 200  # another login is not affected
        clock.advance(timedelta(minutes=1))
        again = await flinks.authorize({"LoginId": login_id, "MostRecentCached": True}, token)
        assert again.status_code == 200, again.text  # the refused call had not spent the token


async def test_live_authorize_is_limited_per_username(store_url: str, clock: ManualClock) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(login_rate=2)) as http:
        flinks = Flinks(http)
        for password in ("wrong-1", "wrong-2"):
            assert (await flinks.live("greatday_nomfa", password)).json()["FlinksCode"] == "INVALID_PASSWORD"
        assert_throttled(await flinks.live("GREATDAY_NOMFA", "Everyday"))  # the same user, whatever the case
        assert (await flinks.live("Greatday", "Everyday")).status_code == 203


async def test_authorize_is_limited_per_instance(store_url: str, clock: ManualClock) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(authorize_rate=2)) as http:
        flinks = Flinks(http)
        assert (await flinks.authorize(NOMFA)).status_code == 200
        assert (await flinks.live("Greatday")).status_code == 203
        assert_throttled(await flinks.live("test_mfa_two_steps"))


async def test_processes_of_one_instance_share_the_counts(store_url: str, clock: ManualClock) -> None:
    settings = limited(token_rate=3)
    async with (
        serve_in_process(toolbox_spec(store_url), clock, settings) as first,
        serve_in_process(toolbox_spec(store_url), clock, settings) as second,
    ):
        assert (await generate(first)).status_code == 200
        assert (await generate(second)).status_code == 200
        assert (await generate(first)).status_code == 200
        assert_throttled(await generate(second))


async def test_failed_mfa_answers_are_capped_per_session(store_url: str, clock: ManualClock) -> None:
    settings = dataclasses.replace(limited(), max_failed_answers=2)
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as http:
        flinks = Flinks(http)
        token = await flinks.token()
        challenge = await flinks.authorize({**NOMFA, "Username": "Greatday"}, token)
        assert challenge.status_code == 203
        request_id = challenge.json()["RequestId"]
        stray = {"RequestId": request_id, "SecurityResponses": {"What is your name?": ["x"]}}
        first = await flinks.authorize(stray, token)
        assert first.json()["FlinksCode"] == "UNKNOWN_CHALLENGE_KEY" and "SecurityChallenges" in first.json()
        capped = await flinks.authorize(stray, token)
        assert capped.status_code == 401 and capped.json()["FlinksCode"] == "TOO_MANY_REQUESTS"
        assert "SecurityChallenges" not in capped.json()  # no challenge is left to answer
        ended = await flinks.answer(challenge, token)  # even the right answer: the session is over
        assert ended.status_code == 400 and ended.json()["FlinksCode"] == "SESSION_NONEXISTENT"


def test_old_windows_are_pruned(store_url: str, clock: ManualClock) -> None:
    store = Store(store_url)
    store.migrate()
    ctx = InstanceContext(toolbox_spec(store_url), store, clock, Settings())
    try:
        assert ratelimit.count(ctx, "a") == 1 and ratelimit.count(ctx, "a") == 2
        clock.advance(timedelta(minutes=1))
        assert ratelimit.count(ctx, "a") == 1  # a new window
        assert ratelimit.prune(ctx) == 1  # the old window's row
        assert ratelimit.peek(ctx, "a") == 1
    finally:
        store.dispose()


@pytest.mark.parametrize("limit", [0])
async def test_a_limit_of_zero_is_off(store_url: str, clock: ManualClock, limit: int) -> None:
    async with serve_in_process(toolbox_spec(store_url), clock, limited(token_rate=limit)) as http:
        for _ in range(5):
            assert (await generate(http)).status_code == 200
