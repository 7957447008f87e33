"""Answering a security challenge without handling the authorize token: the answer carries it."""

from __future__ import annotations

import pytest

from finstance.client import AccessDeniedError, AuthorizeAnswer, WrongInstanceRequestError
from finstance.testing import Sandbox, answers_for

LOGIN = {"institution": "FlinksCapital", "username": "Greatday", "password": "Everyday"}
TWO_STEPS = {**LOGIN, "username": "test_mfa_two_steps"}


@pytest.mark.parametrize("name", ["demo-ca", "demo-us"])
def test_a_challenge_is_answered_with_the_token_authorize_fetched(
    finstance_sandbox: Sandbox, name: str
) -> None:
    client = finstance_sandbox.client(name)
    challenge = client.authorize(**LOGIN)  # no token=: the client fetches one
    assert isinstance(challenge, AuthorizeAnswer) and challenge.http_status_code == 203
    token = challenge.authorize_token
    assert token
    done = client.answer_mfa(challenge, answers_for(challenge, client.config.country))
    assert done.http_status_code == 200 and done.login is not None
    assert done.request_id == challenge.request_id and done.authorize_token == token


def test_the_token_is_not_part_of_the_document(finstance_sandbox: Sandbox) -> None:
    challenge = finstance_sandbox.client("demo-ca").authorize(**LOGIN)
    token = challenge.authorize_token
    assert token
    assert token not in challenge.model_dump_json() and token not in repr(challenge)
    assert token not in str(challenge.model_dump(by_alias=True))
    assert set(challenge.model_dump(by_alias=True, exclude_none=True)) == {
        "HttpStatusCode", "Links", "Institution", "RequestId", "SecurityChallenges",
    }  # fmt: skip


def test_a_request_id_alone_is_enough_for_the_client_that_received_the_challenge(
    finstance_sandbox: Sandbox,
) -> None:
    client = finstance_sandbox.client("demo-us")
    answer = client.authorize(**TWO_STEPS)
    steps = 0
    while answer.http_status_code == 203:  # two challenges, one after the other
        answer = client.answer_mfa(answer.request_id, answers_for(answer, "US"))
        steps += 1
    assert steps == 2 and answer.http_status_code == 200 and answer.login is not None


def test_without_a_known_token_nothing_is_sent(finstance_sandbox: Sandbox) -> None:
    challenge = finstance_sandbox.client("demo-ca").authorize(**LOGIN)
    other = finstance_sandbox.client("demo-ca")  # never saw this challenge
    with pytest.raises(ValueError, match="no authorize token is known"):
        other.answer_mfa(challenge.request_id, answers_for(challenge, "CA"))
    done = other.answer_mfa(challenge, answers_for(challenge, "CA"))  # the challenge carries its token
    assert done.http_status_code == 200


def test_an_explicit_token_is_still_used_and_wins(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    token = client.generate_authorize_token()
    challenge = client.authorize(**LOGIN, token=token)
    assert challenge.authorize_token == token
    answers = answers_for(challenge, "CA")
    with pytest.raises(AccessDeniedError):  # another token than the session's
        client.answer_mfa(challenge, answers, client.generate_authorize_token())
    done = client.answer_mfa(challenge.request_id, answers, token)
    assert done.http_status_code == 200


def test_another_instances_request_id_is_refused_before_looking_for_a_token(
    finstance_sandbox: Sandbox,
) -> None:
    challenge = finstance_sandbox.client("demo-us").authorize(**LOGIN)
    with pytest.raises(WrongInstanceRequestError):
        finstance_sandbox.client("demo-ca").answer_mfa(challenge, {"How much is 1 + 1?": "2"})


async def test_the_async_client_answers_with_the_token_it_fetched(finstance_sandbox: Sandbox) -> None:
    async with finstance_sandbox.async_http() as http:
        client = finstance_sandbox.async_client("demo-ca", http)
        challenge = await client.authorize(**LOGIN)
        assert challenge.http_status_code == 203 and challenge.authorize_token
        done = await client.answer_mfa(challenge, answers_for(challenge, "CA"))
        assert done.http_status_code == 200 and done.login is not None
        answer = await client.authorize(**TWO_STEPS)
        steps = 0
        while answer.http_status_code == 203:
            answer = await client.answer_mfa(answer.request_id, answers_for(answer, "CA"))
            steps += 1
        assert steps == 2 and answer.http_status_code == 200
        stranger = finstance_sandbox.async_client("demo-ca", http)
        fresh = await client.authorize(**LOGIN)
        with pytest.raises(ValueError, match="no authorize token is known"):
            await stranger.answer_mfa(fresh.request_id, answers_for(fresh, "CA"))
