"""Identifiers do not cross instances: every endpoint that takes a loginId or a RequestId refuses one
minted by another instance with its documented error plus ``"WrongInstance": true``, and says nothing else.

Each case obtains real identifiers on instance A (a connected, aggregated loginId; a live RequestId; the
RequestId of a 203 still waiting for its answer), presents them to instance B with B's own valid
credentials, and checks B's answer; then a random GUID unknown to both gets the plain error, and A's
identifier still works on A.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from finstance.core.clock import ManualClock
from finstance.core.country import Country
from finstance.core.identifiers import Origin
from finstance.enrich import service
from finstance.sandbox import bank
from tests.conftest import serve_in_process
from tests.flinks import Flinks
from tests.residency.conftest import DIRECTIONS, Party, build
from tests.residency.helpers import Produced, connect_and_aggregate

Call = Callable[[Flinks, str, Produced], Awaitable[httpx.Response]]


def _api(flinks: Flinks) -> dict[str, str]:
    return {"x-api-key": flinks.api_key}


async def _authorize_cached(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    return await f.authorize({"LoginId": ident})


async def _authorize_live(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    return await f.authorize({"LoginId": ident, "MostRecentCached": False})


async def _authorize_mfa(f: Flinks, ident: str, a: Produced) -> httpx.Response:
    """Answer A's pending challenge (correctly) with ``ident`` as the RequestId and a token of ``f``."""
    body = {"RequestId": ident, "SecurityResponses": {a.prompt: [a.answer]}}
    return await f.authorize(body, await f.token())


def _sync(endpoint: str, **options: object) -> Call:
    async def call(f: Flinks, ident: str, _: Produced) -> httpx.Response:
        return await f.data(endpoint, {"RequestId": ident, **options})

    return call


def _poll(endpoint: str) -> Call:
    async def call(f: Flinks, ident: str, _: Produced) -> httpx.Response:
        return await f.poll(endpoint, ident)

    return call


