"""The upload page's refusals, in process: what opens it, its ticket, whose uploads its status page shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from finstance.core.clock import ManualClock
from finstance.core.instance import sqlite_url, toolbox_spec
from tests.conftest import serve_in_process, us_spec
from tests.flinks import Flinks
from tests.upload.test_fraud import ORIGINAL

FILES = [("files", ("statement.pdf", ORIGINAL, "application/pdf"))]


async def form_action(http: httpx.AsyncClient, query: str = "") -> str:
    page = await http.get(f"/v2/Upload?{query}")
    assert page.status_code == 200, page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    start = page.text.index('action="') + len('action="')
    return page.text[start : page.text.index('"', start)]


async def test_a_ticket_opens_only_its_own_instance_s_uploads_while_it_lasts(
    toolbox: httpx.AsyncClient, tmp_path: Path, clock: ManualClock
) -> None:
    action = await form_action(toolbox, "language=fr&tag=t")
    sent = await toolbox.post(action, files=FILES)
    assert sent.status_code == 303
    status_url = sent.headers["location"]
    assert status_url.startswith(action + "/") and status_url.endswith("?e=1")
    done = await toolbox.get(status_url)
    assert done.status_code == 200 and "Vos relevés ont été lus." in done.text
    assert '"step":"REDIRECT"' in done.text and '"tag":"t"' in done.text
    assert (
        '"step":"REDIRECT"' not in (await toolbox.get(urlsplit(status_url).path)).text
    )  # a reload: no event
    # Another ticket of the same instance cannot see this upload.
    other = await form_action(toolbox)
    upload_id = urlsplit(status_url).path.rsplit("/", 1)[1]
    assert (await toolbox.get(f"{other}/{upload_id}")).status_code == 404
    # A ticket is this instance's: another instance, with its own keys, refuses it.
    async with serve_in_process(us_spec(sqlite_url(tmp_path / "us.db")), clock) as us:
        assert (await us.get(urlsplit(status_url).path)).status_code == 410
        assert (await us.post(action, files=FILES)).status_code == 410
    # Tampered or expired, it opens nothing.
    assert (await toolbox.post(action[:-2] + "xx", files=FILES)).status_code == 410
    clock.advance(timedelta(minutes=31))
    assert (await toolbox.get(urlsplit(status_url).path)).status_code == 410


async def test_what_opens_the_page(toolbox: httpx.AsyncClient, tmp_path: Path, clock: ManualClock) -> None:
    bad = await toolbox.get("/v2/Upload?redirectUrl=javascript:alert(1)")
    assert bad.status_code == 400 and "cannot be opened" in bad.text
    assert (await toolbox.get("/v2/Upload?flow=0f8fad5b-d9cb-469f-a165-70867728950e")).status_code == 410
    empty = await toolbox.post(await form_action(toolbox), files={"language": (None, "en")})
    assert empty.status_code == 400 and "Choose at least one file." in empty.text
    # A production instance needs an authorize token, spent once, as Connect does.
    production = replace(toolbox_spec(sqlite_url(tmp_path / "production.db")), sandbox=False)
    async with serve_in_process(production, clock) as prod:
        assert (await prod.get("/v2/Upload")).status_code == 401
        token = await Flinks(prod).token()
        assert (await prod.get(f"/v2/Upload?authorizeToken={token}")).status_code == 200
        assert (await prod.get(f"/v2/Upload?authorizeToken={token}")).status_code == 401
