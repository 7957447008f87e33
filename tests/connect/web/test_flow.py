"""The Connect flow over HTTP, in-process, on every store backend: the branches the browser tests skip."""

from __future__ import annotations

import dataclasses
import html
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from finstance.app import create_app
from finstance.connect.web.options import parse
from finstance.core import jobs, webhooks
from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.core.instance import InstanceSpec, sqlite_url, toolbox_spec
from finstance.core.keys import hash_key
from finstance.core.store import tables
from finstance.sandbox import bank
from tests.conftest import TEST_SETTINGS, serve_in_process, us_spec
from tests.flinks import Flinks

PROD_CUSTOMER_ID = "7f1c2a9e-4b3d-4e8f-9a1b-2c3d4e5f6a7b"
PROD_SECRET, PROD_API_KEY = "5a6b7c8d-1111-4222-8333-944455566677", "0f1e2d3c-aaaa-4bbb-8ccc-ddddeeeeffff"


def prod_spec(store_url: str) -> InstanceSpec:
    return InstanceSpec(
        name="acme-ca",
        country=Country.CA,
        customer_id=PROD_CUSTOMER_ID,
        secret_key_hash=hash_key(PROD_SECRET),
        api_key_hash=hash_key(PROD_API_KEY),
        store_url=store_url,
        derive_key=b"acme-ca-derive-key-for-tests-only",
        sandbox=False,
    )


class Page:
    """One Connect screen as a browser received it."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self.text = response.text
        raw = re.search(r'id="connect-events">(.*?)</script>', self.text, re.S)
        assert raw is not None, self.text[:500]
        self.events: list[dict[str, Any]] = orjson.loads(raw.group(1))
        nav = re.search(r'id="connect-navigation">(.*?)</script>', self.text, re.S)
        assert nav is not None
        self.navigation: dict[str, Any] = orjson.loads(nav.group(1))
        action = re.search(r'action="(/v2/flow/[^"]+)"', self.text)
        self.action = action.group(1) if action else None

    @property
    def steps(self) -> list[str]:
        return [e["step"] for e in self.events]

    def heading(self) -> str:
        found = re.search(r"<h1[^>]*>(.*?)</h1>", self.text, re.S)
        return html.unescape(found.group(1)) if found else ""

    def alert(self) -> str:
        found = re.search(r'role="alert">(.*?)</p>', self.text, re.S)
        return html.unescape(found.group(1)) if found else ""

    def prompts(self) -> list[str]:
        return [html.unescape(p) for p in re.findall(r'<label for="answer-\d+">(.*?)</label>', self.text)]

    def accounts(self) -> list[str]:
        return re.findall(r'name="account" value="([^"]+)"', self.text)

    def institutions(self) -> list[str]:
        return re.findall(r'name="institution" value="([^"]+)"', self.text)


class Browser:
    """A browser's part: it follows the 303 a step answers with, as every browser does."""

    def __init__(self, http: httpx.AsyncClient, country: Country = Country.CA) -> None:
        self.http, self.country = http, country
        self.page: Page | None = None

    async def open(self, query: str = "demo=true", path: str = "/v2/", **headers: str) -> Page:
        self.page = Page(await self.http.get(f"{path}?{query}", headers=headers, follow_redirects=True))
        return self.page

    async def do(self, **form: Any) -> Page:
        assert self.page is not None and self.page.action is not None
        self.page = Page(await self.http.post(self.page.action, data=form, follow_redirects=True))
        return self.page

    async def log_in(self, username: str = "Greatday", password: str = "Everyday") -> Page:
        return await self.do(action="submit", username=username, password=password)

    async def answer(self, wrong: bool = False) -> Page:
        assert self.page is not None
        answers = {}
        for i, prompt in enumerate(self.page.prompts()):
            answers[f"answer-{i}"] = "wrong" if wrong else bank.expected_answer(prompt, self.country, "en")
        return await self.do(action="submit", **answers)

    async def to_credentials(self, query: str = "demo=true&consentEnable=false") -> Page:
        await self.open(query)
        return await self.do(action="select", institution="FlinksCapital")


def test_parameters_are_matched_case_insensitively_and_unknown_ones_ignored() -> None:
    parsed = parse(
        {"REDIRECTURL": "https://a.example/x", "consentenable": "FALSE", "whatever": "1", "tag": "t"}
    )
    assert parsed.problems == []
    assert parsed.options.redirect_url == "https://a.example/x"
    assert parsed.options.consent_enable is False
    assert parsed.options.tag == "t"


