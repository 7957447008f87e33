"""The docs say what the server does: the two-country example of docs/sdk.md runs as printed and routes each
end-user to their country, and docs/sandbox.md's test users, questions and recipes hold against the apps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from finstance.client import ConcurrentSessionError, FlinksAPIError
from finstance.testing import Sandbox, answers_for, connect

DOC = Path(__file__).resolve().parents[2] / "docs" / "sdk.md"
README = Path(__file__).resolve().parents[2] / "README.md"
SANDBOX_DOC = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
LOGIN = {"institution": "FlinksCapital", "password": "Everyday"}


def test_the_readme_shows_the_same_two_country_example() -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    assert example in re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)


def test_the_two_country_example_runs_and_each_user_gets_their_countrys_data(tmp_path: Path) -> None:
    example = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.DOTALL)[0]
    assert 15 <= len(example.strip().splitlines()) <= 25  # about 20 lines
    script = tmp_path / "example.py"
    script.write_text(example)
    run = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("alice http://demo-ca.finstance.test/v2/?authorizeToken=")
    assert lines[1].startswith("bob http://demo-us.finstance.test/v2/?authorizeToken=")
    assert lines[2].startswith("alice demo-ca [") and "'CAD')" in lines[2] and "USD" not in lines[2]
    assert lines[3].startswith("bob demo-us [") and "'USD')" in lines[3] and "CAD" not in lines[3]
    assert (tmp_path / "logins.db").is_file()


# -- docs/sandbox.md --------------------------------------------------------------------------------


def sandbox_doc() -> str:
    return " ".join(SANDBOX_DOC.read_text().split())  # sentences wrap; compare them on one line


def table_row(first_cell: str) -> list[str]:
    for line in SANDBOX_DOC.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"docs/sandbox.md has no row {first_cell}")


def test_the_us_question_is_what_a_us_instance_asks(finstance_sandbox: Sandbox) -> None:
    doc = sandbox_doc()
    low, high = map(
        int, re.findall(r"U\.S\. instances ask for the sum of two numbers from (\d+) to (\d+)", doc)[0]
    )
    english = re.findall(r"`How much is (\d+) \+ (\d+)\?` → `(\d+)`", doc)
    french = re.findall(r"`Combien font (\d+) \+ (\d+)\?`", doc)
    assert len(english) == 1 and len(french) == 1
    a, b, total = map(int, english[0])
    assert a + b == total and low <= a <= high and low <= b <= high
    client = finstance_sandbox.client("demo-us")
    prompts = set()
    for _ in range(20):  # "drawn anew for each challenge"
        challenge = client.authorize(username="Greatday", **LOGIN)
        (asked,) = [c.prompt for c in challenge.security_challenges or []]
        found = re.fullmatch(r"How much is (\d+) \+ (\d+)\?", asked)
        assert found is not None, asked
        assert all(low <= int(n) <= high for n in found.groups())
        prompts.add(asked)
    assert len(prompts) > 1
    x, y = map(int, found.groups())
    done = client.answer_mfa(challenge, {asked: str(x + y)})  # the documented answer: the sum
    assert done.http_status_code == 200
    in_french = client.authorize(username="Greatday", language="fr", **LOGIN)
    (asked,) = [c.prompt for c in in_french.security_challenges or []]
    assert re.fullmatch(r"Combien font [1-9] \+ [1-9]\?", asked), asked


def test_the_canadian_questions_are_those_of_the_table(finstance_sandbox: Sandbox) -> None:
    documented = dict(re.findall(r"^\| (.+\?) \| (\w+) \|$", SANDBOX_DOC.read_text(), re.M))
    assert len(documented) == 3
    client = finstance_sandbox.client("demo-ca")
    challenge = client.authorize(username="Greatday", **LOGIN)
    (asked,) = [c.prompt for c in challenge.security_challenges or []]
    assert asked in documented
    done = client.answer_mfa(challenge, {asked: documented[asked].upper()})  # case-insensitive
    assert done.http_status_code == 200


def test_the_concurrent_session_recipe(finstance_sandbox: Sandbox) -> None:
    code, status, how = table_row("`CONCURRENT_SESSION`")
    assert "live `/Authorize` by `LoginId` (`MostRecentCached: false`)" in how and "`test_pending`" in how
    client = finstance_sandbox.client("demo-ca")
    session = connect(client, "test_pending")
    assert session.login is not None
    login_id = session.login.id
    with pytest.raises(ConcurrentSessionError) as refused:
        client.authorize(login_id=login_id, most_recent_cached=False)
    assert f"`{refused.value.flinks_code}`" == code and str(refused.value.http_status) == status
    # "a cached /Authorize, or a login by Username and Password, is answered"
    assert client.authorize(login_id=login_id).http_status_code == 200
    us = finstance_sandbox.client("demo-us")
    connect(us, "test_pending")
    assert us.authorize(username="test_pending", **LOGIN).http_status_code == 200
    # Once the aggregation has run, a live /Authorize by LoginId is answered again.
    finstance_sandbox.advance(61)
    assert client.fetch_accounts_detail(login_id).accounts
    assert client.authorize(login_id=login_id, most_recent_cached=False).http_status_code == 200


def test_the_users_the_bank_refuses(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    checked = 0
    for line in SANDBOX_DOC.read_text().splitlines():
        row = re.fullmatch(r"\| `(test_\w+)` \| ([^|]+) \| `([A-Z_]+)` \((\d{3})\) \|", line)
        if row is None or row.group(2).startswith("connects"):
            continue
        username, _, code, status = row.groups()
        with pytest.raises(FlinksAPIError) as refused:
            client.authorize(username=username, **LOGIN)
        assert (refused.value.flinks_code, refused.value.http_status) == (code, int(status)), username
        checked += 1
    assert checked == 6


def test_the_mfa_recipes(finstance_sandbox: Sandbox) -> None:
    rows = {
        name: table_row(f"`{name}`")
        for name in ("UNKNOWN_CHALLENGE_KEY", "ALREADY_AUTHORIZED", "UNAUTHORIZED")
    }
    client = finstance_sandbox.client("demo-ca")
    challenge = client.authorize(username="Greatday", **LOGIN)
    with pytest.raises(FlinksAPIError) as unauthorized:  # a data call while the MFA answer is awaited
        client.accounts_summary(challenge.request_id)
    with pytest.raises(FlinksAPIError) as unknown:  # a prompt that was not asked: the challenge stands
        client.answer_mfa(challenge, {"What is your favourite colour?": "Blue"})
    assert client.answer_mfa(challenge, answers_for(challenge, "CA")).http_status_code == 200
    with pytest.raises(FlinksAPIError) as again:
        client.answer_mfa(challenge, answers_for(challenge, "CA"))
    for name, error in (
        ("UNAUTHORIZED", unauthorized),
        ("UNKNOWN_CHALLENGE_KEY", unknown),
        ("ALREADY_AUTHORIZED", again),
    ):
        assert (error.value.flinks_code, str(error.value.http_status)) == (name, rows[name][1])
