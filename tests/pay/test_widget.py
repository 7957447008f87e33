"""The payment widget over HTTP (the browser test drives the same pages in Chromium): each screen's form
moves the session, the redirect names the step just done so the page posts its events once, and every way
the flow fails ends the session with its code."""

from __future__ import annotations

import re
from typing import Any

import httpx
import orjson
import pytest

from finstance.core import webhooks
from finstance.pay import tables, widget
from finstance.sandbox import bank
from tests.core.webhooks.receiver import Receiver
from tests.pay.test_sessions import GEFT, Pay
from tests.pay.test_settlement import delivered
from tests.pay.test_settlement import receiver as receiver
from tests.pay.test_settlement import sandbox as sandbox
from tests.upload.api import context

EVENTS = re.compile(r'<script type="application/json" id="pay-events">(.*?)</script>', re.S)


class Browser:
    """Follows the widget's redirects as a browser would, keeping the events each page posts."""

    def __init__(self, http: httpx.AsyncClient, session_id: str) -> None:
        self.http, self.session_id, self.events = http, session_id, list[dict[str, Any]]()
        self.url = widget.url(session_id)

    async def open(self, url: str | None = None) -> str:
        page = await self.http.get(url or self.url)
        assert page.status_code in (200, 404), page.text
        assert "frame-ancestors *" in page.headers["content-security-policy"]
        found = EVENTS.search(page.text)
        assert found is not None
        self.events += orjson.loads(found.group(1).replace("\\u003c", "<"))
        return page.text

    async def post(self, **form: str) -> str:
        moved = await self.http.post(self.url, data=form)
        assert moved.status_code == 303, moved.text
        return await self.open(moved.headers["location"])

    def steps(self) -> list[str]:
        return [e["step"] for e in self.events]


