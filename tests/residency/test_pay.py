"""Pay keeps to its Canadian instance: another Canadian instance refuses its API clients, tokens and
sessions, and finds nothing of them in its store."""

from __future__ import annotations

import httpx

from finstance.core.clock import ManualClock
from tests.conftest import serve_in_process
from tests.pay.test_sessions import GEFT, Pay, rows
from tests.residency.conftest import build
from tests.residency.test_store_scan import dump, found_in
from tests.upload.api import context


async def test_a_session_and_its_client_are_refused_by_another_canadian_instance(
    store_pair: tuple[str, str], clock: ManualClock
) -> None:
    a, b = build("toolbox", store_pair[0]), build("acme-ca", store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        pay_a = Pay(http_a)
        bearer = await pay_a.bearer()
        session_id = (await pay_a.create(GEFT)).json()["sessionId"]
        foreign: list[httpx.Response] = [
            await http_b.post(
                "/pay/api/v1/authorize", auth=(pay_a.issued.client_id, pay_a.issued.client_secret)
            ),
            await http_b.post("/pay/api/v2/sessions", json=GEFT, headers=bearer),
            await http_b.get(f"/pay/api/v2/sessions/{session_id}/status"),
            await http_b.get(
                f"/pay/api/v2/sessions/{session_id}/details", headers=await Pay(http_b).bearer()
            ),
            await http_b.post(
                f"/pay/api/v2/sessions/{session_id}/cancel", headers=await Pay(http_b).bearer()
            ),
        ]
        assert [r.status_code for r in foreign] == [401, 401, 404, 404, 404]
        for answer in foreign:
            assert "USER12345" not in answer.text and "Doe" not in answer.text
        assert rows(http_b) == 0
        assert found_in(dump(context(http_b).store), {session_id, "USER12345", pay_a.issued.client_id}) == []
        assert (await http_a.get(f"/pay/api/v2/sessions/{session_id}/status")).status_code == 200
