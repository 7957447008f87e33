"""/GenerateAuthorizeToken and /Authorize: tokens, live and cached sessions, MFA, scenario users."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from finstance.connect import tokens
from finstance.core import errors
from finstance.core.clock import ManualClock
from finstance.core.context import InstanceContext
from finstance.core.instance import Settings, toolbox_spec
from finstance.core.keys import hash_token
from finstance.core.store.engine import Store
from finstance.sandbox import bank
from tests.flinks import Flinks


async def test_generate_token_refuses_a_wrong_or_missing_secret_key(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    for headers in (
        {},
        {"flinks-auth-key": "00000000-0000-0000-0000-000000000000"},
        {"flinks-auth-key": flinks.api_key},
    ):
        response = await flinks.post("GenerateAuthorizeToken", None, **headers)
        assert response.status_code == 401
        assert response.json() == {
            "HttpStatusCode": 401,
            "FlinksCode": "ACCESS_DENIED",
            "Message": "You must provide a valid auth key",
        }


async def test_authorize_token_is_single_use(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    assert (await flinks.live("greatday_nomfa")).status_code == 200
    body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
    assert (await flinks.authorize(body, token)).status_code == 200
    reused = await flinks.authorize(body, token)
    assert reused.status_code == 401
    assert reused.json()["Message"] == "You must provide a valid authorize token"


async def test_authorize_token_expires_after_30_minutes(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    fresh, stale = await flinks.token(), await flinks.token()
    clock.advance(29 * 60 + 59)
    body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
    assert (await flinks.authorize(body, fresh)).status_code == 200
    clock.advance(2)
    assert (await flinks.authorize(body, stale)).status_code == 401


async def test_secret_key_is_not_an_authorize_token(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
    response = await flinks.authorize(body, flinks.secret_key)
    assert response.status_code == 401 and response.json()["FlinksCode"] == "ACCESS_DENIED"


async def test_same_user_gets_the_same_login_id_and_a_new_request_id(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    first = await flinks.connect("Greatday")
    second = await flinks.connect("greatday")  # usernames are case-insensitive
    other = await flinks.connect("greatday_nomfa")
    assert first["Login"]["Id"] == second["Login"]["Id"]
    assert first["RequestId"] != second["RequestId"]
    assert other["Login"]["Id"] != first["Login"]["Id"]


async def test_mfa_continuation_needs_the_token_that_opened_the_session(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    challenge = await flinks.live("Greatday")
    other = await flinks.answer(challenge, token)
    assert other.status_code == 401 and other.json()["FlinksCode"] == "ACCESS_DENIED"


async def test_wrong_security_answer_ends_the_session(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
    challenge = await flinks.authorize(body, token)
    wrong = await flinks.answer(challenge, token, wrong=True)
    assert wrong.status_code == 401
    assert wrong.json()["FlinksCode"] == "INVALID_SECURITY_RESPONSE"
    assert wrong.json()["RequestId"] == challenge.json()["RequestId"]
    retry = await flinks.answer(challenge, token)
    assert retry.status_code == 400 and retry.json()["FlinksCode"] == "SESSION_NONEXISTENT"


async def test_answering_an_unasked_prompt_is_unknown_challenge_key(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
    challenge = await flinks.authorize(body, token)
    request_id = challenge.json()["RequestId"]
    unknown = await flinks.authorize(
        {"RequestId": request_id, "SecurityResponses": {"Favourite colour?": ["Blue"]}}, token
    )
    assert unknown.status_code == 401 and unknown.json()["FlinksCode"] == "UNKNOWN_CHALLENGE_KEY"
    assert unknown.json()["SecurityChallenges"] == challenge.json()["SecurityChallenges"]
    assert (await flinks.answer(challenge, token)).status_code == 200  # the challenge still stands


async def test_two_prompts_in_one_challenge_must_both_be_answered(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "test_mfa_multiple", "Password": "Everyday"}
    challenge = await flinks.authorize(body, token)
    prompts = [c["Prompt"] for c in challenge.json()["SecurityChallenges"]]
    assert len(prompts) == 2
    one = {prompts[0]: [bank.CA_QUESTIONS[prompts[0]]]}
    partial = await flinks.authorize(
        {"RequestId": challenge.json()["RequestId"], "SecurityResponses": one}, token
    )
    assert partial.status_code == 401 and partial.json()["FlinksCode"] == "SECURITYRESPONSES_INCOMPLETE"
    assert (await flinks.answer(challenge, token)).status_code == 200


async def test_two_step_mfa_asks_a_second_question_after_the_first(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "test_mfa_two_steps", "Password": "Everyday"}
    first = await flinks.authorize(body, token)
    second = await flinks.answer(first, token)
    assert second.status_code == 203
    assert second.json()["RequestId"] == first.json()["RequestId"]
    assert (await flinks.answer(second, token)).status_code == 200


async def test_answering_an_authorized_session_is_already_authorized(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
    challenge = await flinks.authorize(body, token)
    assert (await flinks.answer(challenge, token)).status_code == 200
    again = await flinks.answer(challenge, token)
    assert again.status_code == 401 and again.json()["FlinksCode"] == "ALREADY_AUTHORIZED"


async def test_mfa_session_expires_after_8_idle_minutes(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    token = await flinks.token()
    body = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
    challenge = await flinks.authorize(body, token)
    clock.advance(8 * 60)
    late = await flinks.answer(challenge, token)
    assert late.status_code == 400 and late.json()["FlinksCode"] == "SESSION_NONEXISTENT"


@pytest.mark.parametrize(
    ("username", "password", "status", "code"),
    [
        ("test_disabled_account", "Everyday", 401, "DISABLED_LOGIN"),
        ("test_service_unavailable", "Everyday", 401, "RETRY_LATER"),
        ("test_new_account", "Everyday", 401, "NEW_ACCOUNT"),
        ("test_unauthorized", "Everyday", 401, "UNAUTHORIZED"),
        ("test_invalid_login", "Everyday", 401, "INVALID_LOGIN"),
        ("test_too_many_requests", "Everyday", 401, "TOO_MANY_REQUESTS"),
        ("Greatday", "wrong-password", 401, "INVALID_PASSWORD"),
        ("nobody_at_all", "Everyday", 401, "INVALID_USERNAME"),
    ],
)
async def test_scenario_user_gives_its_documented_error(
    toolbox: httpx.AsyncClient, username: str, password: str, status: int, code: str
) -> None:
    response = await Flinks(toolbox).live(username, password)
    assert response.status_code == status
    body = response.json()
    assert body["HttpStatusCode"] == status and body["FlinksCode"] == code and body["Message"]
    assert body["RequestId"] and body["Institution"] == "FlinksCapital"


async def test_institution_other_than_the_sandbox_bank_is_disabled(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    response = await flinks.authorize({"Institution": "RBC", "Username": "Greatday", "Password": "Everyday"})
    assert response.status_code == 405 and response.json()["FlinksCode"] == "DISABLED_INSTITUTION"
    unknown = await flinks.authorize(
        {"Institution": "Nowhere Bank", "Username": "Greatday", "Password": "Everyday"}
    )
    assert unknown.status_code == 400 and unknown.json()["FlinksCode"] == "INVALID_REQUEST"


async def test_cached_authorize_opens_a_session_on_a_known_login(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    login_id = (await flinks.connect("greatday_nomfa"))["Login"]["Id"]
    cached = await flinks.cached(login_id)
    assert cached.status_code == 200
    assert cached.json()["Login"]["Id"] == login_id
    unknown = await flinks.cached("5e115eac-1209-4f19-641c-08d6d484e2fe")
    assert unknown.status_code == 401 and unknown.json()["FlinksCode"] == "INVALID_LOGIN"


async def test_cached_authorize_replays_question_not_found_with_a_usable_request_id(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    login_id = (await flinks.connect("test_question_not_found"))["Login"]["Id"]
    first = await flinks.cached(login_id)
    request_id = first.json()["RequestId"]
    clock.advance(10)
    assert (await flinks.data("GetAccountsSummary", {"RequestId": request_id})).status_code in (200, 202)
    replay = await flinks.cached(login_id)
    assert replay.status_code == 401 and replay.json()["FlinksCode"] == "QUESTION_NOT_FOUND"
    usable = await flinks.data("GetAccountsSummary", {"RequestId": replay.json()["RequestId"]})
    assert usable.status_code == 200, usable.text


async def test_live_refresh_by_login_id_asks_mfa_again_and_keeps_the_login(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = Flinks(toolbox)
    connected = await flinks.connect("Greatday")
    login_id = connected["Login"]["Id"]
    clock.advance(10)
    ready = await flinks.data("GetAccountsSummary", {"RequestId": connected["RequestId"]})
    assert ready.status_code == 200
    token = await flinks.token()
    refresh = await flinks.authorize({"LoginId": login_id, "MostRecentCached": False, "Save": True}, token)
    assert refresh.status_code == 203
    done = await flinks.answer(refresh, token)
    assert done.status_code == 200 and done.json()["Login"]["Id"] == login_id


async def test_live_refresh_while_aggregating_is_a_concurrent_session(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    login_id = (await flinks.connect("test_pending"))["Login"]["Id"]
    busy = await flinks.authorize({"LoginId": login_id, "MostRecentCached": False})
    assert busy.status_code == 401 and busy.json()["FlinksCode"] == "CONCURRENT_SESSION"


async def test_request_body_keys_bind_case_insensitively(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    response = await flinks.authorize(
        {
            "institution": "flinkscapital",
            "username": "greatday_nomfa",
            "password": "everyday",
            "mostRecentCached": False,
        }
    )
    assert response.status_code == 200, response.text


async def test_us_style_arithmetic_questions_are_not_asked_on_a_canadian_instance(
    toolbox: httpx.AsyncClient,
) -> None:
    challenge = await Flinks(toolbox).live("Greatday")
    assert challenge.json()["SecurityChallenges"][0]["Prompt"] in bank.CA_QUESTIONS


def test_a_token_spent_by_many_at_once_opens_exactly_one(store_url: str, clock: ManualClock) -> None:
    """Spending is one conditional UPDATE: of eight transactions presenting the same token at the same time,
    exactly one spends it and the others are refused, on both backends."""
    store = Store(store_url)
    store.migrate()
    ctx = InstanceContext(toolbox_spec(store_url), store, clock, Settings())
    token = tokens.mint(ctx)
    start = threading.Barrier(8)

    def spend(_: int) -> str:
        start.wait()
        try:
            with store.write() as db:
                return tokens.consume(db, token, clock.now())
        except errors.AccessDenied:
            return "refused"

    try:
        with ThreadPoolExecutor(8) as pool:
            outcomes = list(pool.map(spend, range(8)))
        assert sorted(outcomes) == sorted([hash_token(token)] + ["refused"] * 7)
        with store.write() as db, pytest.raises(errors.AccessDenied):
            tokens.consume(db, token, clock.now())  # and it stays spent
    finally:
        store.dispose()