async def _delete_card(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    return await f.http.delete(f"{f.prefix}/DeleteCard/{ident}", headers=_api(f))


async def _scheduled_refresh(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    body = {"LoginId": ident, "IsActivated": True}
    return await f.http.patch(f"{f.prefix}/SetScheduledRefresh", json=body, headers=_api(f))


async def _mfa_questions(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    return await f.http.get(f"{f.prefix}/GetMFAQuestions/{ident}", headers=_api(f))


async def _answer_mfa(f: Flinks, ident: str, _: Produced) -> httpx.Response:
    questions = [{"Question": q, "Answer": a} for q, a in bank.CA_QUESTIONS.items()]
    body = {"LoginId": ident, "Questions": questions}
    return await f.http.patch(f"{f.prefix}/AnswerMFAQuestions", json=body, headers=_api(f))


def _enrich(method: str, path: str, body: dict[str, Any] | None = None) -> Call:
    """An Enrich call with ``ident`` as the loginId and A's RequestId (its GetAccountsDetail was called)."""

    async def call(f: Flinks, ident: str, a: Produced) -> httpx.Response:
        url = f"{f.prefix.removesuffix('/BankingServices')}/{path.format(login=ident, request=a.request_id)}"
        return await f.http.request(method, url, json=body, headers=_api(f))

    return call


def _secret(method: str, path: str) -> Call:
    """A call with ``ident`` as the loginId and the instance's secret key as Authorization: Bearer."""

    async def call(f: Flinks, ident: str, a: Produced) -> httpx.Response:
        url = f"{f.prefix.removesuffix('/BankingServices')}/{path.format(login=ident)}"
        return await f.http.request(method, url, headers={"Authorization": f"Bearer {f.secret_key}"})

    return call


ATTRIBUTES = "insight/login/{login}/attributes/{request}"


@dataclass(frozen=True)
class Endpoint:
    name: str
    takes: str  # "login" (loginId), "request" (a live RequestId) or "pending" (RequestId of a 203)
    call: Call
    canada_only: bool = False  # refused with METHOD_NOT_AVAILABLE on a U.S. instance, before any lookup


ENDPOINTS = [
    Endpoint("Authorize-cached", "login", _authorize_cached),
    Endpoint("Authorize-live-by-LoginId", "login", _authorize_live),
    Endpoint("Authorize-MFA-continuation", "pending", _authorize_mfa),
    Endpoint("GetAccountsSummary", "request", _sync("GetAccountsSummary")),
    Endpoint("GetAccountsDetail", "request", _sync("GetAccountsDetail", WithKYC=True)),
    Endpoint("GetStatements", "request", _sync("GetStatements"), canada_only=True),
    Endpoint("GetAccountsSummaryAsync", "request", _poll("GetAccountsSummaryAsync")),
    Endpoint("GetAccountsDetailAsync", "request", _poll("GetAccountsDetailAsync")),
    Endpoint("GetStatementsAsync", "request", _poll("GetStatementsAsync"), canada_only=True),
    Endpoint("DeleteCard", "login", _delete_card),
    Endpoint("SetScheduledRefresh", "login", _scheduled_refresh),
    Endpoint("GetMFAQuestions", "login", _mfa_questions, canada_only=True),
    Endpoint("AnswerMFAQuestions", "login", _answer_mfa, canada_only=True),
    *(Endpoint(package, "login", _enrich("GET", f"{ATTRIBUTES}/{package}")) for package in service.PACKAGES),
    Endpoint(
        "Attributes",
        "login",
        _enrich("POST", ATTRIBUTES, {"Attributes": {"Card": ["sum_employer_income_30_days"]}}),
    ),
    Endpoint(
        "GetCategorization", "login", _enrich("GET", "categorization/login/{login}/requestid/{request}")
    ),
    Endpoint("FraudAnalysis", "login", _secret("GET", "upload/fraudanalysis/{login}")),
]

BASE_KEYS = {"HttpStatusCode", "FlinksCode", "Message"}


def identifier(endpoint: Endpoint, a: Produced) -> str:
    return {"login": a.login_id, "request": a.request_id, "pending": a.pending_request_id}[endpoint.takes]


def expected_refusal(endpoint: Endpoint, b: Party) -> tuple[int, str, bool]:
    """(status, FlinksCode, whether WrongInstance is said) for an identifier B cannot serve.

    A Canada-only method on a U.S. instance is refused for what it is before the identifier is looked at,
    so the answer is METHOD_NOT_AVAILABLE whatever the identifier, and says nothing about its issuer.
    """
    if endpoint.canada_only and b.country is Country.US:
        return 400, "METHOD_NOT_AVAILABLE", False
    if endpoint.takes == "login":
        return 401, "INVALID_LOGIN", True
    return 400, "SESSION_NONEXISTENT", True


def secrets_of(a: Party, produced: Produced) -> list[str]:
    """Strings that must never appear in B's answer about A's identifier."""
    return sorted({a.spec.customer_id, "Greatday", *produced.values}, key=len, reverse=True)


def check_refusal(
    response: httpx.Response, endpoint: Endpoint, a: Party, b: Party, produced: Produced, *, foreign: bool
) -> None:
    status, code, says_wrong_instance = expected_refusal(endpoint, b)
    body = response.json()
    assert (response.status_code, body["FlinksCode"]) == (status, code), response.text
    assert body["HttpStatusCode"] == status
    wrong_instance = foreign and says_wrong_instance
    keys = set(BASE_KEYS)
    if wrong_instance:
        keys.add("WrongInstance")
        assert body["WrongInstance"] is True
    if endpoint.name in ("Authorize-cached", "Authorize-live-by-LoginId") and code == "INVALID_LOGIN":
        # The refused /Authorize spent B's token on a session of B's own: its RequestId is B's.
        keys.add("RequestId")
        assert b.spec.ids.origin(body["RequestId"]) == Origin.THIS_INSTANCE
    assert set(body) == keys, body  # no Login, Accounts, Institution, Links, SecurityChallenges...
    everything = (response.text + repr(sorted(response.headers.items()))).lower()
    leaked = [s for s in secrets_of(a, produced) if s.lower() in everything]
    assert not leaked, f"B's answer reveals {leaked}: {response.text}"


async def check_still_works_on_a(endpoint: Endpoint, fa: Flinks, a: Party, produced: Produced) -> None:
    """A's identifier, refused by B, is untouched on A: the same call on A succeeds."""
    if endpoint.canada_only and a.country is Country.US:
        # The method does not exist on A: prove the identifier itself still works there.
        fallback = ENDPOINTS[0] if endpoint.takes == "login" else ENDPOINTS[3]
        await check_still_works_on_a(fallback, fa, a, produced)
        return
    ident = identifier(endpoint, produced)
    if endpoint.takes == "pending":
        response = await fa.authorize(
            {"RequestId": ident, "SecurityResponses": {produced.prompt: [produced.answer]}},
            produced.pending_token,
        )
    else:
        response = await endpoint.call(fa, ident, produced)
    expected = 203 if endpoint.name == "Authorize-live-by-LoginId" else 200  # Greatday is asked again
    assert response.status_code == expected, response.text
    body = response.json()
    if "Login" in body:
        assert body["Login"].get("Id", body["Login"].get("LoginId")) == produced.login_id
    if endpoint.takes == "request" and "RequestId" in body:
        assert body["RequestId"] == produced.request_id
    if endpoint.name == "SetScheduledRefresh":
        assert body["LoginId"] == produced.login_id and body["IsScheduledRefresh"] is True


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
@pytest.mark.parametrize("direction", DIRECTIONS)
async def test_identifier_of_another_instance_is_refused_as_wrong_instance_and_reveals_nothing(
    endpoint: Endpoint, direction: tuple[str, str], store_pair: tuple[str, str], clock: ManualClock
) -> None:
    """B refuses A's loginId/RequestId with the documented code and WrongInstance, revealing nothing of A;
    a random GUID gets the plain error without WrongInstance; A's identifier keeps working on A."""
    a, b = build(direction[0], store_pair[0]), build(direction[1], store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        fa, fb = a.client(http_a), b.client(http_b)
        produced = await connect_and_aggregate(fa, clock)
        ident = identifier(endpoint, produced)
        assert a.spec.ids.origin(ident) == Origin.THIS_INSTANCE
        assert b.spec.ids.origin(ident) == Origin.OTHER_INSTANCE

        for presented in (ident, ident.upper()):
            refused = await endpoint.call(fb, presented, produced)
            check_refusal(refused, endpoint, a, b, produced, foreign=True)

        unknown = await endpoint.call(fb, str(uuid.uuid4()), produced)
        check_refusal(unknown, endpoint, a, b, produced, foreign=False)
        assert "WrongInstance" not in unknown.json()

        await check_still_works_on_a(endpoint, fa, a, produced)


# Every route of an instance, by what it takes: the isolation cases above (by their name), or why it takes
# no identifier of an instance. A route added without being listed here fails the test below.
ROUTES: dict[tuple[str, str], str] = {
    ("POST", "/v3/{customerId}/BankingServices/GenerateAuthorizeToken"): "no identifier",
    ("POST", "/v3/{customerId}/BankingServices/Authorize"): "Authorize-cached",
    ("POST", "/v3/{customerId}/BankingServices/GetAccountsSummary"): "GetAccountsSummary",
    ("POST", "/v3/{customerId}/BankingServices/GetAccountsDetail"): "GetAccountsDetail",
    ("POST", "/v3/{customerId}/BankingServices/GetStatements"): "GetStatements",
    **{
        (method, f"/v3/{{customerId}}/BankingServices/{name}Async/{{requestId}}"): f"{name}Async"
        for name in ("GetAccountsSummary", "GetAccountsDetail", "GetStatements")
        for method in ("GET", "POST")
    },
    ("DELETE", "/v3/{customerId}/BankingServices/DeleteCard/{loginId}"): "DeleteCard",
    ("PATCH", "/v3/{customerId}/BankingServices/SetScheduledRefresh"): "SetScheduledRefresh",
    ("GET", "/v3/{customerId}/BankingServices/GetMFAQuestions/{loginId}"): "GetMFAQuestions",
    ("PATCH", "/v3/{customerId}/BankingServices/AnswerMFAQuestions"): "AnswerMFAQuestions",
    ("GET", "/v3/{customerId}/BankingServices/Institutions"): "no identifier: the country's catalogue",
    ("GET", "/v3/{customerId}/BankingServices/Institutions/RoutingNumber/{routingNumber}"): "no identifier",
    **{
        ("GET", f"/v3/{{customerId}}/insight/login/{{loginId}}/attributes/{{requestId}}/{package}"): package
        for package in service.PACKAGES
    },
    ("GET", "/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}/{endpoint}"): "GetAllAttributes",
    ("POST", "/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}"): "Attributes",
    ("GET", "/v3/{customerId}/categorization/login/{loginId}/requestid/{requestId}"): "GetCategorization",
    ("POST", "/v3/{customerId}/Categorization/Upload"): "no identifier: the request's own transactions",
    ("GET", "/v3/{customerId}/BankingServices/Categories/{countryCode}"): "no identifier: a category tree",
    ("GET", "/v3/{customerId}/BankingServices/Categories"): "no identifier: a category tree",
    ("GET", "/v3/{customerId}/attributes/library"): "no identifier: the attribute library",
    ("GET", "/v3/{customerId}/attributes/library/business"): "no identifier: the attribute library",
    ("POST", "/v3/{customerId}/attributes/upload"): "no identifier: the request's own transactions",
    ("POST", "/v3/{customerId}/attributes/upload/{useCase}"): "no identifier: the request's own transactions",
    ("GET", "/v2/"): "Connect pages: a flow id of its own (tests/connect/web)",
    ("GET", "/v2"): "Connect pages: a flow id of its own (tests/connect/web)",
    ("GET", "/v2/flow/{flow_id}"): "Connect pages: a flow id of its own (tests/connect/web)",
    ("POST", "/v2/flow/{flow_id}"): "Connect pages: a flow id of its own (tests/connect/web)",
    ("GET", "/"): "no identifier: the instance's name and country",
    ("GET", "/demo"): "no identifier: the demo page",
    ("GET", "/v2/Result/{institution}"): "Connect pages: the redirect page of an institution",
    # The demo page of sandbox instances reads through /Authorize's and GetAccountsDetail's own services, so
    # their wrong-instance refusals (the cases above) are its refusals.
    ("POST", "/demo/session"): "Connect pages: the demo page, through Authorize-cached's service",
    (
        "POST",
        "/demo/accounts/{request_id}",
    ): "Connect pages: the demo page, through GetAccountsDetail's service",
    ("GET", "/v3/{customerId}/upload/fraudanalysis/{loginId}"): "FraudAnalysis",
    ("GET", "/v3/{customerId}/upload/FraudAnalysis/{loginId}"): "FraudAnalysis",
    (
        "POST",
        "/v3/{customerId}/upload/api/v1/token",
    ): "Upload: clients of its own (tests/residency/test_upload.py)",
    (
        "POST",
        "/v3/{customerId}/upload/api/v1/uploads",
    ): "Upload: a new loginId (tests/residency/test_upload.py)",
    (
        "GET",
        "/v3/{customerId}/upload/api/v1/uploads/{uploadId}",
    ): "Upload: an UploadId of its own (tests/residency/test_upload.py)",
    **dict.fromkeys(
        [
            ("GET", "/v2/Upload"),
            ("GET", "/v2/Upload/"),
            ("GET", "/v2/upload"),
            ("GET", "/v2/upload/"),
            ("GET", "/v2/Upload/{ticket}"),
            ("POST", "/v2/Upload/{ticket}"),
            ("GET", "/v2/Upload/{ticket}/{upload_id}"),
        ],
        "Connect pages: the upload page, a ticket of its own (tests/upload/test_pages.py)",
    ),
    **dict.fromkeys(
        [
            ("POST", "/pay/api/v1/authorize"),
            ("POST", "/pay/api/v2/sessions"),
            ("GET", "/pay/api/v2/sessions/{sessionId}/status"),
            ("GET", "/pay/api/v2/sessions/{sessionId}/details"),
            ("POST", "/pay/api/v2/sessions/{sessionId}/cancel"),
            ("POST", "/pay/api/sandbox/sessions/{sessionId}/payor"),
            ("POST", "/pay/api/sandbox/sessions/{sessionId}/simulate"),
            ("POST", "/pay/api/v2/sessions/{sessionId}/guarantees/confirm"),
            ("GET", "/pay/app/"),
            ("POST", "/pay/app/"),
        ],
        "Pay: API clients and sessions of its own (tests/pay/test_sessions.py, tests/residency/test_pay.py)",
    ),
    **dict.fromkeys(
        [
            ("GET", "/pay/api/sandbox/clock"),
            ("POST", "/pay/api/sandbox/clock"),
            ("GET", "/pay/api/v1/settlement/files"),
            ("GET", "/pay/api/v1/settlement/files/{fileDate}"),
        ],
        "Pay: the instance's own clock and files, to its own API clients (tests/residency/test_pay.py)",
    ),
    **dict.fromkeys(
        [
            ("POST", "/pay/api/v1/transactions"),
            ("GET", "/pay/api/v1/schedules/{scheduleId}"),
            ("POST", "/pay/api/v1/schedules/{scheduleId}/cancel"),
            ("GET", "/pay/api/v1/pads/{padId}"),
            ("GET", "/pay/api/v1/contacts/{contactId}"),
            ("GET", "/pay/api/v1/paymentrequests/{requestId}"),
            ("POST", "/pay/api/v1/paymentrequests/{requestId}/cancel"),
            ("POST", "/pay/api/sandbox/paymentrequests/{requestId}/simulate"),
            ("GET", "/pay/pad/{pad_id}"),
            ("POST", "/pay/pad/{pad_id}"),
        ],
        "Pay EFT V1: schedules, PADs, contacts and payments of its own clients (tests/residency/test_pay.py)",
    ),
    ("GET", "/pay/api/v1/institutions"): "Pay EFT V1: a reference list, no identifier",
    ("GET", "/pay/api/v1/purposecategories/{direction}"): "Pay EFT V1: a reference list, no identifier",
    ("GET", "/healthz"): "no identifier",
    ("GET", "/readyz"): "no identifier",
    ("GET", "/metrics"): "no identifier",
    ("GET", "/docs"): "no identifier",
    ("GET", "/docs/assets/{name}"): "no identifier",
    ("GET", "/openapi.json"): "no identifier",
    **{
        (
            method,
            f"/outbound{path}",
        ): "Outbound: tokens and clients of its own (tests/residency/test_outbound.py)"
        for method, path in [
            ("GET", "/api/v1/authorize"),
            ("POST", "/api/v1/token"),
            ("DELETE", "/api/v1/revoke"),
            ("GET", "/.well-known/jwks.json"),
            ("GET", "/api/v1/providers"),
            ("GET", "/api/v2/providers"),
            ("GET", "/api/v1/providers/{provider_id}"),
            ("GET", "/api/v1/recipients"),
            ("GET", "/api/v1/recipients/providers/requests"),
            ("POST", "/api/v1/recipients/providers/requests"),
            ("GET", "/api/v1/recipients/{client_id}"),
            ("GET", "/api/v1/recipients/{client_id}/providers/requests"),
            ("GET", "/api/fdx/5/accounts"),
            ("GET", "/api/fdx/5/accounts/{accountId}"),
            ("GET", "/api/fdx/5/accounts/{accountId}/transactions"),
            ("GET", "/api/fdx/5/accounts/{accountId}/contact"),
            ("GET", "/api/fdx/5/accounts/{accountId}/payment-networks"),
            ("GET", "/api/fdx/5/accounts/{accountId}/statements"),
            ("GET", "/api/fdx/5/accounts/{accountId}/statements/{statementId}"),
            ("GET", "/api/fdx/5/customers/current"),
            ("GET", "/consent/{flow_id}"),
            ("POST", "/consent/{flow_id}"),
        ]
    },
}


def routes_of(routes: list[Any]) -> Iterator[Any]:
    """Every route, through the routers FastAPI includes (it keeps each included router whole)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from routes_of(inner.routes)
        else:
            yield route


@pytest.mark.parametrize("country", [Country.CA, Country.US])
def test_every_route_of_an_instance_is_covered_by_the_isolation_cases(country: Country) -> None:
    """Enumerated from the app itself, so that no endpoint can be missed: each route is one of the cases
    above, or says why it takes no identifier of an instance."""
    from starlette.routing import Route

    from finstance.app import PRODUCTS, create_app

    party = build("acme-ca" if country is Country.CA else "acme-us", "sqlite://")
    app = create_app(party.spec)
    # A product this country does not get is refused whole (tests/core/test_products.py).
    refused = tuple(path for p in PRODUCTS if not p.serves(country) for path in p.paths)
    found: set[tuple[str, str]] = set()
    for route in routes_of(app.routes):
        if not isinstance(route, Route) or route.path.startswith(refused):
            continue
        for method in route.methods or ():
            if method != "HEAD":
                found.add((method, route.path))
    names = {e.name for e in ENDPOINTS}
    assert len(found) >= 60, sorted(found)  # the routes were found, not skipped
    unknown = sorted(found - set(ROUTES))
    assert not unknown, f"routes not covered by the isolation suite: {unknown}"
    for key in found:
        covered = ROUTES[key]
        assert covered in names or covered.startswith(
            ("no identifier", "Connect pages", "Outbound", "Upload", "Pay")
        ), key
