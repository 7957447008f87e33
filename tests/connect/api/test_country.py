"""Country rules of a U.S. instance: arithmetic MFA, USD data with routing numbers, no statements."""

from __future__ import annotations

import re

import httpx

from finstance.core.clock import ManualClock
from finstance.core.country import Country
from tests.conftest import US_API_KEY, US_CUSTOMER_ID, US_SECRET_KEY
from tests.flinks import Flinks


def us(client: httpx.AsyncClient) -> Flinks:
    return Flinks(client, US_CUSTOMER_ID, US_SECRET_KEY, US_API_KEY, Country.US)


async def test_us_instance_asks_arithmetic_and_serves_usd_accounts(
    demo_us: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = us(demo_us)
    challenge = await flinks.live("Greatday")
    assert re.fullmatch(r"How much is \d \+ \d\?", challenge.json()["SecurityChallenges"][0]["Prompt"])
    session = await flinks.connect("Greatday")
    clock.advance(5)
    body = (
        await flinks.data(
            "GetAccountsDetail",
            {"RequestId": session["RequestId"], "WithAccountIdentity": True, "WithKYC": True},
        )
    ).json()
    chequing = body["Accounts"][0]
    assert chequing["Currency"] == "USD" and chequing["RoutingNumber"] and chequing["TransitNumber"] is None
    assert chequing["Holder"]["Address"]["Country"] == "US"


async def test_statements_and_stored_questions_are_not_available_in_the_us(
    demo_us: httpx.AsyncClient, clock: ManualClock
) -> None:
    flinks = us(demo_us)
    session = await flinks.connect("greatday_nomfa")
    clock.advance(5)
    response = await flinks.data("GetStatements", {"RequestId": session["RequestId"]})
    assert response.status_code == 400 and response.json()["FlinksCode"] == "METHOD_NOT_AVAILABLE"
    questions = await demo_us.get(
        f"{flinks.prefix}/GetMFAQuestions/{session['Login']['Id']}", headers={"x-api-key": US_API_KEY}
    )
    assert questions.status_code == 400 and questions.json()["FlinksCode"] == "METHOD_NOT_AVAILABLE"


async def test_toolbox_keys_do_not_open_the_us_instance(demo_us: httpx.AsyncClient) -> None:
    toolbox_flinks = Flinks(demo_us)
    response = await toolbox_flinks.post(
        "GenerateAuthorizeToken", None, **{"flinks-auth-key": toolbox_flinks.secret_key}
    )
    assert response.status_code == 401 and response.json()["FlinksCode"] == "ACCESS_DENIED"