async def account_id(html: str) -> str:
    found = re.search(r'name="account" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


async def through(browser: Browser, username: str, *, accept: bool = True) -> str:
    await browser.open()
    await browser.post(action="institution")
    html = await browser.post(action="submit", username=username, password="Everyday")
    html = await browser.post(action="submit", account=await account_id(html))
    html = await browser.post(action="submit")
    if browser.steps()[-1] == "GUARANTEE_OFFERED":
        html = await browser.post(action="accept" if accept else "decline")
    return html


async def status(http: httpx.AsyncClient, session_id: str) -> tuple[str, str | None]:
    body = (await http.get(f"/pay/api/v2/sessions/{session_id}/status")).json()
    return body["status"], body["statusDetails"]


async def test_happy1_completes_the_guaranteed_flow_with_its_events(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    html = await through(browser, "Happy1")
    assert "Pre-authorized debit agreement" in html and "John Doe" in html and "$250.50" in html
    refused = await browser.post(action="agree")  # the box is not ticked
    assert "Accept the agreement to continue." in refused
    done = await browser.post(action="agree", agreement="yes")
    assert "Payment scheduled" in done
    assert browser.steps() == [
        "APP_MOUNTED",
        "INSTITUTION_SELECTED",
        "SUBMIT_CREDENTIAL",
        "ACCOUNT_SELECTED",
        "COMPONENT_DEPOSIT_CONTINUE",
        "GUARANTEE_OFFERED",
        "SUCCESS",
    ]
    assert browser.events[-1] == {
        "step": "SUCCESS",
        "sessionId": session_id,
        "status": "Completed",
        "statusDetails": "EFT0301",
        "amount": 250.5,
    }
    assert await status(sandbox, session_id) == ("Completed", "EFT0301")
    details = (
        await sandbox.get(f"/pay/api/v2/sessions/{session_id}/details", headers=await pay.bearer())
    ).json()
    assert (
        details["step"]["current"] == "Complete" and details["payor"]["account"]["institutionCode"] == "777"
    )
    await browser.open()  # a reload posts nothing again
    assert browser.steps()[-1] == "SUCCESS" and len(browser.events) == 7
    with context(sandbox).store.read() as db:
        row = db.get(tables.PaySession, session_id)
        assert row is not None and row.login_id is not None
        assert "Happy1" not in orjson.dumps(row.flow).decode()  # the bank username is not kept


async def test_happy2_takes_the_next_best_offer_for_half_the_amount(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    await browser.open()
    await browser.post(action="institution")
    html = await browser.post(action="submit", username="Happy2", password="Everyday")
    html = await browser.post(action="submit", account=await account_id(html))
    offer = await browser.post(action="submit")
    assert "Flinks can guarantee $125.25 of the $250.50" in offer
    assert browser.events[-1] == {"step": "GUARANTEE_OFFERED", "sessionId": session_id, "amount": 125.25}
    await browser.post(action="accept")
    await browser.post(action="agree", agreement="yes")
    body = (await sandbox.get(f"/pay/api/v2/sessions/{session_id}/status")).json()
    assert (body["status"], body["amount"]) == ("Completed", 125.25)


async def test_declining_the_offer_returns_to_the_client(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    html = await through(browser, "Happy2", accept=False)
    assert "The payment could not be guaranteed." in html
    assert browser.steps()[-1] == "COMPONENT_NBO_RETURN_TO_CLIENT_SELECTED"
    assert await status(sandbox, session_id) == ("Failed", "EFT0402")


@pytest.mark.parametrize(
    ("username", "payor", "details", "event"),
    [
        ("Unhappy1", {"firstName": "John", "lastName": "Doe"}, "EFT0402", "GUARANTEE_FAILED"),
        ("Happy1", {"firstName": "Jane", "lastName": "Roe"}, "EFT0403", "FAILED"),
    ],
)
async def test_the_flow_fails_with_the_sessions_code(
    sandbox: httpx.AsyncClient, username: str, payor: dict[str, str], details: str, event: str
) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create({**GEFT, "payor": payor})).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    await through(browser, username)
    assert await status(sandbox, session_id) == ("Failed", details)
    assert browser.events[-1]["step"] == event and browser.events[-1]["statusDetails"] == details


async def test_a_wrong_password_fails_with_eft0401(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    await browser.open()
    await browser.post(action="institution")
    html = await browser.post(action="submit", username="Happy1", password="wrong")
    assert "Your bank did not accept the sign-in." in html
    assert await status(sandbox, session_id) == ("Failed", "EFT0401")
    assert browser.steps()[-2:] == ["SUBMIT_CREDENTIAL", "FAILED"]


async def test_an_amount_over_the_balance_fails_with_eft0404_and_a_payor_may_enter_it(
    sandbox: httpx.AsyncClient,
) -> None:
    pay = Pay(sandbox)
    body = {key: value for key, value in GEFT.items() if key != "amount"}
    session_id = (await pay.create(body)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    await browser.open()
    await browser.post(action="institution")
    html = await browser.post(action="submit", username="Happy1", password="Everyday")
    html = await browser.post(action="submit", account=await account_id(html))
    assert 'name="amount"' in html
    assert "Enter an amount" in await browser.post(action="submit", amount="12.345")
    await browser.post(action="submit", amount="99999")
    assert await status(sandbox, session_id) == ("Failed", "EFT0404")


async def test_mfa_through_connect_and_the_identity_check_of_a_connect_test_user(
    sandbox: httpx.AsyncClient,
) -> None:
    """A Connect test user with a security question signs in; their accounts are held in the sandbox
    holder's name, not the payor's, so the identity check fails the session with EFT0403."""
    pay = Pay(sandbox)
    ctx = context(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    await browser.open()
    await browser.post(action="institution")
    html = await browser.post(action="submit", username="Greatday", password="Everyday")
    prompt = re.search(r'<label for="answer-0">(.*?)</label>', html)
    assert prompt is not None
    assert "Fill in every field." in await browser.post(action="submit")
    answer = bank.expected_answer(prompt.group(1), ctx.spec.country, "en")
    html = await browser.post(action="submit", **{"answer-0": answer or ""})
    html = await browser.post(action="submit", account=await account_id(html))
    assert "name does not match" in html
    assert browser.steps() == [
        "APP_MOUNTED",
        "INSTITUTION_SELECTED",
        "SUBMIT_CREDENTIAL",
        "SUBMIT_MFA",
        "ACCOUNT_SELECTED",
        "FAILED",
    ]
    assert await status(sandbox, session_id) == ("Failed", "EFT0403")


async def test_a_plain_eft_goes_from_the_amount_to_the_agreement(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create({**GEFT, "options": {}})).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    html = await through(browser, "Happy3")
    assert "Pre-authorized debit agreement" in html  # no guarantee screen for a plain EFT
    assert "GUARANTEE_OFFERED" not in browser.steps()
    await browser.post(action="agree", agreement="yes")
    assert await status(sandbox, session_id) == ("Completed", "EFT0301")


async def test_with_a_webhook_endpoint_the_guarantee_waits_for_the_clients_confirmation(
    sandbox: httpx.AsyncClient, receiver: Receiver
) -> None:
    webhooks.add_endpoint(context(sandbox), receiver.url)
    pay = Pay(sandbox)
    ids = [(await pay.create({**GEFT, "referenceId": f"R{n}"})).json()["sessionId"] for n in range(2)]
    bearer = await pay.bearer()
    for session_id, accepted in zip(ids, (True, False), strict=True):
        browser = Browser(sandbox, session_id)
        waiting = await through(browser, "Happy1")
        assert "The merchant is confirming" in waiting and 'http-equiv="refresh"' in waiting
        [issued] = delivered(sandbox, receiver)
        assert (issued["eventType"], issued["sessionId"], issued["guaranteedAmount"]) == (
            "GuaranteeIssued",
            session_id,
            250.5,
        )
        confirm = f"/pay/api/v2/sessions/{session_id}/guarantees/confirm"
        bad = await sandbox.post(confirm, content=b'"yes"', headers=bearer)
        assert bad.status_code == 400
        answer = await sandbox.post(confirm, content=orjson.dumps(accepted), headers=bearer)
        assert answer.status_code == 200, answer.text
        if accepted:
            assert "Pre-authorized debit agreement" in await browser.open()
            await browser.post(action="agree", agreement="yes")
            assert await status(sandbox, session_id) == ("Completed", "EFT0301")
        else:
            assert await status(sandbox, session_id) == ("Failed", "EFT0402")
        [ended] = delivered(sandbox, receiver)
        assert ended["eventType"] == "SessionSetupStatusChanged"
        again = await sandbox.post(confirm, content=b"true", headers=bearer)
        assert again.status_code == 400 and "no guarantee waiting" in again.json()["Message"]


async def test_an_unknown_session_and_an_ended_one(sandbox: httpx.AsyncClient) -> None:
    missing = await sandbox.get(widget.url("0f8fad5b-d9cb-469f-a165-70867728950e"))
    assert missing.status_code == 404 and "cannot be found" in missing.text
    assert (await sandbox.get("/pay/app/?sessionId=../../etc")).status_code == 404
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    await sandbox.post(f"/pay/api/v2/sessions/{session_id}/cancel", headers=await pay.bearer())
    browser = Browser(sandbox, session_id)
    assert "This payment was cancelled." in await browser.open()
    # A form posted to an ended session moves nothing.
    assert "This payment was cancelled." in await browser.post(action="institution")
    assert await status(sandbox, session_id) == ("Canceled", "EFT0501")


async def test_the_widget_speaks_french_from_screen_to_screen(sandbox: httpx.AsyncClient) -> None:
    pay = Pay(sandbox)
    session_id = (await pay.create(GEFT)).json()["sessionId"]
    browser = Browser(sandbox, session_id)
    browser.url = widget.url(session_id, "fr")
    start = await browser.open()
    assert '<html lang="fr">' in start and "depuis votre compte bancaire" in start
    moved = await sandbox.post(browser.url, data={"action": "institution"})
    assert "lang=fr" in moved.headers["location"]
    page = await browser.open(moved.headers["location"])
    assert "Connexion à Flinks Capital" in page and "Mot de passe" in page
    refused = await browser.post(action="submit", username="Happy1", password="faux")
    assert "Votre banque n’a pas accepté la connexion." in refused