def test_each_value_that_cannot_be_used_is_named() -> None:
    parsed = parse(
        {
            "language": "de",
            "consentEnable": "yes",
            "redirectUrl": "javascript:alert(1)",
            "daysOfTransactions": "Days30",
            "backgroundColor": "red",
            "maximumRetry": "0",
        }
    )
    assert sorted(parsed.problems) == sorted(
        ["language", "consentEnable", "redirectUrl", "daysOfTransactions", "backgroundColor", "maximumRetry"]
    )


async def test_invalid_parameters_give_a_readable_page_not_a_broken_one(toolbox: httpx.AsyncClient) -> None:
    page = await Browser(toolbox).open("demo=true&language=de&redirectUrl=ftp://x")
    assert page.response.status_code == 400
    assert page.response.headers["content-type"].startswith("text/html")
    assert "<code>language</code>" in page.text and "<code>redirectUrl</code>" in page.text
    assert page.steps == ["APP_MOUNTED", "INVALID_REQUEST"]
    assert page.action is None  # no flow was started


async def test_a_browser_at_the_root_gets_connect_and_a_client_gets_the_instance_json(
    toolbox: httpx.AsyncClient,
) -> None:
    page = await Browser(toolbox).open("demo=true", path="/", accept="text/html,application/xhtml+xml")
    assert page.steps == ["APP_MOUNTED", "COMPONENT_LOAD_CONSENT"]
    info = (await toolbox.get("/")).json()
    assert info["Instance"] == "toolbox" and info["Connect"].endswith("/v2/")


