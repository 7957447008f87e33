"""The instance honours its own OpenAPI document: schemathesis drives every operation in-process.

Two runs over every operation of ``/openapi.json``, each with every default check (server errors, status
codes, content types, response schemas and headers, negative data rejection, ...):

* anonymous: whatever schemathesis generates, so most requests stop at the customerId or key checks;
* authenticated: the toolbox customerId, x-api-key and secret key are fixed (and a freshly minted token is
  sent to /Authorize), so generated bodies get past authentication and exercise validation and services.

schemathesis runs the app's lifespan itself (on the first request) and ends it when each test ends.
"""

from __future__ import annotations

import atexit
import tempfile
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.schemas import BaseSchema

from finstance.app import create_app
from finstance.connect.api import ENDPOINTS
from finstance.core.clock import ManualClock
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_SECRET_KEY,
    Settings,
    sqlite_url,
    toolbox_spec,
)

PREFIX = "/v3/{customerId}/BankingServices"
# schemathesis' own default for positive_data_acceptance
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
BUSINESS_RULE_400 = (
    "/BankingServices/(Authorize|GetAccountsSummary|GetAccountsDetail|GetStatements|DeleteCard|SetScheduledRefresh"
    "|GetMFAQuestions|AnswerMFAQuestions)"
    # Enrich: a login's RequestId rules (its GetAccountsDetail, 8 minutes), attribute names, account filters,
    # the rules of uploaded transactions (one date order, balances, the instance's country).
    "|/insight/login/|/categorization/login/|/Categorization/Upload|/attributes/upload"
)
BOUNDED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    database=None,
)


def _app(directory: Path) -> FastAPI:
    return create_app(
        toolbox_spec(sqlite_url(directory / "instance.db")), Settings(run_worker=False), ManualClock()
    )


# The schemas are loaded at collection time, so the app and its store directory live for the whole process.
# Registered before schemathesis starts its event loop thread: atexit runs last-in first-out, so the app's
# lifespan (ended by schemathesis at exit) is over before the directory is removed.
_STORE_DIR = tempfile.TemporaryDirectory(prefix="finstance-contract-")
atexit.register(_STORE_DIR.cleanup)
APP = _app(Path(_STORE_DIR.name))

anonymous = schemathesis.openapi.from_asgi("/openapi.json", APP)
authenticated = schemathesis.openapi.from_asgi(
    "/openapi.json",
    APP,
    config=SchemathesisConfig.from_dict(
        {
            "parameters": {"path.customerId": TOOLBOX_CUSTOMER_ID, "header.x-api-key": TOOLBOX_API_KEY},
            "operations": [
                {
                    "include-name": f"POST {PREFIX}/GenerateAuthorizeToken",
                    "parameters": {"header.flinks-auth-key": TOOLBOX_SECRET_KEY},
                },
                {
                    "include-path-regex": "/BankingServices/Categories|/attributes/",
                    "parameters": {"header.Authorization": f"Bearer {TOOLBOX_SECRET_KEY}"},
                },
                {
                    # A schema-valid request may name a session or loginId that does not exist, or break a
                    # cross-field rule (a challenge answer needs RequestId and SecurityResponses): Flinks
                    # answers 400 (SESSION_NONEXISTENT, INVALID_REQUEST), which OpenAPI cannot express. This
                    # is the tuning schemathesis documents for ST202; every other check stays as it is.
                    "include-path-regex": BUSINESS_RULE_400,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
                },
            ],
        }
    ),
)


@anonymous.parametrize()
@BOUNDED
def test_contract_anonymous(case: Case[Any]) -> None:
    case.call_and_validate()


def _mint_token(schema: BaseSchema) -> str:
    operation = schema[f"{PREFIX}/GenerateAuthorizeToken"]["POST"]
    minted = operation.Case(
        path_parameters={"customerId": TOOLBOX_CUSTOMER_ID}, headers={"flinks-auth-key": TOOLBOX_SECRET_KEY}
    ).call()
    assert minted.status_code == 200, minted.text
    token: str = minted.json()["Token"]
    return token


@authenticated.parametrize()
@BOUNDED
def test_contract_authenticated(case: Case[Any]) -> None:
    negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    if case.operation.path.endswith("/Authorize") and not negative_headers:
        case.headers["flinks-auth-key"] = _mint_token(authenticated)
    case.call_and_validate()


async def test_openapi_lists_every_endpoint_and_no_422(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://contract.test") as client:
            response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    paths: dict[str, dict[str, Any]] = document["paths"]
    names = {path.removeprefix(PREFIX + "/").split("/")[0] for path in paths if path.startswith(PREFIX + "/")}
    assert set(ENDPOINTS) <= names, set(ENDPOINTS) - names
    documented_422 = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "422" in operation.get("responses", {})
    ]
    assert documented_422 == []
    schemas = document.get("components", {}).get("schemas", {})
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
