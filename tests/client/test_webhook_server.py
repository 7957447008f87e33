"""The webhook receiver as docs/sdk.md runs it: ``uvicorn module:app``, a real server process over TCP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from finstance.client._webhooks import standard_signature
from tests.test_cli import free_port

SECRET = "acme-ca-webhook-secret"
CUSTOMER = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"
APP = f"""
from finstance.client import Webhook, WebhookReceiver, local


def on_webhook(webhook: Webhook) -> None:
    print("received", webhook.instance.name, webhook.webhook_id, webhook.event.response_type, flush=True)


instance = local(
    "http://127.0.0.1:1", {CUSTOMER!r}, "secret", "api", name="acme-ca", webhook_secret={SECRET!r}
)
app = WebhookReceiver([instance], on_webhook)
"""
BODY = b'{"ResponseType":"Test","HttpStatusCode":200,"Message":"hello"}'


def signed(webhook_id: str, secret: str = SECRET) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "content-type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(secret, webhook_id, timestamp, BODY),
    }


def wait_for_http(url: str, proc: subprocess.Popen[str], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[0]
        try:
            httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return
    proc.kill()
    pytest.fail(f"uvicorn never listened on {url}:\n{proc.communicate()[0]}")


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_uvicorn_serves_the_receiver_and_stops_on_a_signal(tmp_path: Path, stop_with: signal.Signals) -> None:
    (tmp_path / "receiver_app.py").write_text(APP)
    port = free_port(1)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "receiver_app:app",
            "--port",
            str(port),
            "--app-dir",
            str(tmp_path),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        url = f"http://127.0.0.1:{port}/webhooks"
        wait_for_http(url, proc)
        accepted = httpx.post(url, content=BODY, headers=signed("evt-good"), timeout=10)
        forged = httpx.post(url, content=BODY, headers=signed("evt-forged", "another-secret"), timeout=10)
        assert (accepted.status_code, forged.status_code) == (200, 401), (accepted.text, forged.text)
        assert forged.json() == {"Message": "no instance's secret verifies this delivery"}
        proc.send_signal(stop_with)
        try:
            output, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"uvicorn ignored {stop_with.name}:\n{proc.communicate()[0]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode in (0, -stop_with), output
    assert "Application startup complete." in output and "Application shutdown complete." in output
    assert "received acme-ca evt-good Test" in output and "evt-forged" not in output
