"""Connect iframe URLs: real Flinks hosts, documented parameters, a fresh token when required."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from finstance.client import (
    AsyncFlinksClient,
    ConnectOptions,
    Flinks,
    FlinksClient,
    connect_url,
    flinks_instance,
    flinks_toolbox,
)
from finstance.testing import Sandbox

CUSTOMER = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"


def tokens(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"HttpStatusCode": 200, "Token": f"tok-{len(sent)}"})

    return httpx.MockTransport(handler)


def query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


@pytest.mark.parametrize(
    ("config", "base"),
    [
        (flinks_toolbox(), "https://toolbox-iframe.private.fin.ag/v2/"),
        (flinks_instance("acme", "CA", CUSTOMER, "s", "a"), "https://acme-ca-iframe.private.fin.ag/v2/"),
        (flinks_instance("acme", "US", CUSTOMER, "s", "a"), "https://acme-us-iframe.private.fin.ag/v2/"),
    ],
    ids=["toolbox", "acme-ca", "acme-us"],
)
def test_urls_of_real_flinks_hosts(config: object, base: str) -> None:
    options = ConnectOptions(
        demo=True, redirect_url="https://example.com/thank-you?a=1", consent_enable=False
    )
    url = connect_url(config, options, token="tok")  # type: ignore[arg-type]
    assert url.startswith(base + "?")
    assert query(url) == [
        ("authorizeToken", "tok"),
        ("demo", "true"),
        ("redirectUrl", "https://example.com/thank-you?a=1"),
        ("consentEnable", "false"),
    ]


def test_documented_parameters_use_their_connect_names() -> None:
    options = ConnectOptions(
        language="fr",
        days_of_transactions="Days365",
        details_and_statement_enable=True,
        months_of_statements="Months12",
        account_selector_enable=True,
        foreground_color1="000000",
        institutions_location="us",
        tag="user-42",
        maximum_retry=3,
    )
    url = connect_url(flinks_toolbox(), options, extra={"newParam": True})
    assert dict(query(url)) == {
        "language": "fr",
        "daysOfTransactions": "Days365",
        "detailsAndStatementEnable": "true",
        "monthsOfStatements": "Months12",
        "accountSelectorEnable": "true",
        "foregroundColor1": "000000",
        "institutionsLocation": "us",
        "tag": "user-42",
        "maximumRetry": "3",
        "newParam": "true",
    }
    with pytest.raises(ValueError, match="tag"):
        connect_url(flinks_toolbox(), options, extra={"tag": "x"})
    with pytest.raises(ValueError):  # noqa: PT011 (pydantic's message)
        ConnectOptions(redirectUrl_typo="x")  # type: ignore[call-arg]


def test_the_client_fetches_a_fresh_token_for_every_url() -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(transport=tokens(sent)) as http:
        client = FlinksClient(flinks_instance("acme", "US", CUSTOMER, "sk-us", "a"), http_client=http)
        first, second = client.connect_url(demo=True), client.connect_url(demo=True)
    assert (
        dict(query(first))["authorizeToken"] == "tok-1" and dict(query(second))["authorizeToken"] == "tok-2"
    )
    assert [r.url.host for r in sent] == ["acme-us-api.private.fin.ag"] * 2
    assert all(r.headers["flinks-auth-key"] == "sk-us" for r in sent)


async def test_no_token_is_fetched_when_the_instance_does_not_require_one() -> None:
    sent: list[httpx.Request] = []
    config = flinks_instance("old", "CA", CUSTOMER, "s", "a", requires_authorize_token=False)
    async with httpx.AsyncClient(transport=tokens(sent)) as http:
        url = await AsyncFlinksClient(config, http_client=http).connect_url(redirect_url="https://e.com")
    assert sent == [] and query(url) == [("redirectUrl", "https://e.com")]


def test_router_builds_the_url_of_the_end_users_country() -> None:
    sent: list[httpx.Request] = []
    ca = flinks_instance("acme", "CA", CUSTOMER, "sk-ca", "a")
    us = flinks_instance("acme", "US", "9e8d7c6b-5a49-4838-8271-605f4e3d2c1b", "sk-us", "a")
    with httpx.Client(transport=tokens(sent)) as http:
        url = Flinks([ca, us], http_client=http).connect_url("US", tag="end-user-7")
    assert url.startswith("https://acme-us-iframe.private.fin.ag/v2/?authorizeToken=tok-1")
    assert sent[0].url.path == f"/v3/{us.customer_id}/BankingServices/GenerateAuthorizeToken"


def test_a_sandbox_url_carries_a_token_the_instance_accepts(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    token = dict(query(client.connect_url(demo=True)))["authorizeToken"]
    answer = client.authorize(
        institution="FlinksCapital", username="Greatday", password="Everyday", token=token
    )
    assert answer.http_status_code == 203  # the token opened a session
