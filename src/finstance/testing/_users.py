"""What an end-user of the test bank does in Connect, done through the SDK: log in, answer the questions.

These need only the SDK and the sandbox bank's answers (no server module), so they work against any
finstance server, in-process or separate, with the base install.
"""

from __future__ import annotations

from finstance.client import AsyncFlinksClient, FlinksClient
from finstance.connect.wire import AuthorizeResponse
from finstance.core.country import Country
from finstance.sandbox import bank


def answers_for(challenge: AuthorizeResponse, country: Country | str) -> dict[str, str]:
    """The Flinks Capital answers to a 203 challenge's prompts."""
    parsed = Country.parse(str(country))
    return {
        c.prompt: bank.expected_answer(c.prompt, parsed, "en") or ""
        for c in challenge.security_challenges or []
    }


def connect(
    client: FlinksClient,
    username: str = "Greatday",
    password: str = "Everyday",  # noqa: S107 (the public test password)
) -> AuthorizeResponse:
    """What an end-user does in Connect, through the API: log in to Flinks Capital, answer its questions."""
    token = client.generate_authorize_token()
    answer = client.authorize(institution="FlinksCapital", username=username, password=password, token=token)
    while answer.http_status_code == 203:
        answer = client.answer_mfa(answer.request_id, answers_for(answer, client.config.country), token)
    return answer


async def connect_async(
    client: AsyncFlinksClient,
    username: str = "Greatday",
    password: str = "Everyday",  # noqa: S107 (the public test password)
) -> AuthorizeResponse:
    """See :func:`connect`."""
    token = await client.generate_authorize_token()
    answer = await client.authorize(
        institution="FlinksCapital", username=username, password=password, token=token
    )
    while answer.http_status_code == 203:
        answer = await client.answer_mfa(answer.request_id, answers_for(answer, client.config.country), token)
    return answer
