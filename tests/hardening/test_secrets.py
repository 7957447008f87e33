"""In-process, on every backend: keys are checked with a constant-time comparison on every keyed operation,
hashes are never compared with ``==``, and the store keeps no key, token, password or answer in the clear.
"""

from __future__ import annotations

import ast
import types
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import MetaData, create_engine, select

import finstance
import finstance.connect.tokens
import finstance.core.keys
from finstance.core.clock import ManualClock
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY
from tests.flinks import Flinks
from tests.hardening.test_security import KEYED, Operation

SOURCE = Path(finstance.__file__).parent


class Counting:
    """Stands in for the ``hmac`` module inside finstance.core.keys, counting constant-time comparisons."""

    def __init__(self, real: types.ModuleType) -> None:
        self.real, self.calls = real, 0

    def compare_digest(self, a: Any, b: Any) -> bool:
        self.calls += 1
        return bool(self.real.compare_digest(a, b))


async def _send(http: httpx.AsyncClient, op: Operation, credential: str) -> httpx.Response:
    header = "x-api-key" if op.key == "api" else "flinks-auth-key"
    return await http.request(
        op.method, op.url(TOOLBOX_CUSTOMER_ID), json=op.body(), headers={header: credential}
    )


@pytest.mark.parametrize("op", [op for op in KEYED if op.key != "token"], ids=lambda op: op.label)
async def test_every_key_check_is_a_constant_time_comparison(
    toolbox: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, op: Operation
) -> None:
    import hmac

    counting = Counting(hmac)
    monkeypatch.setattr(finstance.core.keys, "hmac", counting)
    right = TOOLBOX_SECRET_KEY if op.key == "secret" else TOOLBOX_API_KEY
    for credential in (str(uuid.uuid4()), right[:-1] + "0", right):
        before = counting.calls
        response = await _send(toolbox, op, credential)
        assert response.status_code < 500, response.text
        assert counting.calls > before, (op.label, credential)  # checked through keys.key_matches
    absent = counting.calls
    response = await toolbox.request(op.method, op.url(TOOLBOX_CUSTOMER_ID), json=op.body())
    assert response.status_code == 401 and counting.calls > absent  # the same work with no key at all