async def test_a_production_instance_needs_an_authorize_token_and_it_opens_connect_once(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(prod_spec(store_url), clock) as http:
        browser = Browser(http)
        refused = await browser.open("demo=true")
        assert refused.steps == ["APP_MOUNTED", "TOKEN_INVALID"] and refused.action is None
        assert refused.response.status_code == 401
        flinks = Flinks(http, PROD_CUSTOMER_ID, PROD_SECRET, PROD_API_KEY)
        token = await flinks.token()
        opened = await browser.open(f"demo=true&authorizeToken={token}")
        assert opened.steps == ["APP_MOUNTED", "COMPONENT_LOAD_CONSENT"] and opened.action
        again = await browser.open(f"demo=true&authorizeToken={token}")
        assert again.steps == ["APP_MOUNTED", "TOKEN_INVALID"]
        expired_token = await flinks.token()
        clock.advance(timedelta(minutes=31))
        expired = await browser.open(f"demo=true&authorizeToken={expired_token}")
        assert expired.steps == ["APP_MOUNTED", "TOKEN_INVALID"]
        # a token spent by Connect cannot open an API session either
        reused = await flinks.authorize({"LoginId": PROD_CUSTOMER_ID, "MostRecentCached": True}, token)
        assert reused.status_code == 401


async def test_the_page_and_the_api_make_the_same_connection(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials()
    await browser.log_in("Greatday")
    done = await browser.answer()
    redirect = done.events[-1]
    assert redirect["step"] == "REDIRECT"

    flinks = Flinks(toolbox)
    api = await flinks.connect("Greatday")
    assert api["Login"]["Id"] == redirect["loginId"]  # same user, same loginId

    # The page's connection queued the aggregation job: its data is pending, then ready.
    session = await flinks.cached(redirect["loginId"])
    request_id = session.json()["RequestId"]
    body = {"RequestId": request_id, "DaysOfTransactions": "Days365"}
    clock.advance(timedelta(seconds=1))
    pending = await flinks.data("GetAccountsDetail", body)
    assert pending.status_code == 202 and pending.json()["FlinksCode"] == "OPERATION_PENDING"
    clock.advance(timedelta(seconds=10))
    ready = await flinks.poll("GetAccountsDetailAsync", request_id)
    assert ready.status_code == 200 and len(ready.json()["Accounts"]) >= 4


async def test_days_of_transactions_bounds_the_history_collected(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials("demo=true&consentEnable=false&daysOfTransactions=Days90")
    done = await browser.log_in("greatday_nomfa")
    login_id = done.events[-1]["loginId"]
    clock.advance(timedelta(seconds=10))
    flinks = Flinks(toolbox)
    request_id = (await flinks.cached(login_id)).json()["RequestId"]
    detail = await flinks.data(
        "GetAccountsDetail", {"RequestId": request_id, "DaysOfTransactions": "Days365"}
    )
    assert detail.status_code == 200, detail.text
    dates = [date.fromisoformat(t["Date"][:10]) for a in detail.json()["Accounts"] for t in a["Transactions"]]
    assert dates
    assert min(dates) >= clock.now().date() - timedelta(days=90)


async def test_a_wrong_answer_ends_the_session_and_try_again_starts_over(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials()
    await browser.log_in("Greatday")
    failed = await browser.answer(wrong=True)
    assert failed.steps == ["SUBMIT_MFA", "INVALID_SECURITY_RESPONSE"]
    assert "not correct" in failed.alert()
    again = await browser.do(action="retry")
    assert again.steps == ["COMPONENT_LOAD_CREDENTIAL"]
    await browser.log_in("Greatday")
    done = await browser.answer()
    assert done.steps == ["SUBMIT_MFA", "REDIRECT"]


async def test_two_challenges_in_turn_then_success(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials()
    first = await browser.log_in("test_mfa_two_steps")
    assert first.steps[-1] == "COMPONENT_LOAD_MFA"
    second = await browser.answer()
    assert second.steps == ["SUBMIT_MFA", "COMPONENT_LOAD_MFA"]
    assert (await browser.answer()).steps == ["SUBMIT_MFA", "REDIRECT"]


async def test_us_instance_asks_arithmetic(store_url: str, clock: ManualClock) -> None:
    async with serve_in_process(us_spec(store_url), clock) as http:
        browser = Browser(http, Country.US)
        await browser.to_credentials()
        mfa = await browser.log_in("Greatday")
        assert mfa.prompts()[0].startswith("How much is")
        assert (await browser.answer()).steps[-1] == "REDIRECT"


@pytest.mark.parametrize(
    ("username", "code", "retry"),
    [
        ("test_disabled_account", "DISABLED_LOGIN", False),
        ("test_service_unavailable", "RETRY_LATER", True),
        ("test_new_account", "NEW_ACCOUNT", False),
        ("test_unauthorized", "UNAUTHORIZED", False),
    ],
)
async def test_bank_errors_have_their_screen_and_event(
    toolbox: httpx.AsyncClient, username: str, code: str, retry: bool
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials()
    page = await browser.log_in(username)
    assert page.steps == ["SUBMIT_CREDENTIAL", code]
    assert page.events[-1]["flinksCode"] == code and page.events[-1]["requestId"]
    assert page.heading() == "We could not connect your account"
    assert ('value="retry"' in page.text) is retry
    assert ('value="back"' in page.text) is not retry  # nothing to retry: another bank or login instead
    if not retry:
        assert (await browser.do(action="back")).steps == ["COMPONENT_LOAD_INSTITUTION_SELECTOR"]


async def test_maximum_retry_caps_the_credential_attempts(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials("demo=true&consentEnable=false&maximumRetry=2")
    first = await browser.log_in("Greatday", "nope")
    assert first.steps[-1] == "COMPONENT_LOAD_CREDENTIAL_RETRY"
    action = first.action
    assert action is not None
    second = await browser.log_in("nobody", "nope")
    assert second.steps == ["SUBMIT_CREDENTIAL", "INVALID_USERNAME", "MAXIMUM_RETRY"]
    assert second.action is None  # the screen offers nothing more in this flow, but a new one (sandbox)
    assert 'id="restart" href="/v2/?demo=true&amp;consentEnable=false&amp;maximumRetry=2"' in second.text
    form = {"action": "submit", "username": "Greatday", "password": "Everyday"}
    after = Page(await toolbox.post(action, data=form, follow_redirects=True))  # over, even when posted to
    assert "REDIRECT" not in after.steps


async def test_the_test_bank_is_listed_only_in_demo_mode_and_other_banks_are_unavailable(
    toolbox: httpx.AsyncClient,
) -> None:
    browser = Browser(toolbox)
    listed = await browser.open("consentEnable=false")
    assert "FlinksCapital" not in listed.institutions() and "RBC" in listed.institutions()
    page = await browser.do(action="select", institution="RBC")
    assert page.steps == ["INSTITUTION_SELECTED", "DISABLED_INSTITUTION"]
    back = await browser.do(action="back")
    assert back.steps == ["COMPONENT_LOAD_INSTITUTION_SELECTOR"]
    assert (await browser.do(action="select", institution="FlinksCapital")).steps == []  # not offered


async def test_institutions_of_the_other_country_are_not_offered(store_url: str, clock: ManualClock) -> None:
    async with serve_in_process(us_spec(store_url), clock) as http:
        browser = Browser(http, Country.US)
        page = await browser.open("demo=true&consentEnable=false")
        assert "FlinksCapital" in page.institutions() and "Desjardins" not in page.institutions()
        refused = await browser.do(action="select", institution="Desjardins")
        assert refused.steps == [] and refused.heading() == "Select your institution"


async def test_the_search_box_filters_the_institutions(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.open("demo=true&consentEnable=false&institutionFilterEnable=true")
    assert (await browser.open("demo=true&consentEnable=false")).institutions()[0] == "FlinksCapital"
    await browser.open("demo=true&consentEnable=false&institutionFilterEnable=true")
    found = await browser.do(action="search", q="flinks")
    assert found.institutions() == ["FlinksCapital"]
    none = await browser.do(action="search", q="zzz")
    assert none.institutions() == [] and "No institution matches" in none.text


async def test_several_accounts_and_the_redirect_url_keep_their_query(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials(
        "demo=true&consentEnable=false&accountSelectorEnable=true&accountSelectorMultiple=true"
        "&showAllAccounts=true&innerRedirect=true&tag=a%26b&redirectUrl=https%3A%2F%2Fapp.example%2Fback%3Fk%3Dv"
    )
    selector = await browser.log_in("greatday_nomfa")
    load = selector.events[-1]
    assert load["step"] == "COMPONENT_LOAD_ACCOUNT_SELECTION"
    assert load["totalAccounts"] == load["displayedAccounts"] == len(selector.accounts()) >= 4
    chosen = selector.accounts()[:2]
    done = await browser.do(action="submit", account=chosen)
    redirect = done.events[-1]
    assert redirect["accountId"] == ",".join(chosen)
    query = parse_qs(urlsplit(redirect["url"]).query)
    assert query["k"] == ["v"] and query["tag"] == ["a&b"] and query["accountId"] == [",".join(chosen)]
    assert done.navigation == {"stringify": False, "mode": "inner", "url": redirect["url"]}


async def test_accounts_are_the_ones_aggregation_saves(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials("demo=true&consentEnable=false&accountSelectorEnable=true")
    offered = (await browser.log_in("greatday_nomfa")).accounts()
    assert len(offered) == 2  # operations accounts only, by default
    login_id = (await browser.do(action="submit", account=offered[1])).events[-1]["loginId"]
    clock.advance(timedelta(seconds=10))
    flinks = Flinks(toolbox)
    request_id = (await flinks.cached(login_id)).json()["RequestId"]
    detail = await flinks.data("GetAccountsDetail", {"RequestId": request_id, "AccountsFilter": offered})
    assert sorted(a["Id"] for a in detail.json()["Accounts"]) == sorted(offered)


async def test_a_flow_expires_and_a_foreign_flow_id_is_refused(
    toolbox: httpx.AsyncClient, clock: ManualClock, tmp_path: Path
) -> None:
    browser = Browser(toolbox)
    page = await browser.open()
    assert page.action is not None
    clock.advance(timedelta(minutes=31))
    expired = await browser.do(action="accept")
    assert expired.steps == ["SESSION_EXPIRED"] and "expired" in expired.alert()

    async with serve_in_process(us_spec(sqlite_url(tmp_path / "us.db")), clock) as other:
        elsewhere = Page(await other.get("/v2/?demo=true"))
        assert elsewhere.action is not None
    foreign = Page(await toolbox.post(elsewhere.action, data={"action": "accept"}))
    assert foreign.steps == ["SESSION_EXPIRED"]
    garbage = Page(await toolbox.post("/v2/flow/not-a-guid", data={"action": "accept"}))
    assert garbage.steps == ["SESSION_EXPIRED"]


async def test_consent_can_be_declined_then_reviewed(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.open("demo=true&closeEnable=true")
    declined = await browser.do(action="deny")
    assert declined.steps == ["COMPONENT_DENY_CONSENT"]
    review = await browser.do(action="review")
    assert review.steps == ["COMPONENT_LOAD_CONSENT"]
    closed = await browser.do(action="close")
    assert closed.steps == ["COMPONENT_CLOSE_SESSION"]
    assert (
        closed.heading() == "Connection closed"
        and 'id="restart" href="/v2/?demo=true&amp;closeEnable=true"' in closed.text
    )


async def test_stringify_and_tag_reach_the_page_script(toolbox: httpx.AsyncClient) -> None:
    page = await Browser(toolbox).open("demo=true&stringify=true&tag=%3C%2Fscript%3E")
    assert page.navigation["stringify"] is True
    assert all(e["tag"] == "</script>" for e in page.events)
    assert '</script>"' not in page.text  # the tag cannot close the script element


async def test_french_pages(toolbox: httpx.AsyncClient) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials("demo=true&consentEnable=false&language=fr")
    page = await browser.log_in("greatday", "mauvais")
    assert '<html lang="fr">' in page.text
    assert page.alert() == "Le mot de passe est incorrect. Vérifiez-le et réessayez."


async def test_the_demo_page_exists_on_sandbox_instances_only(
    toolbox: httpx.AsyncClient, tmp_path: Path, clock: ManualClock
) -> None:
    page = await toolbox.get("/demo")
    assert page.status_code == 200 and 'id="connect"' in page.text
    async with serve_in_process(prod_spec(sqlite_url(tmp_path / "p.db")), clock) as http:
        refused = await http.get("/demo")
        assert refused.status_code == 404 and refused.json()["FlinksCode"] == "NOT_FOUND"
        opened = await http.post("/demo/session", json={"LoginId": PROD_CUSTOMER_ID})
        assert opened.status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(
            ["language", "redirectUrl", "tag", "theme", "demo", "maximumRetry", "x", "backgroundColor"]
        ),
        st.text(max_size=40),
        max_size=5,
    ),
    form=st.dictionaries(
        st.sampled_from(["action", "username", "password", "institution", "q"]), st.text(max_size=30)
    ),
)
async def test_no_query_or_form_breaks_the_page(
    sqlite_store_url: str, query: dict[str, str], form: dict[str, str]
) -> None:
    async with serve_in_process(toolbox_spec(sqlite_store_url), ManualClock()) as http:
        start = await http.get("/v2/", params=query)
        assert start.status_code in (200, 400)
        assert start.headers["content-type"].startswith("text/html")
        page = Page(start)
        if page.action:
            after = await http.post(page.action, data=form)
            assert after.status_code == 303 and after.headers["location"] == page.action
            shown = await http.get(after.headers["location"])
            assert shown.status_code == 200
            Page(shown)


async def test_a_connection_made_on_the_page_emits_the_webhook_events_of_its_instance(
    store_url: str, clock: ManualClock
) -> None:
    app = create_app(toolbox_spec(store_url), TEST_SETTINGS, clock)
    async with app.router.lifespan_context(app):
        ctx = app.state.ctx
        webhooks.add_endpoint(ctx, "http://127.0.0.1:9/hook")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://toolbox.test") as http:
            browser = Browser(http)
            await browser.to_credentials("demo=true&consentEnable=false&tag=order-42")
            login_id = (await browser.log_in("greatday_nomfa")).events[-1]["loginId"]
        clock.advance(timedelta(seconds=10))
        assert jobs.run_due(ctx) == 1
        with ctx.store.read() as db:
            events = db.scalars(select(tables.OutboxEvent).order_by(tables.OutboxEvent.seq)).all()
            bodies = [(e.type, orjson.loads(e.body)) for e in events]
    assert [t for t, _ in bodies] == ["KYC", "GetAccountsDetail"]
    for _, body in bodies:
        assert body["Login"]["Id"] == login_id and body["Tag"] == "order-42"


async def test_a_throttled_attempt_is_an_error_screen_with_retry(store_url: str, clock: ManualClock) -> None:
    settings = dataclasses.replace(TEST_SETTINGS, login_rate=1)
    async with serve_in_process(toolbox_spec(store_url), clock, settings) as http:
        browser = Browser(http)
        await browser.to_credentials()
        assert (await browser.log_in("greatday_nomfa", "wrong")).steps[
            -1
        ] == "COMPONENT_LOAD_CREDENTIAL_RETRY"
        throttled = await browser.log_in("greatday_nomfa", "Everyday")
        assert throttled.steps == ["TOO_MANY_REQUESTS"]
        assert (
            throttled.heading() == "We could not connect your account"
            and "Too many attempts" in throttled.alert()
        )
        clock.advance(timedelta(minutes=1))
        await browser.do(action="retry")
        assert (await browser.log_in("greatday_nomfa", "Everyday")).steps[-1] == "REDIRECT"


# -- post/redirect/get ------------------------------------------------------------------------------------


async def test_a_step_answers_303_to_the_flow_page_whose_get_shows_the_screen_and_its_events_once(
    toolbox: httpx.AsyncClient,
) -> None:
    opened = await Browser(toolbox).open("demo=true&tag=t1")
    flow = opened.action
    assert flow is not None and f'data-flow-url="{flow}"' in opened.text
    # The step address opened before any step: the current screen, its events already posted.
    first = Page(await toolbox.get(flow))
    assert first.response.status_code == 200 and first.response.headers["content-type"].startswith(
        "text/html"
    )
    assert first.heading() == opened.heading() and first.steps == [] and first.action == flow

    posted = await toolbox.post(flow, data={"action": "accept"})
    assert posted.status_code == 303 and posted.headers["location"] == flow
    assert posted.headers["cache-control"] == "no-store" and posted.content == b""
    shown = Page(await toolbox.get(flow))
    assert shown.heading() == "Select your institution"
    assert shown.steps == ["COMPONENT_ACCEPT_CONSENT", "COMPONENT_LOAD_INSTITUTION_SELECTOR"]
    assert {e["tag"] for e in shown.events} == {"t1"}
    reloaded = Page(await toolbox.get(flow))  # a reload, or Back: the same screen, no event twice
    assert reloaded.response.status_code == 200
    assert reloaded.heading() == "Select your institution" and reloaded.steps == []
    assert reloaded.institutions() == shown.institutions()

    # Two steps before the page is shown again (a double submit): both screens' events, in order, once.
    assert (
        await toolbox.post(flow, data={"action": "select", "institution": "FlinksCapital"})
    ).status_code == 303
    form = {"action": "submit", "username": "Greatday", "password": "nope"}
    assert (await toolbox.post(flow, data=form)).status_code == 303
    after = Page(await toolbox.get(flow))
    assert after.steps == [
        "INSTITUTION_SELECTED",
        "COMPONENT_LOAD_CREDENTIAL",
        "SUBMIT_CREDENTIAL",
        "INVALID_PASSWORD",
        "COMPONENT_LOAD_CREDENTIAL_RETRY",
    ]
    again = Page(await toolbox.get(flow))
    assert again.steps == [] and again.alert() == after.alert() != ""
    assert 'value="Greatday"' in again.text  # the username is kept on the screen shown again


async def test_mfa_and_accounts_survive_a_reload_and_the_redirect_navigates_once(
    toolbox: httpx.AsyncClient,
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials(
        "demo=true&consentEnable=false&accountSelectorEnable=true&innerRedirect=true"
        "&redirectUrl=https%3A%2F%2Fapp.example%2Fdone"
    )
    mfa = await browser.log_in("Greatday")
    assert 'name="token"' not in mfa.text  # the attempt's token stays on the server
    assert mfa.action is not None
    reloaded = Page(await toolbox.get(mfa.action))
    assert reloaded.prompts() == mfa.prompts() and reloaded.steps == []
    browser.page = reloaded
    accounts = await browser.answer()  # answered from the reloaded page: the same session goes on
    assert accounts.steps == ["SUBMIT_MFA", "COMPONENT_LOAD_ACCOUNT_SELECTION"]
    assert Page(await toolbox.get(mfa.action)).accounts() == accounts.accounts()
    done = await browser.do(action="submit", account=accounts.accounts()[-1])
    assert done.steps == ["ACCOUNT_SELECTED", "REDIRECT"]
    assert done.navigation["mode"] == "inner" and done.navigation["url"] == done.events[-1]["url"]
    again = Page(await toolbox.get(mfa.action))
    assert again.steps == [] and again.navigation["mode"] is None  # Back does not send the browser off again
    assert 'id="continue"' in again.text and again.heading() == "Your account is connected"


async def test_an_unknown_flow_is_a_404_page_and_an_expired_one_a_410_page_each_with_a_way_on(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    unknown_id = toolbox_spec("sqlite://").ids.random()  # well formed, this instance's, never stored
    for method, path in (("GET", "/v2/flow/not-a-guid"), ("POST", f"/v2/flow/{unknown_id}")):
        response = await toolbox.request(
            method, path, data={"action": "accept"} if method == "POST" else None
        )
        page = Page(response)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
        assert page.steps == ["SESSION_EXPIRED"] and page.action is None
        assert re.search(r'<a class="button" id="restart" href="/v2/\?demo=true">Start again</a>', page.text)

    opened = await Browser(toolbox).open("demo=true&language=fr&tag=t2&consentEnable=false")
    assert opened.action is not None
    clock.advance(timedelta(minutes=31))
    for method in ("GET", "POST"):
        response = await toolbox.request(
            method, opened.action, data={"action": "x"} if method == "POST" else None
        )
        page = Page(response)
        assert response.status_code == 410 and page.steps == ["SESSION_EXPIRED"]
        assert page.events[0]["tag"] == "t2" and '<html lang="fr">' in page.text and "expiré" in page.alert()
        restart = re.search(r'id="restart" href="([^"]+)"', page.text)
        assert restart is not None
    assert restart is not None
    fresh = Page(await toolbox.get(html.unescape(restart.group(1))))  # the same options, a new flow
    assert fresh.response.status_code == 200 and fresh.action not in (None, opened.action)
    assert fresh.steps == ["APP_MOUNTED", "COMPONENT_LOAD_INSTITUTION_SELECTOR"]
    assert {e["tag"] for e in fresh.events} == {"t2"} and '<html lang="fr">' in fresh.text


async def test_a_production_flow_that_expired_says_where_to_start_again(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(prod_spec(store_url), clock) as http:
        token = await Flinks(http, PROD_CUSTOMER_ID, PROD_SECRET, PROD_API_KEY).token()
        opened = await Browser(http).open(f"demo=true&authorizeToken={token}")
        assert opened.action is not None
        clock.advance(timedelta(minutes=31))
        gone = Page(await http.get(opened.action))
        assert gone.response.status_code == 410
        assert "Start again from the page that opened it" in gone.alert()
        assert 'id="restart"' not in gone.text  # without a new token from the integrator, a link would fail


async def test_a_production_page_without_a_token_says_it_is_missing_and_how_to_get_one(
    store_url: str, clock: ManualClock
) -> None:
    async with serve_in_process(prod_spec(store_url), clock) as http:
        missing = await Browser(http).open("demo=true")
        assert missing.response.status_code == 401 and missing.steps == ["APP_MOUNTED", "TOKEN_INVALID"]
        alert = missing.alert()
        assert "no authorize token" in alert and "already used" not in alert
        assert "GenerateAuthorizeToken" in alert and "secret key" in alert and "authorizeToken=" in alert
        french = await Browser(http).open("demo=true&language=fr")
        assert "pas de jeton d'autorisation" in french.alert() and "GenerateAuthorizeToken" in french.alert()
        token = await Flinks(http, PROD_CUSTOMER_ID, PROD_SECRET, PROD_API_KEY).token()
        await Browser(http).open(f"demo=true&authorizeToken={token}")
        used = await Browser(http).open(f"demo=true&authorizeToken={token}")
        assert "already used" in used.alert() and "no authorize token" not in used.alert()


async def test_the_demo_page_reads_only_the_accounts_shared_in_connect(
    toolbox: httpx.AsyncClient, clock: ManualClock
) -> None:
    browser = Browser(toolbox)
    await browser.to_credentials("demo=true&consentEnable=false&accountSelectorEnable=true")
    offered = (await browser.log_in("greatday_nomfa")).accounts()
    assert len(offered) == 2
    redirect = (await browser.do(action="submit", account=offered[1])).events[-1]
    assert redirect["accountId"] == offered[1]
    demo = await toolbox.get("/demo")
    assert "AccountsFilter" in demo.text and "event.accountId" in demo.text

    session = (await toolbox.post("/demo/session", json={"LoginId": redirect["loginId"]})).json()
    path = f"/demo/accounts/{session['RequestId']}"
    first = await toolbox.post(path, json={"First": True, "AccountsFilter": redirect["accountId"].split(",")})
    assert first.json()["HttpStatusCode"] == 202
    clock.advance(timedelta(seconds=10))
    ready = (await toolbox.post(path, json={"First": False})).json()  # the poll replays the filter
    assert ready["HttpStatusCode"] == 200
    assert [a["Id"] for a in ready["Accounts"]] == [offered[1]]
    refused = await toolbox.post(path, json={"First": True, "AccountsFilter": "not-a-list"})
    assert refused.status_code == 400 and refused.json()["FlinksCode"] == "INVALID_REQUEST"
