"""SQL injection in every string field and path parameter changes nothing, on SQLite and PostgreSQL.

A real connection is made and read first; then every string field of every request body (found from the
wire models, so a new field is covered), every path parameter and the paging query carry injection
payloads. Afterwards the row count of every table is what it was (except the rows those very requests are
entitled to write: the authorize tokens minted for them, and the sessions they opened), and a cached flow
on the saved loginId returns the same accounts as before.
"""

from __future__ import annotations

import typing
from typing import Any
from urllib.parse import quote

import httpx
import pydantic
from sqlalchemy import MetaData, create_engine, func, select

from finstance.connect import wire
from finstance.core.clock import ManualClock
from tests.connect.web.test_flow import Browser
from tests.flinks import PREFIX, Flinks

PAYLOADS = [
    "' OR 1=1 --",
    "'; DROP TABLE logins; --",
    '" OR ""="',
    "1; DELETE FROM accounts",
    "') OR ('1'='1",
    "x' UNION SELECT token_hash FROM authorize_tokens --",
    "%' OR '%'='",
    "\\'; TRUNCATE transactions; --",
    "1' AND SLEEP(5) --",
    "'||pg_sleep(5)||'",
    "admin'/*",
    "\x00' OR 1=1 --",
]
ENDPOINTS: dict[str, tuple[str, type[pydantic.BaseModel]]] = {
    "Authorize": ("POST", wire.AuthorizeRequest),
    "GetAccountsSummary": ("POST", wire.AccountsSummaryRequest),
    "GetAccountsDetail": ("POST", wire.AccountsDetailRequest),
    "GetStatements": ("POST", wire.StatementsRequest),
    "SetScheduledRefresh": ("PATCH", wire.ScheduledRefreshRequest),
    "AnswerMFAQuestions": ("PATCH", wire.AnswerMFAQuestionsRequest),
}
PATHS = [
    ("GET", "GetAccountsSummaryAsync/{}"),
    ("GET", "GetAccountsDetailAsync/{}"),
    ("POST", "GetStatementsAsync/{}"),
    ("DELETE", "DeleteCard/{}"),
    ("GET", "GetMFAQuestions/{}"),
    ("GET", "Institutions/RoutingNumber/{}"),
]
# Rows the probes themselves may write: a token minted for each Authorize probe, the session it opens.
WRITTEN_BY_PROBES = {"authorize_tokens", "sessions", "rate_counters"}


def _is_text(annotation: Any) -> bool:
    return annotation is str or "str" in str(annotation)


def injected_bodies(
    model: type[pydantic.BaseModel], payload: str, valid: dict[str, Any]
) -> list[dict[str, Any]]:
    """One body per string-holding field of ``model`` (nested models, lists and dict keys included)."""
    bodies = []
    for name, field in model.model_fields.items():
        alias = field.alias or name
        annotation = field.annotation
        args = typing.get_args(annotation)
        nested = next(
            (a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, pydantic.BaseModel)),
            None,
        )
        inner = [typing.get_args(a) for a in args]
        value: Any
        if nested is None:
            for a in (*args, *[x for group in inner for x in group]):
                if isinstance(a, type) and issubclass(a, pydantic.BaseModel):
                    nested = a
        if nested is not None:
            value = [{(f.alias or n): payload for n, f in nested.model_fields.items()}]
        elif "dict" in str(annotation):
            value = {payload: [payload]}
        elif "list" in str(annotation):
            value = [payload]
        elif _is_text(annotation):
            value = payload
        else:
            continue
        bodies.append({**valid, alias: value})
    assert bodies, model
    return bodies


def row_counts(store_url: str) -> dict[str, int]:
    engine = create_engine(store_url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for name, t in meta.tables.items()
            }
    finally:
        engine.dispose()


async def _read(flinks: Flinks, clock: ManualClock, request_id: str) -> dict[str, Any]:
    first = await flinks.data("GetAccountsDetail", {"RequestId": request_id})
    if first.status_code == 202:
        clock.advance(10)
        first = await flinks.poll("GetAccountsDetailAsync", request_id)
    assert first.status_code == 200, first.text
    body: dict[str, Any] = first.json()
    return body