async def test_an_authorize_token_is_looked_up_by_its_hash_only(
    toolbox: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = finstance.connect.tokens.hash_token

    def recording(token: str) -> str:
        hashed.append(token)
        return real(token)

    monkeypatch.setattr(finstance.connect.tokens, "hash_token", recording)
    op = next(op for op in KEYED if op.key == "token")
    presented = str(uuid.uuid4())
    response = await _send(toolbox, op, presented)
    assert response.status_code == 401
    assert presented in hashed  # the store is asked for the hash, never for the token itself


def _hash_equality(path: Path) -> list[str]:
    """``==`` / ``!=`` comparisons in which one side is a hash (a name, attribute or call mentioning hash).

    A comparison with a ``bindparam(...)`` is left out: it compares nothing here, it builds the SQL of a
    lookup by the hash in the store's index (as ``Session.get`` by a hashed key does)."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(o, ast.Eq | ast.NotEq) for o in node.ops):
            sides = [node.left, *node.comparators]
            if any(
                isinstance(side, ast.Call) and ast.unparse(side.func).endswith("bindparam") for side in sides
            ):
                continue
            if any("hash" in ast.unparse(side).lower() for side in sides):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_http_and_keys_modules_never_compare_a_hash_with_equality() -> None:
    files = [
        SOURCE / "core" / "keys.py",
        SOURCE / "connect" / "api.py",
        *sorted((SOURCE / "core" / "http").glob("*.py")),
    ]
    assert len(files) > 5 and all(f.is_file() for f in files)
    assert [hit for path in files for hit in _hash_equality(path)] == []


def test_no_module_compares_a_hash_with_equality() -> None:
    hits = [hit for path in sorted(SOURCE.rglob("*.py")) for hit in _hash_equality(path)]
    assert hits == []


def dump(store_url: str) -> str:
    """Every value of every row of every table, as text."""
    engine = create_engine(store_url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            rows = [repr(tuple(row)) for table in meta.sorted_tables for row in conn.execute(select(table))]
    finally:
        engine.dispose()
    assert rows
    return "\n".join(rows).lower()


async def test_the_store_keeps_no_key_token_password_or_answer_in_the_clear(
    toolbox: httpx.AsyncClient, clock: ManualClock, store_url: str
) -> None:
    flinks = Flinks(toolbox)
    minted: list[str] = []
    real_token = flinks.token

    async def token() -> str:
        minted.append(await real_token())
        return minted[-1]

    flinks.token = token  # type: ignore[method-assign]
    done = await flinks.connect("Greatday")
    login_id, request_id = done["Login"]["Id"], done["RequestId"]
    clock.advance(10)
    assert (await flinks.data("GetAccountsDetail", {"RequestId": request_id})).status_code == 200
    wrong_password = f"Pw-{uuid.uuid4()}"
    refused = await flinks.live("Greatday", password=wrong_password)
    assert refused.status_code == 401
    questions = (
        await flinks.http.get(
            f"{flinks.prefix}/GetMFAQuestions/{login_id}", headers={"x-api-key": flinks.api_key}
        )
    ).json()
    answer = f"Answer-{uuid.uuid4()}"
    stored = await flinks.http.patch(
        f"{flinks.prefix}/AnswerMFAQuestions",
        json={
            "LoginId": login_id,
            "Questions": [{"Question": q["Question"], "Answer": answer} for q in questions["Questions"]],
        },
        headers={"x-api-key": flinks.api_key},
    )
    assert stored.status_code == 200, stored.text
    assert len(minted) >= 2
    text = dump(store_url)
    assert login_id in text  # the dump does hold the data
    for value in [TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, *minted, wrong_password, "everyday", answer]:
        assert value.lower() not in text, value
        assert value.replace("-", "").lower() not in text, value


async def test_error_bodies_never_echo_a_password_key_token_or_answer(toolbox: httpx.AsyncClient) -> None:
    flinks = Flinks(toolbox)
    marker = f"Secret-{uuid.uuid4()}"
    token = await flinks.token()
    attempts: list[tuple[str, Any, dict[str, str]]] = [
        ("Authorize", {"Institution": "FlinksCapital", "Username": "Greatday", "Password": marker}, {}),
        ("Authorize", {"Institution": "FlinksCapital", "Username": marker, "Password": marker}, {}),
        ("Authorize", {"Institution": "FlinksCapital", "Username": "Greatday", "Password": marker * 20}, {}),
        ("Authorize", {"Institution": "FlinksCapital", "Username": "Greatday", "Password": [marker]}, {}),
        (
            "Authorize",
            {"Institution": "FlinksCapital", "Username": "Greatday", "Password": {marker: marker}},
            {},
        ),
        ("Authorize", {"Institution": marker, "Username": "Greatday", "Password": marker}, {}),
        ("Authorize", {"LoginId": marker, "MostRecentCached": True}, {}),
        ("Authorize", {"RequestId": str(uuid.uuid4()), "SecurityResponses": {"q": [marker]}}, {}),
        ("Authorize", {"Username": "Greatday", "Password": marker}, {"flinks-auth-key": marker}),
        ("GetAccountsDetail", {"RequestId": marker}, {"x-api-key": TOOLBOX_API_KEY}),
        ("GetAccountsDetail", {"RequestId": "x"}, {"x-api-key": marker}),
        ("GetAccountsDetail", {"RequestId": "x"}, {"x-api-key": TOOLBOX_SECRET_KEY}),
        ("GenerateAuthorizeToken", None, {"flinks-auth-key": TOOLBOX_API_KEY}),
        ("GenerateAuthorizeToken", None, {"flinks-auth-key": token}),
    ]
    for endpoint, body, headers in attempts:
        headers = headers or {"flinks-auth-key": await flinks.token()}
        response = await flinks.post(endpoint, body, **headers)
        assert response.status_code >= 400, response.text
        assert marker not in response.text, response.text
        for secret in (TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY, token, *headers.values()):
            assert secret not in response.text, (endpoint, response.text)
    # a challenge answered wrongly: neither the answer nor the token comes back
    first = await flinks.authorize(
        {"Institution": "FlinksCapital", "Username": "Greatday", "Password": "Everyday"}, token
    )
    assert first.status_code == 203
    wrong = {
        "RequestId": first.json()["RequestId"],
        "SecurityResponses": {p["Prompt"]: [marker] for p in first.json()["SecurityChallenges"]},
    }
    refused = await flinks.authorize(wrong, token)
    assert refused.status_code == 401
    assert marker not in refused.text and token not in refused.text
