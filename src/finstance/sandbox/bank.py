"""How the test institution Flinks Capital behaves: who may log in, which questions it asks, what fails.

Plain Python with no store and no web stack: the session service asks this module, then records the
outcome. The table of scenario users is published in ``docs/sandbox.md``; keep both in step.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import timedelta

from finstance.core import errors
from finstance.core.country import Country

INSTITUTION = "FlinksCapital"
INSTITUTION_ID = 14
PASSWORD = "everyday"  # noqa: S105 (public sandbox password)
# compared case-insensitively, as Flinks' toolbox does

CA_QUESTIONS: dict[str, str] = {
    "What city were you born in?": "Montreal",
    "What is the best country on earth?": "Canada",
    "What shape do people like most?": "Triangle",
}
CA_QUESTIONS_FR: dict[str, str] = {
    "Dans quelle ville êtes-vous né?": "Montreal",
    "Quel est le meilleur pays au monde?": "Canada",
    "Quelle forme les gens préfèrent-ils?": "Triangle",
}
_ARITHMETIC = re.compile(r"^(?:how much is|combien font)\s+(\d+)\s*\+\s*(\d+)\s*\??$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Scenario:
    """What happens when a sandbox username connects."""

    username: str
    outcome: str  # one line for the published table
    login_error: type[errors.FlinksError] | None = None  # raised once the credentials are checked
    mfa_steps: tuple[int, ...] = ()  # prompts per challenge, e.g. (1,) one question, (1, 1) two in turn
    aggregation_time: timedelta | None = None  # None: the instance's default
    beyond_dispatch: bool = False  # aggregation takes longer than the dispatch limit
    job_error: type[errors.FlinksError] | None = None  # the background aggregation fails with this
    cached_error: type[errors.FlinksError] | None = None  # a cached /Authorize replays this error


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("Greatday", "one security question (203), then success", mfa_steps=(1,)),
    Scenario("greatday_nomfa", "success without MFA"),
    Scenario("test_mfa_two_steps", "two security questions, one after the other", mfa_steps=(1, 1)),
    Scenario(
        "test_mfa_multiple",
        "two questions in one challenge (SECURITYRESPONSES_INCOMPLETE if one is left out)",
        mfa_steps=(2,),
    ),
    Scenario(
        "test_pending",
        "data calls answer 202 OPERATION_PENDING for 60 s",
        aggregation_time=timedelta(seconds=60),
    ),
    Scenario(
        "test_dispatched",
        "sync data calls answer 202 OPERATION_DISPATCHED (aggregation outlasts the dispatch limit)",
        beyond_dispatch=True,
    ),
    Scenario("test_disabled_account", "401 DISABLED_LOGIN", login_error=errors.DisabledLogin),
    Scenario("test_service_unavailable", "401 RETRY_LATER", login_error=errors.RetryLater),
    Scenario("test_new_account", "401 NEW_ACCOUNT", login_error=errors.NewAccount),
    Scenario("test_unauthorized", "401 UNAUTHORIZED", login_error=errors.Unauthorized),
    Scenario("test_invalid_login", "401 INVALID_LOGIN", login_error=errors.InvalidLogin),
    Scenario("test_too_many_requests", "401 TOO_MANY_REQUESTS", login_error=errors.TooManyRequests),
    Scenario(
        "test_aggregation_error",
        "connects, then data calls answer 500 AGGREGATION_ERROR",
        job_error=errors.AggregationError,
    ),
    # Flinks Pay's sandbox payors (the payment widget signs them in here); their accounts are John Doe's.
    Scenario("Happy1", "Pay's payor: success without MFA; a guaranteed payment completes"),
    Scenario("Happy2", "Pay's payor: success without MFA; the guarantee covers half (Next Best Offer)"),
    Scenario("Happy3", "Pay's payor: success without MFA; a guaranteed payment completes"),
    Scenario("Unhappy1", "Pay's payor: success without MFA; no guarantee is offered (EFT0402)"),
    Scenario(
        "test_question_not_found",
        "connects with a question; a later cached /Authorize answers 401 QUESTION_NOT_FOUND "
        "with a usable RequestId",
        mfa_steps=(1,),
        cached_error=errors.QuestionNotFound,
    ),
)
_BY_NAME = {s.username.lower(): s for s in SCENARIOS}


def find_scenario(username: str) -> Scenario | None:
    return _BY_NAME.get(username.strip().lower())


def check_credentials(username: str, password: str) -> Scenario:
    """The institution's answer to a username and password: the scenario, or the error it raises."""
    scenario = find_scenario(username)
    if scenario is None:
        raise errors.InvalidUsername()
    if password.strip().lower() != PASSWORD:
        raise errors.InvalidPassword()
    if scenario.login_error is not None:
        raise scenario.login_error()
    return scenario


def questions(country: Country, language: str) -> dict[str, str]:
    """Every stored-question prompt of the bank with its answer (Canadian simple questions)."""
    if country is Country.US:
        return {}
    return dict(CA_QUESTIONS_FR if language == "fr" else CA_QUESTIONS)


def draw_prompts(country: Country, language: str, count: int, seed: str) -> list[str]:
    """The prompts of one challenge: Canadian security questions, or U.S. arithmetic."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    if country is Country.US:
        prompts: list[str] = []
        while len(prompts) < count:
            a, b = rng.randint(1, 9), rng.randint(1, 9)
            text = f"Combien font {a} + {b}?" if language == "fr" else f"How much is {a} + {b}?"
            if text not in prompts:
                prompts.append(text)
        return prompts
    return rng.sample(sorted(questions(country, language)), count)


def expected_answer(prompt: str, country: Country, language: str) -> str | None:
    if country is Country.US:
        match = _ARITHMETIC.match(prompt.strip())
        return str(int(match.group(1)) + int(match.group(2))) if match else None
    return questions(country, language).get(prompt)


def normalize_answer(answer: str) -> str:
    return " ".join(answer.split()).casefold()


def answer_is_correct(prompt: str, answers: list[str], country: Country, language: str) -> bool:
    expected = expected_answer(prompt, country, language)
    if expected is None or not answers:
        return False
    return any(normalize_answer(a) == normalize_answer(expected) for a in answers)
