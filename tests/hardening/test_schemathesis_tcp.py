"""Every instance of a real `finstance serve` honours its own OpenAPI document over TCP.

schemathesis loads each instance's ``/openapi.json`` over the network and drives every operation with
positive and negative data, running every default check (no server error, response schema, status code,
content type and header conformance, negative data rejection, ...). Two modes per instance:

* anonymous: whatever schemathesis generates, so most requests stop at the customerId or key checks;
* authenticated: the instance's customerId and keys are fixed (a freshly minted token goes to /Authorize),
  so generated bodies reach validation and the services.

A stateful run follows the links schemathesis infers between operations (RequestId and LoginId flow from
the data calls to the polls, DeleteCard and GetMFAQuestions), starting from a real connection: the
document has no links from /Authorize (its RequestId needs a fresh token and real credentials), so the
state machine is handed a live RequestId instead of finding one.

``FINSTANCE_FUZZ_EXAMPLES`` sets the examples per operation and generation mode (default 8, a few seconds
per instance); a long run by hand: ``FINSTANCE_FUZZ_EXAMPLES=200 .venv/bin/pytest tests/hardening -k tcp -s``.
"""

from __future__ import annotations

import os
import time
import uuid
import zlib
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import hypothesis
import hypothesis.errors
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.schemas import APIOperation, BaseSchema

from finstance.core.http.protocol import MAX_URL_BYTES
from tests.hardening.conftest import INSTANCES, Served, Server
from tests.hardening.test_protocol import UNREADABLE

Operation = APIOperation[Any, Any, Any, Any]
EXAMPLES = int(os.environ.get("FINSTANCE_FUZZ_EXAMPLES", "8"))
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
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=False,
)


def _config() -> SchemathesisConfig:
    # A schema-valid request may name a session or loginId that does not exist, or break a cross-field rule
    # (a challenge answer needs RequestId and SecurityResponses): Flinks answers 400 (SESSION_NONEXISTENT,
    # INVALID_REQUEST), which OpenAPI cannot express. Every other check stays as schemathesis ships it.
    return SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-path-regex": BUSINESS_RULE_400,
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
                }
            ]
        }
    )


def _load(served: Served) -> BaseSchema:
    schema = schemathesis.openapi.from_url(served.base + "/openapi.json", config=_config(), timeout=10)
    assert schema.get_base_url().rstrip("/") == served.base  # cases go to this instance, over TCP
    return schema


def _operations(schema: BaseSchema) -> list[Operation]:
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 17, [op.label for op in operations]  # every endpoint, polls on GET and POST
    return operations


def _mint(served: Served, http: requests.Session) -> str:
    minted = http.post(served.api + "/GenerateAuthorizeToken", headers={"flinks-auth-key": served.secret_key})
    assert minted.status_code == 200, minted.text
    token: str = minted.json()["Token"]
    return token


def _fixed(served: Served, operation: Operation) -> tuple[dict[str, Any], dict[str, Any]]:
    """Path parameters and headers that get an authenticated case past the customerId and key checks."""
    path = {"customerId": served.customer_id}
    headers: dict[str, Any] = {}
    names = {p.name for p in operation.headers}
    if "x-api-key" in names:
        headers["x-api-key"] = served.api_key
    if operation.path.endswith("/GenerateAuthorizeToken"):
        headers["flinks-auth-key"] = served.secret_key
    if "Authorization" in names:  # Enrich's libraries, category trees and uploads: the secret as a Bearer
        headers["Authorization"] = f"Bearer {served.secret_key}"
    return path, headers


def _target_bytes(url: str | None) -> int:
    """The length of the request-target of ``url`` (path and query) as sent."""
    parts = urlsplit(url or "")
    return len(parts.path) + (len(parts.query) + 1 if parts.query else 0)


def _run_operation(served: Served, operation: Operation, authenticated: bool, http: requests.Session) -> int:
    """Run EXAMPLES positive and EXAMPLES negative cases of one operation; returns how many ran."""
    path, headers = _fixed(served, operation) if authenticated else ({}, {})
    ran = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        strategy = operation.as_strategy(mode, path_parameters=path or None, headers=headers or None)

        @given(case=strategy)
        @SETTINGS
        def check(case: Case[Any]) -> None:
            nonlocal ran
            ran += 1
            negative_headers = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
            if authenticated and operation.path.endswith("/Authorize") and not negative_headers:
                case.headers["flinks-auth-key"] = _mint(served, http)
            response = case.call(session=http, timeout=30)
            if _target_bytes(response.request.url) > MAX_URL_BYTES:
                # Past what the HTTP server parses, whatever the operation: no operation is reached, and
                # the server's own answer is checked (tests/hardening/test_protocol.py).
                assert response.status_code == 400 and response.json() == UNREADABLE
                return
            case.validate_response(response, transport_kwargs={"session": http, "timeout": 30})

        try:
            check()
        except hypothesis.errors.Unsatisfiable:
            # Nothing of this operation can be made invalid (GenerateAuthorizeToken has one string header
            # and no body): there is no negative case to send.
            assert mode is GenerationMode.NEGATIVE and ran > 0
    return ran


