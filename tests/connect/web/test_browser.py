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
    # Share one account, not the first offered: the demo page must read that one only.
    frame.get_by_role("heading", name="Select the account to share").wait_for()
    offered = frame.locator("label.account")
    assert offered.count() >= 2
    chosen = offered.nth(1)
    chosen_title = chosen.locator("b").inner_text()
    chosen_id = chosen.locator("input").get_attribute("value")
    chosen.click()
    frame.get_by_role("button", name="Share").click()

    page.locator("#accounts table").wait_for(timeout=30_000)
    login_id = page.locator("#login-id").inner_text()
    status = page.locator("#status").inner_text()
    assert "GetAccountsDetail: 200, 1 account" in status and "AccountsFilter" in status
    rows = page.locator("#accounts tbody tr")
    assert rows.count() == 1
    assert rows.nth(0).locator("td").nth(0).inner_text() == chosen_title
    redirect = next(e for e in page.evaluate("window.connectEvents") if e["step"] == "REDIRECT")
    assert redirect["accountId"] == chosen_id
    assert "REDIRECT" in page.locator("#events").inner_text()
    shot(page, artifacts, f"{country.value.lower()}-demo-page")
    assert here.cached(login_id).status_code == 200
    assert there.cached(login_id).json()["WrongInstance"] is True


def test_reload_and_back_show_the_current_screen_without_resubmitting_a_form(
    servers: Servers, page: Any, artifacts: Path
) -> None:
    """Connect opened as a page of its own: every step is post/redirect/get."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto(connect_url(servers.ca, consentEnable="false"))
    flow = urlsplit(page.url).path
    assert flow.startswith("/v2/flow/")  # the start address (and any token in it) left history
    page.get_by_role("button", name="Flinks Capital").click()
    log_in(page, "greatday_nomfa", "wrong-password")
    page.get_by_role("alert").wait_for()
    assert urlsplit(page.url).path == flow

    reloaded = page.reload()
    assert reloaded is not None and reloaded.request.method == "GET" and reloaded.status == 200
    page.get_by_role("heading", name="Log in to Flinks Capital").wait_for()
    assert "password is incorrect" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Username").input_value() == "greatday_nomfa"

    back = page.go_back()
    assert back is not None and back.request.method == "GET" and back.status == 200
    page.get_by_role("heading", name="Log in to Flinks Capital").wait_for()  # the flow's current screen
    shot(page, artifacts, "ca-back-shows-the-current-screen")
    log_in(page, "greatday_nomfa")
    page.get_by_role("heading", name="Your account is connected").wait_for()
    assert page.reload() is not None
    page.get_by_role("heading", name="Your account is connected").wait_for()
    assert dialogs == []

    # A form posted to a flow this instance does not know: its 404 page; reloading it is a GET again.
    unknown = "/v2/flow/00000000-0000-4000-8000-000000000000"
    with page.expect_navigation() as posted:
        page.evaluate(
            """url => { const f = document.createElement("form"); f.method = "post"; f.action = url;
                        document.body.appendChild(f); f.submit(); }""",
            unknown,
        )
    assert posted.value.status == 404 and posted.value.request.method == "POST"
    page.get_by_role("heading", name="We could not connect your account").wait_for()
    again = page.reload()
    assert again is not None and again.request.method == "GET" and again.status == 404
    assert urlsplit(page.url).path == unknown and dialogs == []
    page.get_by_role("link", name="Start again").click()  # the dead end has a way on: a new flow
    page.get_by_role("heading", name="demo-ca would like to connect to your bank account").wait_for()
    assert urlsplit(page.url).path.startswith("/v2/flow/") and urlsplit(page.url).path != flow


def test_a_reload_or_back_inside_the_iframe_posts_no_event_twice(servers: Servers, page: Any) -> None:
    frame = open_in_host(page, servers, connect_url(servers.us, consentEnable="false"))
    frame.get_by_role("button", name="Flinks Capital").click()
    log_in(frame, "greatday_nomfa", "wrong-password")
    wait_for_step(page, "COMPONENT_LOAD_CREDENTIAL_RETRY")
    before = steps(page)
    connect = next(f for f in page.frames if f.parent_frame is not None)

    with page.expect_event("framenavigated", predicate=lambda f: f is connect):
        connect.evaluate("window.location.reload()")
    frame.get_by_role("alert").wait_for()
    # Back (the host page keeps its address: the entry left is the iframe's previous step)
    with page.expect_event("framenavigated", predicate=lambda f: f is connect):
        page.evaluate("window.history.back()")
    frame.get_by_role("heading", name="Log in to Flinks Capital").wait_for()
    assert urlsplit(page.url).path == "/host.html"
    page.wait_for_timeout(300)  # time for any event the page would post
    assert steps(page) == before

    log_in(frame, "greatday_nomfa")
    wait_for_step(page, "REDIRECT")
    assert steps(page) == [*before, "SUBMIT_CREDENTIAL", "REDIRECT"]


def test_docs_render_with_nothing_from_another_host(servers: Servers, page: Any) -> None:
    base = servers.ca.base
    elsewhere: list[str] = []

    def offline(route: Any) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(f"{base}/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "demo-ca" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    assert elsewhere == []
