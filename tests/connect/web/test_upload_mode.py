"""Connect's upload mode in a real browser: an end-user adds statements on the /Upload page embedded by an
integrator (or reaches it from the sign-in screen after a wrong password), sees each file's status, and the
REDIRECT event hands over a loginId that only its own instance serves, with exactly the statements' data."""

from __future__ import annotations

import base64
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from finstance.upload.extract.pdf import extract_pdf
from tests.connect.web.conftest import Instance, Servers
from tests.connect.web.test_browser import open_in_host, shot, steps, wait_for_step
from tests.upload.api import rows
from tests.upload.layouts import ca_english

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def statements(instance: Instance) -> list[bytes]:
    """Two statement PDFs of demo-ca, as GetStatements hands them out."""
    token = instance.token()
    live = httpx.post(
        f"{instance.api}/Authorize",
        json={
            "Institution": "FlinksCapital",
            "Username": "greatday_nomfa",
            "Password": "Everyday",
            "MostRecentCached": False,
            "Save": True,
        },
        headers={"flinks-auth-key": token},
    )
    assert live.status_code == 200, live.text
    request_id = live.json()["RequestId"]
    for _ in range(100):
        answer = httpx.post(
            f"{instance.api}/GetStatements",
            json={"RequestId": request_id, "NumberOfStatements": "Months3"},
            headers={"x-api-key": instance.api_key},
            timeout=30,
        )
        if answer.status_code == 200:
            first = answer.json()["StatementsByAccount"][0]
            return [base64.b64decode(s["Base64Bytes"]) for s in first["Statements"][:2]]
        time.sleep(0.2)  # the aggregation is under way
    pytest.fail(f"no statements: {answer.text}")


def detail(instance: Instance, login_id: str) -> dict[str, Any]:
    cached = instance.cached(login_id)
    assert cached.status_code == 200, cached.text
    answer = httpx.post(
        f"{instance.api}/GetAccountsDetail",
        json={"RequestId": cached.json()["RequestId"]},
        headers={"x-api-key": instance.api_key},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_statements_added_on_the_upload_page_become_a_login_of_its_instance_only(
    servers: Servers, page: Any, artifacts: Path, tmp_path: Path
) -> None:
    ca = servers.ca
    pdfs = statements(ca)
    other, shown = ca_english()
    files = [tmp_path / "april.pdf", tmp_path / "march.pdf", tmp_path / "maple.pdf", tmp_path / "notes.txt"]
    for path, content in zip(files, [*pdfs, other, b"not a statement"], strict=True):
        path.write_bytes(content)
    query = urlencode(
        {
            "authorizeToken": ca.token(),
            "tag": "upload-1",
            "redirectUrl": f"{servers.host}?done=1",
            "innerRedirect": "true",
        }
    )
    frame = open_in_host(page, servers, f"{ca.base}/v2/Upload?{query}")
    frame.get_by_role("heading", name="Upload your bank statements").wait_for()
    shot(page, artifacts, "upload-1-form")
    frame.locator("#files").set_input_files([str(p) for p in files])
    assert frame.locator("#chosen li").count() == 4
    frame.get_by_role("button", name="Send").click()

    redirect = wait_for_step(page, "REDIRECT", timeout=90)["data"]
    assert steps(page) == ["APP_MOUNTED", "COMPONENT_LOAD_UPLOAD", "COMPONENT_LOAD_UPLOAD_STATUS", "REDIRECT"]
    assert {e["data"]["tag"] for e in page.evaluate("window.events")} == {"upload-1"}
    assert all(e["origin"] == ca.base for e in page.evaluate("window.events"))
    login_id = redirect["loginId"]
    assert redirect["institution"] == "Upload"
    assert redirect["url"] == f"{servers.host}?done=1&" + urlencode(
        {"loginId": login_id, "institution": "Upload", "tag": "upload-1"}
    )
    # The inner redirect took the frame to the integrator's page.
    page.wait_for_function(
        "document.getElementById('flinks').contentWindow.location.search.includes('loginId')"
    )

    body = detail(ca, login_id)
    [account] = shown.accounts
    [maple] = [a for a in body["Accounts"] if a["AccountNumber"] == account.number]
    [sandbox] = [a for a in body["Accounts"] if a is not maple]
    printed = []
    for pdf in reversed(pdfs):  # oldest first
        extracted = extract_pdf(pdf).statement
        assert extracted is not None
        printed += [(t.date, t.description, t.debit_cents, t.credit_cents, t.balance_cents)
                    for t in extracted.accounts[0].transactions]  # fmt: skip
    assert len(printed) > 10 and rows(sandbox) == printed[::-1]
    assert rows(maple) == [(r.date, r.description, r.debit_cents, r.credit_cents, r.balance_cents)
                           for r in account.rows][::-1]  # fmt: skip
    theirs = servers.us.cached(login_id)
    assert (theirs.status_code, theirs.json()["FlinksCode"], theirs.json()["WrongInstance"]) == (
        401,
        "INVALID_LOGIN",
        True,
    )


def test_after_a_wrong_password_the_end_user_can_upload_instead_and_sees_why_a_file_was_not_read(
    servers: Servers, page: Any, artifacts: Path, tmp_path: Path
) -> None:
    ca = servers.ca
    query = urlencode({"demo": "true", "consentEnable": "false", "language": "fr", "tag": "fallback"})
    frame = open_in_host(page, servers, f"{ca.base}/v2/?{query}")
    frame.get_by_role("button", name="Flinks Capital").click()
    frame.locator("#username").fill("greatday_nomfa")
    frame.locator("#password").fill("wrong-password")
    frame.locator("button[name='action'][value='submit']").click()
    frame.get_by_role("alert").wait_for()
    shot(page, artifacts, "upload-fallback-1-credentials")
    frame.get_by_role("link", name="Téléverser plutôt vos relevés bancaires").click()

    frame.get_by_role("heading", name="Téléversez vos relevés bancaires").wait_for()
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    frame.locator("#files").set_input_files(str(tmp_path / "photo.png"))
    frame.get_by_role("button", name="Envoyer").click()
    frame.get_by_role("alert").wait_for(timeout=90_000)
    shot(page, artifacts, "upload-fallback-2-not-read")
    assert "Aucun de vos fichiers" in frame.get_by_role("alert").inner_text()
    assert frame.locator("tr[data-status='Rejected']").count() == 1
    assert (
        "Il n’a pas pu être lu comme un relevé." in frame.locator("tr[data-status='Rejected']").inner_text()
    )
    assert frame.get_by_role("link", name="Essayer d’autres fichiers").is_visible()
    assert "REDIRECT" not in steps(page)
    assert steps(page)[-3:] == [
        "COMPONENT_LOAD_CREDENTIAL_RETRY",
        "COMPONENT_LOAD_UPLOAD",
        "COMPONENT_LOAD_UPLOAD_STATUS",
    ]
    assert {e["data"].get("tag") for e in page.evaluate("window.events")} == {"fallback"}
