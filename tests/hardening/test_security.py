"""Keys and tokens: refused when absent, wrong or rotated on every operation, stored only as hashes,
compared in constant time, and never echoed in an error body or the server's output.

The operations come from the OpenAPI document, so a new endpoint is covered without touching this file.
A production-like instance (created with `finstance instances create`, no development keys kept) is served
alone over TCP; a real flow runs on it, its keys are rotated with `finstance instances rotate-keys`, and
the data made before the rotation is read again with the new keys.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import finstance
import finstance.connect.tokens
import finstance.core.keys
from finstance.app import create_app
from finstance.core.clock import ManualClock
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_SECRET_KEY, Settings, toolbox_spec
from finstance.sandbox import bank
from tests.hardening.conftest import assert_flinks_error
from tests.instances.test_serving import start, stop, wait_until_up
from tests.test_cli import free_port

API_PREFIX = "/v3/{customerId}"
PUBLIC = {  # no key, as on Flinks
    "GET /BankingServices/Institutions",
    "GET /BankingServices/Institutions/RoutingNumber/{routingNumber}",
}


def _document() -> dict[str, Any]:
    app = create_app(toolbox_spec("sqlite://"), Settings(run_worker=False), ManualClock())
    return app.openapi()


DOCUMENT = _document()


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # under /v3/{customerId}
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def headers(self) -> set[str]:
        return {p["name"].lower() for p in self.spec.get("parameters", []) if p["in"] == "header"}

    @property
    def key(self) -> str | None:
        """Which credential the operation demands: the secret key (in flinks-auth-key, or as a Bearer token
        in Authorization), an authorize token, the x-api-key, or none."""
        if self.path == "/BankingServices/GenerateAuthorizeToken":
            return "secret"
        if self.path == "/BankingServices/Authorize":
            return "token"
        if self.path.startswith("/upload/api/"):
            # An API client's credentials and Bearer tokens, not the instance's keys: refused when absent,
            # wrong, rotated or of another product in tests/core/test_clients.py and tests/upload/test_api.py.
            return "client"
        if "authorization" in self.headers():
            return "bearer"
        return "api" if "x-api-key" in self.headers() else None

    def url(self, customer_id: str) -> str:
        path = self.path
        for p in self.spec.get("parameters", []):
            if p["in"] == "path" and p["name"] != "customerId":
                path = path.replace("{" + p["name"] + "}", str(uuid.uuid4()))
        return f"/v3/{customer_id}{path}"

    def body(self) -> Any:
        if self.path == "/BankingServices/Authorize":  # names a login: what is left to decide is the token
            return {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}
        content = self.spec.get("requestBody", {}).get("content", {}).get("application/json")
        return None if content is None else minimal(content["schema"])


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def minimal(schema: dict[str, Any]) -> Any:
    """The smallest value the schema accepts (required fields only): validation passes, the key decides."""
    schema = _resolve(schema)
    if "anyOf" in schema:
        return minimal(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: minimal(props[name]) for name in schema.get("required", [])}
    return {"string": str(uuid.uuid4()), "boolean": True, "integer": 1, "number": 1, "array": []}.get(
        str(kind), str(uuid.uuid4())
    )


OPERATIONS = [
    Operation(method.upper(), path.removeprefix(API_PREFIX), spec)
    for path, methods in DOCUMENT["paths"].items()
    if path.startswith(API_PREFIX)
    for method, spec in methods.items()
]
KEYED = [op for op in OPERATIONS if op.key not in (None, "client")]


def test_every_operation_of_the_document_demands_a_key_or_is_a_known_public_one() -> None:
    assert len(OPERATIONS) >= 30
    public = {op.label for op in OPERATIONS if op.key is None}
    assert public == PUBLIC, public


# -- a production-like instance, served alone over TCP -------------------------------------------------


@dataclass
class Private:
    data_dir: Path
    port: int
    name: str
    customer_id: str
    old: dict[str, str]
    new: dict[str, str] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)  # what must never be stored or shown
    login_id: str = ""
    accounts: list[str] = field(default_factory=list)
    proc: subprocess.Popen[str] | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3/{self.customer_id}/BankingServices"


def _cli(data_dir: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "finstance", *args, "--data-dir", str(data_dir), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _token(http: httpx.Client, private: Private, secret: str) -> str:
    minted = http.post(f"{private.api}/GenerateAuthorizeToken", headers={"flinks-auth-key": secret})
    assert minted.status_code == 200, minted.text
    token: str = minted.json()["Token"]
    private.tokens.append(token)
    return token


def _read_detail(http: httpx.Client, private: Private, request_id: str, api_key: str) -> dict[str, Any]:
    headers = {"x-api-key": api_key}
    response = http.post(f"{private.api}/GetAccountsDetail", json={"RequestId": request_id}, headers=headers)
    deadline = time.monotonic() + 60
    while response.status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.3)
        response = http.get(f"{private.api}/GetAccountsDetailAsync/{request_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _connect(http: httpx.Client, private: Private, keys: dict[str, str]) -> dict[str, Any]:
    token = _token(http, private, keys["secret_key"])
    login = {
        "Institution": "FlinksCapital",
        "Username": "Greatday",
        "Password": "Everyday",
        "MostRecentCached": False,
    }
    response = http.post(f"{private.api}/Authorize", json=login, headers={"flinks-auth-key": token})
    while response.status_code == 203:
        challenge = response.json()
        answers = {
            c["Prompt"]: [bank.expected_answer(c["Prompt"], finstance.core.country.Country.CA, "en")]
            for c in challenge["SecurityChallenges"]
        }
        body = {"RequestId": challenge["RequestId"], "SecurityResponses": answers}
        response = http.post(f"{private.api}/Authorize", json=body, headers={"flinks-auth-key": token})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Private]:
    data_dir = tmp_path_factory.mktemp("private")
    created = _cli(data_dir, "instances", "create", "--company", "acme", "--country", "CA")
    port = free_port(1)
    proc = start(data_dir, port, "--instance", created["name"])
    keys = {"secret_key": created["secret_key"], "api_key": created["api_key"]}
    private = Private(data_dir, port, created["name"], created["customer_id"], keys, proc=proc)
    private.secrets += [keys["secret_key"], keys["api_key"]]
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", proc)
        with httpx.Client(timeout=30) as http:
            done = _connect(http, private, keys)
            private.login_id = done["Login"]["Id"]
            detail = _read_detail(http, private, done["RequestId"], keys["api_key"])
            private.accounts = [a["Id"] for a in detail["Accounts"]]
            wrong = f"Pw-{uuid.uuid4()}"  # a mistyped password is personal data too
            token = _token(http, private, keys["secret_key"])
            body = {"Institution": "FlinksCapital", "Username": "Greatday", "Password": wrong}
            refused = http.post(f"{private.api}/Authorize", json=body, headers={"flinks-auth-key": token})
            assert refused.status_code == 401 and wrong not in refused.text
            private.secrets.append(wrong)
            rotated = _cli(data_dir, "instances", "rotate-keys", created["name"])
            assert rotated["customer_id"] == created["customer_id"]
            private.new = {"secret_key": rotated["secret_key"], "api_key": rotated["api_key"]}
            private.secrets += [rotated["secret_key"], rotated["api_key"]]
            deadline = time.monotonic() + 10  # the server re-reads the directory when it changes
            while time.monotonic() < deadline:
                probe = http.post(
                    f"{private.api}/GenerateAuthorizeToken",
                    headers={"flinks-auth-key": private.new["secret_key"]},
                )
                if probe.status_code == 200:
                    private.tokens.append(probe.json()["Token"])
                    break
                time.sleep(0.1)
        yield private
    finally:
        stop(proc)


def _send(http: httpx.Client, private: Private, op: Operation, credential: str | None) -> httpx.Response:
    headers = {}
    if credential is not None and op.key == "bearer":
        headers["authorization"] = f"Bearer {credential}".rstrip()
    elif credential is not None:
        headers["x-api-key" if op.key == "api" else "flinks-auth-key"] = credential
    body = op.body()
    return http.request(
        op.method, f"http://127.0.0.1:{private.port}{op.url(private.customer_id)}", json=body, headers=headers
    )


@pytest.mark.parametrize("op", KEYED, ids=lambda op: op.label)
def test_every_keyed_operation_refuses_absent_wrong_and_rotated_keys_and_takes_the_new_ones(
    private: Private, op: Operation
) -> None:
    kind = {"secret": "secret_key", "bearer": "secret_key", "api": "api_key"}.get(op.key or "")
    with httpx.Client(timeout=30) as http:
        other = private.new["api_key" if kind == "secret_key" else "secret_key"]
        wrong = [None, "", str(uuid.uuid4()), other, TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, "' OR 1=1 --"]
        if kind is not None:
            wrong += [private.old[kind], private.old[kind] + "0", "Bearer " + private.new[kind]]
        else:  # /Authorize: a spent token, and keys where a token belongs
            wrong += [private.tokens[0], private.new["secret_key"], private.new["api_key"]]
        for credential in wrong:
            refused = _send(http, private, op, credential)
            body = assert_flinks_error(refused, 401)
            assert body["FlinksCode"] == "ACCESS_DENIED", (credential, body)
            assert not credential or credential.strip() not in refused.text  # never echoed
        good = private.new[kind] if kind else _token(http, private, private.new["secret_key"])
        accepted = _send(http, private, op, good)
    assert accepted.status_code < 500, accepted.text
    assert not (accepted.status_code == 401 and accepted.json()["FlinksCode"] == "ACCESS_DENIED"), (
        accepted.text
    )


def test_after_rotation_the_data_made_before_is_read_with_the_new_keys(private: Private) -> None:
    with httpx.Client(timeout=30) as http:
        token = _token(http, private, private.new["secret_key"])
        cached = http.post(
            f"{private.api}/Authorize",
            json={"LoginId": private.login_id, "MostRecentCached": True},
            headers={"flinks-auth-key": token},
        )
        assert cached.status_code == 200, cached.text
        detail = _read_detail(http, private, cached.json()["RequestId"], private.new["api_key"])
        old = http.post(
            f"{private.api}/GenerateAuthorizeToken", headers={"flinks-auth-key": private.old["secret_key"]}
        )
    assert [a["Id"] for a in detail["Accounts"]] == private.accounts and private.accounts
    assert_flinks_error(old, 401)


def test_keys_tokens_and_passwords_are_in_neither_the_store_nor_the_directory_nor_the_output(
    private: Private,
) -> None:
    assert len(private.tokens) >= 4 and len(private.secrets) == 5
    files = [p for p in private.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "directory.json" for p in files) and any(".db" in p.name for p in files)
    for path in files:
        data = path.read_bytes().lower()
        for value in [*private.tokens, *private.secrets]:
            assert value.lower().encode() not in data, (path.name, value)
            assert value.replace("-", "").lower().encode() not in data, (path.name, value)
    directory = json.loads((private.data_dir / "directory.json").read_text())
    entry = next(e for e in directory["instances"] if e["name"] == private.name)
    assert entry["secret_key_hash"] == finstance.core.keys.hash_key(private.new["secret_key"])
    assert entry["api_key_hash"] == finstance.core.keys.hash_key(private.new["api_key"])
    assert entry.get("dev_keys") is None


def test_the_server_output_holds_no_key_token_or_password_nor_a_traceback(private: Private) -> None:
    assert private.proc is not None
    output = stop(private.proc)  # the module's last test: everything above has run on this server
    assert "Application startup complete." in output
    assert "Traceback" not in output
    for value in [*private.tokens, *private.secrets]:
        assert value not in output