async def test_injection_in_every_string_field_and_path_parameter_changes_nothing(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    done = await flinks.connect("Greatday")
    login_id, request_id = done["Login"]["Id"], done["RequestId"]
    before_accounts = await _read(flinks, clock, request_id)
    statements = await flinks.data("GetStatements", {"RequestId": request_id})
    assert statements.status_code == 200, statements.text
    before = row_counts(store_url)
    assert before["logins"] == 1 and before["accounts"] >= 4 and before["transactions"] > 0

    answered: list[int] = []
    for payload in PAYLOADS:
        for endpoint, (method, model) in ENDPOINTS.items():
            valid = {"RequestId": request_id} if "request_id" in model.model_fields else {}
            if endpoint == "Authorize":
                valid = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
            if "login_id" in model.model_fields and endpoint != "Authorize":
                valid = (
                    {"LoginId": login_id, "IsActivated": True, "Questions": []}
                    if endpoint != "GetStatements"
                    else valid
                )
            for body in injected_bodies(model, payload, valid):
                headers = {"x-api-key": flinks.api_key}
                if endpoint == "Authorize":
                    headers["flinks-auth-key"] = await flinks.token()
                response = await toolbox.request(method, f"{PREFIX}/{endpoint}", json=body, headers=headers)
                assert response.status_code < 500, (endpoint, body, response.text)
                assert "Traceback" not in response.text
                answered.append(response.status_code)
        encoded = quote(payload, safe="")
        for method, template in PATHS:
            response = await toolbox.request(
                method, f"{PREFIX}/{template.format(encoded)}", headers={"x-api-key": flinks.api_key}
            )
            assert response.status_code < 500, (template, payload, response.text)
            assert response.json()["FlinksCode"] in (
                "SESSION_NONEXISTENT",
                "INVALID_LOGIN",
                "NOT_FOUND",
                "INVALID_REQUEST",
            )
        for path in (
            f"/v3/{encoded}/BankingServices/Institutions",
            f"{PREFIX}/Institutions?skip={encoded}&take={encoded}",
        ):
            response = await toolbox.get(path)
            assert response.status_code in (400, 401, 404), response.text
    assert len(answered) > 100

    after = row_counts(store_url)
    changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
    assert set(changed) <= WRITTEN_BY_PROBES, changed
    assert after["logins"] == 1 and after["accounts"] == before["accounts"]

    cached = await flinks.cached(login_id)
    assert cached.status_code == 200, cached.text
    again = await _read(flinks, clock, cached.json()["RequestId"])
    assert [a["Id"] for a in again["Accounts"]] == [a["Id"] for a in before_accounts["Accounts"]]
    assert [len(a["Transactions"]) for a in again["Accounts"]] == [
        len(a["Transactions"]) for a in before_accounts["Accounts"]
    ]


async def test_nul_anywhere_in_a_request_body_is_invalid_request_on_every_backend(
    toolbox: httpx.AsyncClient,
) -> None:
    flinks = Flinks(toolbox)
    bodies = [
        ("Authorize", {"Institution": "FlinksCapital", "Username": "Greatday\x00", "Password": "Everyday"}),
        ("Authorize", {"LoginId": "\x00", "MostRecentCached": True}),
        ("Authorize", {"RequestId": "x", "SecurityResponses": {"\x00": ["a"]}}),
        ("GetAccountsDetail", {"RequestId": "\x00"}),
        ("GetAccountsDetail", {"RequestId": "x", "AccountsFilter": ["a\x00"]}),
    ]
    for endpoint, body in bodies:
        response = await flinks.post(
            endpoint, body, **{"x-api-key": flinks.api_key, "flinks-auth-key": await flinks.token()}
        )
        assert response.status_code == 400, response.text
        assert response.json()["FlinksCode"] == "INVALID_REQUEST"
        assert "NUL" in response.json()["Message"] and "\x00" not in response.text


async def test_injection_and_nul_in_every_connect_form_field_and_the_flow_id_never_reach_a_5xx(
    toolbox: httpx.AsyncClient, store_url: str
) -> None:
    before = row_counts(store_url)
    for payload in [p for p in PAYLOADS if "\x00" not in p]:  # NUL: the next test
        tagged = await toolbox.get(f"/v2/?demo=true&tag={quote(payload)}&customerName={quote(payload)}")
        assert tagged.status_code in (200, 400), tagged.text[:300]
        browser = Browser(toolbox)
        page = await browser.open("demo=true&consentEnable=false")
        assert page.response.status_code == 200
        await browser.do(action="select", institution=payload)
        page = await browser.do(action="select", institution="FlinksCapital")
        page = await browser.log_in(username=payload, password=payload)
        assert page.response.status_code < 500, page.text[:300]
        page = await browser.log_in(username="Greatday", password=payload)
        assert page.response.status_code < 500, page.text[:300]
        for flow_id in (payload, f"{page.action or ''}{payload}"):
            response = await toolbox.post(f"/v2/flow/{quote(flow_id, safe='')}", data={"action": payload})
            assert response.status_code < 500, response.text[:300]
        result = await toolbox.get(f"/v2/Result/{quote(payload, safe='')}")
        assert result.status_code < 500
    after = row_counts(store_url)
    assert after["logins"] == before["logins"] == 0
    assert after["accounts"] == before["accounts"] == 0


async def test_nul_in_connect_form_fields_and_the_flow_id_is_refused_without_a_5xx(
    toolbox: httpx.AsyncClient, store_url: str
) -> None:
    statuses: dict[str, int] = {}
    browser = Browser(toolbox)
    await browser.open("demo=true&consentEnable=false")
    page = await browser.do(action="select", institution="FlinksCapital\x00")
    statuses["institution"] = page.response.status_code
    page = await browser.do(action="select", institution="FlinksCapital")
    flow = page.action or ""
    statuses["flow id"] = (await toolbox.post(f"{flow}%00", data={"action": "back"})).status_code
    for field in ("username", "password"):
        form = {"action": "submit", "username": "Greatday", "password": "Everyday", field: "a\x00b"}
        statuses[field] = (await toolbox.post(flow, data=form)).status_code
    assert statuses and all(status < 500 for status in statuses.values()), statuses
