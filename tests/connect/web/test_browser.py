"""Connect in a real browser: an integrator's page embeds it, an end-user links Flinks Capital.

Runs against ``finstance serve`` over TCP, with the host page on another origin, on a phone-sized viewport.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from finstance.core.country import Country
from finstance.sandbox import bank
from tests.connect.web.conftest import Instance, Servers

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HAPPY_PATH = [
    "APP_MOUNTED",
    "COMPONENT_LOAD_CONSENT",
    "COMPONENT_ACCEPT_CONSENT",
    "COMPONENT_LOAD_INSTITUTION_SELECTOR",
    "INSTITUTION_SELECTED",
    "COMPONENT_LOAD_CREDENTIAL",
    "SUBMIT_CREDENTIAL",
    "COMPONENT_LOAD_MFA",
    "SUBMIT_MFA",
    "COMPONENT_LOAD_ACCOUNT_SELECTION",
    "ACCOUNT_SELECTED",
    "REDIRECT",
]


def connect_url(instance: Instance, token: str | None = None, **params: str) -> str:
    query = {"demo": "true", **params}
    if token is not None:
        query["authorizeToken"] = token
    return f"{instance.base}/v2/?{urlencode(query)}"


def open_in_host(page: Any, servers: Servers, url: str) -> Any:
    page.goto(f"{servers.host}?{urlencode({'src': url})}")
    return page.frame_locator("#flinks")


def steps(page: Any) -> list[str]:
    return [e["data"]["step"] for e in page.evaluate("window.events")]


def wait_for_step(page: Any, step: str, timeout: float = 15) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for event in page.evaluate("window.events"):
            if event["data"]["step"] == step:
                found: dict[str, Any] = event
                return found
        page.wait_for_timeout(50)
    pytest.fail(f"no {step} event; got {steps(page)}")


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def answer_for(prompt: str, country: Country) -> str:
    answer = bank.expected_answer(prompt, country, "en")
    assert answer is not None, prompt
    return answer


def log_in(frame: Any, username: str, password: str = "Everyday") -> None:
    frame.get_by_label("Username").fill(username)
    frame.get_by_label("Password").fill(password)
    frame.get_by_role("button", name="Connect").click()


@pytest.mark.parametrize("country", [Country.CA, Country.US])
def test_greatday_links_through_the_embedded_page_and_the_login_works_only_on_its_instance(
    servers: Servers, page: Any, artifacts: Path, country: Country
) -> None:
    here, there = (servers.ca, servers.us) if country is Country.CA else (servers.us, servers.ca)
    tag = f"user-{country.value}"
    url = connect_url(
        here,
        here.token(),
        redirectUrl="https://integrator.example/done",
        jsRedirect="true",
        accountSelectorEnable="true",
        customerName="Acme Lending",
        tag=tag,
    )
    frame = open_in_host(page, servers, url)
    name = country.value.lower()

    frame.get_by_role("heading", name="Acme Lending would like to connect to your bank account").wait_for()
    shot(page, artifacts, f"{name}-1-consent")
    frame.get_by_role("button", name="Continue").click()

    frame.get_by_role("heading", name="Select your institution").wait_for()
    shot(page, artifacts, f"{name}-2-institutions")
    frame.get_by_role("button", name="Flinks Capital").click()

    frame.get_by_role("heading", name="Log in to Flinks Capital").wait_for()
    shot(page, artifacts, f"{name}-3-credentials")
    log_in(frame, "Greatday")

    frame.get_by_role("heading", name="Security question").wait_for()
    shot(page, artifacts, f"{name}-4-mfa")
    field = frame.locator("input[name='answer-0']")
    prompt = frame.locator("label[for='answer-0']").inner_text()
    if country is Country.US:
        assert prompt.startswith("How much is"), prompt
    else:
        assert prompt in bank.CA_QUESTIONS, prompt
    field.fill(answer_for(prompt, country))
    frame.get_by_role("button", name="Submit").click()

    frame.get_by_role("heading", name="Select the account to share").wait_for()
    shot(page, artifacts, f"{name}-5-accounts")
    frame.get_by_role("button", name="Share").click()

    redirect = wait_for_step(page, "REDIRECT")["data"]
    frame.get_by_role("heading", name="Your account is connected").wait_for()
    shot(page, artifacts, f"{name}-6-success")

    assert steps(page) == HAPPY_PATH
    events = [e["data"] for e in page.evaluate("window.events")]
    assert {e["tag"] for e in events} == {tag}
    assert all(e["origin"] == here.base for e in page.evaluate("window.events"))
    mfa = next(e for e in events if e["step"] == "COMPONENT_LOAD_MFA")
    assert mfa["mfaTypes"] == ["QuestionAndAnswer"]
    selected = next(e for e in events if e["step"] == "ACCOUNT_SELECTED")

    login_id = redirect["loginId"]
    assert redirect["institution"] == "FlinksCapital"
    assert redirect["accountId"] == selected["accountId"]
    query = parse_qs(urlsplit(redirect["url"]).query)
    assert redirect["url"].startswith("https://integrator.example/done?")
    assert query == {
        "loginId": [login_id],
        "institution": ["FlinksCapital"],
        "accountId": [selected["accountId"]],
        "tag": [tag],
    }

    # The loginId is this instance's: it opens a cached session here ...
    mine = here.cached(login_id)
    assert mine.status_code == 200, mine.text
    assert mine.json()["Login"]["Id"] == login_id
    assert mine.json()["Login"]["Username"] == "Greatday"
    # ... and the other country's instance refuses it, saying it was issued elsewhere.
    theirs = there.cached(login_id)
    assert theirs.status_code == 401
    assert theirs.json()["FlinksCode"] == "INVALID_LOGIN"
    assert theirs.json()["WrongInstance"] is True


def test_a_wrong_password_shows_the_retry_screen_then_the_right_one_connects(
    servers: Servers, page: Any, artifacts: Path
) -> None:
    frame = open_in_host(page, servers, connect_url(servers.ca, consentEnable="false"))
    frame.get_by_role("button", name="Flinks Capital").click()
    log_in(frame, "greatday_nomfa", "wrong-password")

    frame.get_by_role("alert").wait_for()
    assert "password is incorrect" in frame.get_by_role("alert").inner_text()
    assert frame.get_by_label("Username").input_value() == "greatday_nomfa"
    shot(page, artifacts, "ca-retry-wrong-password")
    log_in(frame, "greatday_nomfa")

    redirect = wait_for_step(page, "REDIRECT")["data"]
    assert steps(page) == [
        "APP_MOUNTED",
        "COMPONENT_LOAD_INSTITUTION_SELECTOR",
        "INSTITUTION_SELECTED",
        "COMPONENT_LOAD_CREDENTIAL",
        "SUBMIT_CREDENTIAL",
        "INVALID_PASSWORD",
        "COMPONENT_LOAD_CREDENTIAL_RETRY",
        "SUBMIT_CREDENTIAL",
        "REDIRECT",
    ]
    error = next(e["data"] for e in page.evaluate("window.events") if e["data"]["step"] == "INVALID_PASSWORD")
    assert error["flinksCode"] == "INVALID_PASSWORD" and error["institution"] == "FlinksCapital"
    assert servers.ca.cached(redirect["loginId"]).status_code == 200


def test_a_disabled_account_ends_on_its_error_screen(servers: Servers, page: Any, artifacts: Path) -> None:
    frame = open_in_host(page, servers, connect_url(servers.us, consentEnable="false"))
    frame.get_by_role("button", name="Flinks Capital").click()
    log_in(frame, "test_disabled_account")

    frame.get_by_role("heading", name="We could not connect your account").wait_for()
    assert "deactivated" in frame.get_by_role("alert").inner_text()
    shot(page, artifacts, "us-error-disabled-account")
    wait_for_step(page, "DISABLED_LOGIN")
    assert steps(page)[-2:] == ["SUBMIT_CREDENTIAL", "DISABLED_LOGIN"]


def test_an_authorize_token_opens_connect_once(servers: Servers, page: Any, artifacts: Path) -> None:
    url = connect_url(servers.ca, servers.ca.token())
    frame = open_in_host(page, servers, url)
    frame.get_by_role("button", name="Continue").wait_for()
    assert steps(page) == ["APP_MOUNTED", "COMPONENT_LOAD_CONSENT"]

    page.evaluate("window.events = []")
    frame = open_in_host(page, servers, url)  # the same token again
    frame.get_by_role("heading", name="We could not connect your account").wait_for()
    assert "no longer valid" in frame.get_by_role("alert").inner_text()
    shot(page, artifacts, "ca-error-used-token")
    wait_for_step(page, "TOKEN_INVALID")
    assert steps(page) == ["APP_MOUNTED", "TOKEN_INVALID"]


def test_connect_speaks_french(servers: Servers, page: Any, artifacts: Path) -> None:
    frame = open_in_host(page, servers, connect_url(servers.ca, language="fr", customerName="Acme"))
    frame.get_by_role("heading", name="Acme souhaite se connecter à votre compte bancaire").wait_for()
    assert page.frame_locator("#flinks").locator("html").get_attribute("lang") == "fr"
    frame.get_by_role("button", name="Continuer").click()
    frame.get_by_role("heading", name="Choisissez votre institution").wait_for()
    shot(page, artifacts, "ca-fr-institutions")


def test_connect_is_usable_with_the_keyboard_alone(servers: Servers, page: Any) -> None:
    frame = open_in_host(page, servers, connect_url(servers.ca, consentEnable="false"))
    frame.get_by_role("button", name="Flinks Capital").focus()
    page.keyboard.press("Enter")
    frame.get_by_label("Username").wait_for()
    # Tab reaches the username first (browsers ignore autofocus in a cross-origin frame), then the password
    page.keyboard.press("Tab")
    assert frame.locator(":focus").get_attribute("id") == "username"
    page.keyboard.type("greatday_nomfa")
    page.keyboard.press("Tab")
    page.keyboard.type("Everyday")
    page.keyboard.press("Enter")
    wait_for_step(page, "REDIRECT")


@pytest.mark.parametrize("country", [Country.CA, Country.US])
def test_the_demo_page_links_an_account_and_shows_its_data(
    servers: Servers, page: Any, artifacts: Path, country: Country
) -> None:
    here, there = (servers.ca, servers.us) if country is Country.CA else (servers.us, servers.ca)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{here.base}/demo")
    frame = page.frame_locator("#connect")
    frame.get_by_role("button", name="Continue").click()
    frame.get_by_role("button", name="Flinks Capital").click()
    log_in(frame, "Greatday")
    prompt = frame.locator("label[for='answer-0']").inner_text()
    frame.locator("input[name='answer-0']").fill(answer_for(prompt, country))
    frame.get_by_role("button", name="Submit").click()
    frame.get_by_role("button", name="Share").click()

    page.locator("#accounts table").wait_for(timeout=30_000)
    login_id = page.locator("#login-id").inner_text()
    assert "GetAccountsDetail: 200" in page.locator("#status").inner_text()
    rows = page.locator("#accounts tbody tr")
    assert rows.count() >= 4
    assert "REDIRECT" in page.locator("#events").inner_text()
    shot(page, artifacts, f"{country.value.lower()}-demo-page")
    assert here.cached(login_id).status_code == 200
    assert there.cached(login_id).json()["WrongInstance"] is True
