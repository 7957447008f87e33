"""``finstance serve`` over HTTPS, and with a client CA over mutual TLS, as Flinks serves its upload API: a
client with a certificate that CA signed gets a token and uploads a statement; one without, or with a
certificate of another CA, is turned away in the handshake."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.instances.test_serving import start, stop
from tests.test_cli import free_port
from tests.upload.test_fraud import ORIGINAL

NOW = datetime.datetime.now(datetime.UTC)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _issue(
    subject: str,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    *,
    ca: bool = False,
    usage: x509.ObjectIdentifier | None = None,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_name, issuer_key = issuer if issuer else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(minutes=5))
        .not_valid_after(NOW + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
    if usage is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if usage == ExtendedKeyUsageOID.SERVER_AUTH:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return builder.sign(issuer_key, hashes.SHA256()), key


def _write(
    directory: Path, name: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> tuple[str, str]:
    cert_path, key_path = directory / f"{name}.crt", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_path), str(key_path)


def finstance(data_dir: Path, *args: str) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "finstance", *args, "--data-dir", str(data_dir), "--json"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    found: dict[str, str] = json.loads(done.stdout)
    return found


def test_the_upload_api_over_mutual_tls(tmp_path: Path) -> None:
    ca, ca_key = _issue("Acme clients CA", None, ca=True)
    server, server_key = _issue("127.0.0.1", (ca.subject, ca_key), usage=ExtendedKeyUsageOID.SERVER_AUTH)
    client, client_key = _issue(
        "acme-back-office", (ca.subject, ca_key), usage=ExtendedKeyUsageOID.CLIENT_AUTH
    )
    rogue_ca, rogue_ca_key = _issue("Rogue CA", None, ca=True)
    rogue, rogue_key = _issue(
        "rogue", (rogue_ca.subject, rogue_ca_key), usage=ExtendedKeyUsageOID.CLIENT_AUTH
    )
    ca_file = tmp_path / "ca.crt"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    server_files = _write(tmp_path, "server", server, server_key)
    client_files = _write(tmp_path, "client", client, client_key)
    rogue_files = _write(tmp_path, "rogue", rogue, rogue_key)

    data = tmp_path / "data"
    made = finstance(data, "instances", "create", "--company", "acme", "--country", "CA")
    api_client = finstance(data, "clients", "create", "--instance", "acme-ca", "--product", "upload")
    port = free_port()
    proc = start(data, port, "--instance", "acme-ca", "--ssl-certfile", server_files[0],
                 "--ssl-keyfile", server_files[1], "--ssl-ca-certs", str(ca_file))  # fmt: skip
    trust = ssl.create_default_context(cafile=str(ca_file))
    try:
        base = f"https://127.0.0.1:{port}/v3/{made['customer_id']}/upload/api/v1"
        trust.load_cert_chain(*client_files)
        with httpx.Client(verify=trust, timeout=30) as http:
            deadline = time.monotonic() + 30
            while True:
                assert proc.poll() is None, proc.communicate()[0]
                try:
                    token = http.post(
                        f"{base}/token", auth=(api_client["client_id"], api_client["client_secret"])
                    )
                    break
                except httpx.ConnectError:
                    if time.monotonic() > deadline:
                        pytest.fail("server did not start")
                    time.sleep(0.2)
            assert token.status_code == 200, token.text
            bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
            sent = http.post(f"{base}/uploads", headers=bearer, files=[("files", ("s.pdf", ORIGINAL))])
            assert sent.status_code == 202, sent.text
            # 202: the server's own worker may have claimed the document already, so the state is read
            # until it leaves Pending, as any client of an accepted upload does.
            read_by = time.monotonic() + 30
            while True:
                state = http.get(f"{base}/uploads/{sent.json()['UploadId']}", headers=bearer)
                if state.json()["Status"] != "Pending" or time.monotonic() > read_by:
                    break
                time.sleep(0.1)
            assert state.json()["Status"] == "Completed", state.text
        for cert in (None, rogue_files):
            context = ssl.create_default_context(cafile=str(ca_file))
            if cert is not None:
                context.load_cert_chain(*cert)
            with httpx.Client(verify=context, timeout=10) as http, pytest.raises(httpx.TransportError):
                http.post(f"{base}/token", auth=(api_client["client_id"], api_client["client_secret"]))
    finally:
        output = stop(proc)
    assert "mutual TLS" in output and "https://127.0.0.1" in output
    assert api_client["client_secret"] not in output


def test_unusable_tls_files_are_refused_before_serving(tmp_path: Path) -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "finstance", "serve", "--data-dir", str(tmp_path), "--ssl-certfile",
         str(tmp_path / "nope.crt"), "--ssl-keyfile", str(tmp_path / "nope.key")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert missing.returncode == 1 and "cannot use the TLS files" in missing.stderr
    half = subprocess.run(
        [sys.executable, "-m", "finstance", "serve", "--data-dir", str(tmp_path), "--ssl-certfile", "x.crt"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert half.returncode != 0 and "--ssl-keyfile" in half.stderr
