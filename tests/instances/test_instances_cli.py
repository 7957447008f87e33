"""`finstance instances ...` as an operator runs it: create, list, show, rotate-keys, delete."""

from __future__ import annotations

import json
import os
import stat
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from finstance.cli import app
from finstance.core.country import Country
from finstance.instances import serving
from finstance.instances.directory import Directory
from tests.flinks import Flinks

runner = CliRunner()


def cli(*args: str, data_dir: Path, input: str | None = None) -> Any:
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)], input=input)


def create(data_dir: Path, company: str = "acme", country: str = "CA", *extra: str) -> dict[str, Any]:
    result = cli("instances", "create", "--company", company, "--country", country, "--json", *extra,
                 data_dir=data_dir)  # fmt: skip
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def assert_user_error(result: Any, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_create_prints_the_credentials_once_as_json_and_stores_only_hashes(tmp_path: Path) -> None:
    data = create(tmp_path)
    assert set(data) == {"name", "country", "customer_id", "secret_key", "api_key", "webhook_secret",
                         "api_host", "iframe_host"}  # fmt: skip
    assert data["name"] == "acme-ca" and data["country"] == "CA"
    assert str(uuid.UUID(data["customer_id"])) == data["customer_id"]
    assert data["api_host"] == "acme-ca-api.localhost"
    assert data["iframe_host"] == "acme-ca-iframe.localhost"
    for key in ("secret_key", "api_key", "webhook_secret"):
        assert len(data[key]) >= 32
    path = tmp_path / "directory.json"
    raw = path.read_text()
    assert data["secret_key"] not in raw and data["api_key"] not in raw
    assert data["customer_id"] in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (tmp_path / "stores" / "acme-ca.db").is_file()  # its store is created and stamped at once


def test_create_without_json_shows_the_keys_and_says_they_are_shown_once(tmp_path: Path) -> None:
    result = cli("instances", "create", "--company", "acme", "--country", "us", data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    entry = Directory(tmp_path).get("acme-us")
    assert "created acme-us (US)" in result.stdout and entry.customer_id in result.stdout
    assert "shown this once" in result.stdout


def test_create_with_a_custom_domain_names_the_hosts_under_it(tmp_path: Path) -> None:
    data = create(tmp_path, "acme", "US", "--domain", "flinks.example.com")
    assert data["api_host"] == "acme-us-api.flinks.example.com"
    assert data["iframe_host"] == "acme-us-iframe.flinks.example.com"


def test_the_same_company_in_the_other_country_gets_different_values_for_everything(tmp_path: Path) -> None:
    ca, us = create(tmp_path, "acme", "CA"), create(tmp_path, "acme", "US")
    assert us["name"] == "acme-us" and us["country"] == "US"
    for key in ca:
        assert ca[key] != us[key], key


def test_a_second_instance_for_the_same_company_and_country_is_refused(tmp_path: Path) -> None:
    first = create(tmp_path)
    result = cli("instances", "create", "--company", "acme", "--country", "ca", data_dir=tmp_path)
    assert_user_error(result, "instance 'acme-ca' already exists")
    assert [e.customer_id for e in Directory(tmp_path).entries()] == [first["customer_id"]]


def test_a_bad_company_is_refused_with_a_message(tmp_path: Path) -> None:
    result = cli("instances", "create", "--company", "Acme Inc", "--country", "CA", data_dir=tmp_path)
    assert_user_error(result, "invalid company")
    assert Directory(tmp_path).entries() == []


def test_a_bad_country_is_refused_as_a_usage_error(tmp_path: Path) -> None:
    result = cli("instances", "create", "--company", "acme", "--country", "FR", data_dir=tmp_path)
    assert result.exit_code == 2
    assert "unknown country 'FR'" in result.output and "Traceback" not in result.output
    assert Directory(tmp_path).entries() == []


def test_list_and_show_print_metadata_without_hashes_or_secrets(tmp_path: Path) -> None:
    ca, us = create(tmp_path, "acme", "CA"), create(tmp_path, "acme", "US")
    listed = cli("instances", "list", "--json", data_dir=tmp_path)
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)
    assert [i["name"] for i in items] == ["acme-ca", "acme-us"]
    assert [i["customer_id"] for i in items] == [ca["customer_id"], us["customer_id"]]
    shown = cli("instances", "show", "acme-us", "--json", data_dir=tmp_path)
    assert shown.exit_code == 0, shown.output
    item = json.loads(shown.stdout)
    assert item == items[1]
    assert item["api_host"] == "acme-us-api.localhost" and item["iframe_host"] == "acme-us-iframe.localhost"
    assert item["country"] == "US" and item["store"].endswith("acme-us.db")
    entry = Directory(tmp_path).get("acme-us")
    for text in (listed.stdout, shown.stdout):
        for secret in (us["secret_key"], us["api_key"], us["webhook_secret"], entry.derive_key,
                       entry.secret_key_hash, entry.api_key_hash, "sha256$"):  # fmt: skip
            assert secret not in text
        for field in ("secret_key_hash", "api_key_hash", "webhook_secret", "derive_key"):
            assert field not in text
    plain = cli("instances", "list", data_dir=tmp_path)
    assert plain.exit_code == 0 and "acme-ca" in plain.stdout and "acme-us-api.localhost" in plain.stdout


def test_list_of_an_empty_data_dir_says_so(tmp_path: Path) -> None:
    result = cli("instances", "list", data_dir=tmp_path)
    assert result.exit_code == 0 and "no instance" in result.stdout
    assert json.loads(cli("instances", "list", "--json", data_dir=tmp_path).stdout) == []


def test_show_or_rotate_of_an_unknown_instance_exits_1_with_a_message(tmp_path: Path) -> None:
    create(tmp_path)
    assert_user_error(cli("instances", "show", "nope-ca", data_dir=tmp_path), "no instance named 'nope-ca'")
    assert_user_error(cli("instances", "rotate-keys", "nope-ca", data_dir=tmp_path), "no instance named")
    assert_user_error(cli("instances", "delete", "nope-ca", "--yes", data_dir=tmp_path), "no instance named")


def test_list_of_a_corrupt_directory_exits_1_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "directory.json").write_text("{not json")
    assert_user_error(cli("instances", "list", data_dir=tmp_path), "cannot read")