@pytest.mark.slow
@pytest.mark.parametrize("authenticated", [False, True], ids=["anonymous", "authenticated"])
@pytest.mark.parametrize("name", INSTANCES)
def test_every_operation_of_every_instance_over_tcp(server: Server, name: str, authenticated: bool) -> None:
    served = server.instances[name]
    schema = _load(served)
    failures: dict[str, str] = {}
    total = 0
    with requests.Session() as http:
        for operation in _operations(schema):
            try:
                total += _run_operation(served, operation, authenticated, http)
            except Exception as exc:  # every operation runs; all failures are reported together
                failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:2000]}"
    mode = "authenticated" if authenticated else "anonymous"
    print(f"\n{name} {mode}: {total} cases, {len(failures)} failing operations")
    assert total >= EXAMPLES * 17  # each operation ran at least once per mode
    assert failures == {}, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())


def _live_session(served: Served, http: requests.Session) -> str:
    """A RequestId of a real connection whose data is ready, for the state machine to start from."""
    body = {"Institution": "FlinksCapital", "Username": "greatday_nomfa", "Password": "Everyday"}
    done = http.post(served.api + "/Authorize", json=body, headers={"flinks-auth-key": _mint(served, http)})
    assert done.status_code == 200, done.text
    request_id: str = done.json()["RequestId"]
    headers = {"x-api-key": served.api_key}
    response = http.post(served.api + "/GetAccountsSummary", json={"RequestId": request_id}, headers=headers)
    deadline = time.monotonic() + 60
    while response.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
        response = http.get(f"{served.api}/GetAccountsSummaryAsync/{request_id}", headers=headers)
    assert response.status_code == 200, response.text
    return request_id


@pytest.mark.slow
@pytest.mark.parametrize("name", INSTANCES)
def test_stateful_links_between_operations_over_tcp(server: Server, name: str) -> None:
    """schemathesis follows the links it infers (RequestId, LoginId) between calls, checking each answer.

    Half of the generated data calls carry the RequestId of a real connection, so their 200 answers feed the
    links (loginId to GetMFAQuestions, RequestId to the polls) with live values. Links that would end that
    connection (DeleteCard, an Authorize continuation) get a throwaway id instead: the server's answers must
    stay the same when hypothesis replays a sequence.
    """
    served = server.instances[name]
    schema = _load(served)
    Machine = schema.as_state_machine()  # infers the links first
    assert schema.statistic.transitions.total > 0  # so sequences are more than single calls
    http = requests.Session()
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    live = _live_session(served, http)

    def throwaway(value: Any) -> Any:
        """The live login must outlive the run: links into DeleteCard and Authorize get another id."""
        return (
            str(uuid.uuid5(uuid.NAMESPACE_URL, str(value))) if value == live or value in login_ids else value
        )

    login_ids: set[str] = set()

    class Authenticated(Machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            path = case.operation.path
            headers = {"x-api-key": served.api_key}
            if path.endswith("/GenerateAuthorizeToken"):
                headers["flinks-auth-key"] = served.secret_key
            elif any(p.name == "Authorization" for p in case.operation.headers):
                headers["Authorization"] = f"Bearer {served.secret_key}"
            elif path.endswith("/Authorize"):
                headers["flinks-auth-key"] = _mint(served, http)
            params = case.path_parameters = {**(case.path_parameters or {}), "customerId": served.customer_id}
            body = case.body if isinstance(case.body, dict) else {}
            # Half of the positive data calls, chosen from the case itself so that a replay chooses the same
            meta = case.meta
            negative = meta is not None and (
                meta.generation.mode.is_negative
                or meta.is_negative_at(ParameterLocation.BODY)
                or meta.is_negative_at(ParameterLocation.PATH)
            )
            if (
                not negative
                and zlib.crc32(repr((case.operation.label, case.body, sorted(params.items()))).encode()) % 2
            ):
                if "requestId" in params:
                    params["requestId"] = live
                elif "RequestId" in body and not path.endswith("/Authorize"):
                    body["RequestId"] = live
            if path.endswith("/DeleteCard/{loginId}"):
                params["loginId"] = throwaway(params.get("loginId"))
            if path.endswith("/Authorize"):
                for name in ("RequestId", "LoginId"):
                    if name in body:
                        body[name] = throwaway(body[name])
            calls[case.operation.label] += 1
            return {"session": http, "headers": headers, "timeout": 30}

        def after_call(self, response: Any, case: Case[Any]) -> None:
            statuses[response.status_code] += 1
            if response.status_code == 200 and isinstance(login := response.json().get("Login"), dict):
                login_ids.add(login.get("Id"))
            super().after_call(response, case)

    try:
        Authenticated.run(
            settings=hypothesis.settings(
                max_examples=max(EXAMPLES, 5),
                stateful_step_count=6,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
        )
    finally:
        http.close()
    ops = len(calls)
    print(f"\n{name} stateful: {sum(calls.values())} calls over {ops} operations, statuses {dict(statuses)}")
    assert statuses[200] > 0  # some chains ran on live data
    assert not any(status >= 500 for status in statuses)