async def test_rotate_keys_revokes_the_old_keys_of_a_running_app_and_keeps_its_data(tmp_path: Path) -> None:
    created = create(tmp_path)
    directory = Directory(tmp_path)
    entry = directory.get("acme-ca")
    app_ = serving.instance_app(directory, entry)
    async with app_.router.lifespan_context(app_):
        transport = httpx.ASGITransport(app=app_)
        async with httpx.AsyncClient(transport=transport, base_url="http://acme-ca-api.localhost") as http:
            old = Flinks(http, created["customer_id"], created["secret_key"], created["api_key"], Country.CA)
            connected = await old.live("greatday_nomfa")
            assert connected.status_code == 200, connected.text
            login_id = connected.json()["Login"]["Id"]
            request_id = connected.json()["RequestId"]
            assert (await old.data("GetAccountsDetail", {"RequestId": request_id})).status_code == 202

            rotated = cli("instances", "rotate-keys", "acme-ca", "--json", data_dir=tmp_path)
            assert rotated.exit_code == 0, rotated.output
            keys = json.loads(rotated.stdout)
            assert keys["customer_id"] == created["customer_id"]
            assert keys["webhook_secret"] == created["webhook_secret"]
            assert keys["secret_key"] != created["secret_key"] and keys["api_key"] != created["api_key"]
            raw = (tmp_path / "directory.json").read_text()
            assert keys["secret_key"] not in raw and keys["api_key"] not in raw

            refused = await old.post("GenerateAuthorizeToken", None, **{"flinks-auth-key": old.secret_key})
            assert refused.status_code == 401, refused.text
            assert refused.json()["HttpStatusCode"] == 401
            stale = await old.data("GetAccountsDetail", {"RequestId": request_id})
            assert stale.status_code == 401, stale.text

            new = Flinks(http, created["customer_id"], keys["secret_key"], keys["api_key"], Country.CA)
            cached = await new.cached(login_id)
            assert cached.status_code == 200, cached.text
            assert cached.json()["Login"]["Id"] == login_id
            fresh = await new.data("GetAccountsDetail", {"RequestId": cached.json()["RequestId"]})
            assert fresh.status_code in (200, 202), fresh.text


def test_delete_without_yes_asks_and_keeps_the_instance_on_no(tmp_path: Path) -> None:
    create(tmp_path)
    store = tmp_path / "stores" / "acme-ca.db"
    result = cli("instances", "delete", "acme-ca", data_dir=tmp_path, input="n\n")
    assert result.exit_code == 1, result.output
    assert "Delete acme-ca and all of its data?" in result.output and "not deleted" in result.stderr
    assert Directory(tmp_path).find("acme-ca") is not None and store.is_file()


def test_delete_with_yes_removes_the_entry_and_its_sqlite_store(tmp_path: Path) -> None:
    create(tmp_path, "acme", "CA")
    us = create(tmp_path, "acme", "US")
    store = tmp_path / "stores" / "acme-ca.db"
    assert store.is_file()
    os.mkfifo(store.with_name("acme-ca.db-wake"))  # as a worker of the instance leaves it
    result = cli("instances", "delete", "acme-ca", "--yes", data_dir=tmp_path)
    assert result.exit_code == 0, result.output
    assert "deleted acme-ca" in result.stdout
    assert not store.exists()
    assert not list(store.parent.glob("acme-ca.db*"))
    assert [e.customer_id for e in Directory(tmp_path).entries()] == [us["customer_id"]]
    assert (tmp_path / "stores" / "acme-us.db").is_file()
    again = create(tmp_path, "acme", "CA")  # the name is free again, with new values
    assert again["name"] == "acme-ca"


def test_delete_answering_yes_at_the_prompt_deletes(tmp_path: Path) -> None:
    create(tmp_path)
    result = cli("instances", "delete", "acme-ca", data_dir=tmp_path, input="y\n")
    assert result.exit_code == 0, result.output
    assert Directory(tmp_path).entries() == []


@pytest.mark.parametrize("url", ["mysql://db/acme", "file:///tmp/x.db"])
def test_create_refuses_an_unsupported_store_url(tmp_path: Path, url: str) -> None:
    result = cli("instances", "create", "--company", "acme", "--country", "CA", "--store-url", url,
                 data_dir=tmp_path)  # fmt: skip
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert Directory(tmp_path).entries() == []
