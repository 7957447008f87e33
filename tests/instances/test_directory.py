"""The directory of instances: metadata only, keys kept as hashes, one instance per company and country."""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path

import pytest

from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY, sqlite_url
from finstance.core.keys import hash_key
from finstance.instances.directory import ENTRY_FIELDS, Directory, DirectoryError, same_store


def test_create_mints_a_guid_customer_id_hosts_and_keeps_only_key_hashes(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    entry, keys = directory.create("Acme", Country.CA)
    assert entry.name == "acme-ca" and entry.company == "acme" and entry.country == "CA"
    assert str(uuid.UUID(keys.customer_id)) == keys.customer_id == entry.customer_id
    assert entry.api_host == "acme-ca-api.localhost" and entry.iframe_host == "acme-ca-iframe.localhost"
    assert entry.secret_key_hash == hash_key(keys.secret_key)
    assert entry.api_key_hash == hash_key(keys.api_key)
    assert entry.dev_keys is None
    raw = directory.path.read_text()
    assert keys.secret_key not in raw and keys.api_key not in raw
    assert stat.S_IMODE(directory.path.stat().st_mode) == 0o600
    assert directory.get("acme-ca") == entry
    assert entry.spec().customer_id == keys.customer_id


def test_create_uses_the_directory_domain_or_the_one_given(tmp_path: Path) -> None:
    directory = Directory(tmp_path, domain="bank.example")
    ca, _ = directory.create("acme", Country.CA)
    us, _ = directory.create("acme", Country.US, domain="us.example.com")
    assert (ca.api_host, ca.iframe_host) == ("acme-ca-api.bank.example", "acme-ca-iframe.bank.example")
    assert (us.api_host, us.iframe_host) == ("acme-us-api.us.example.com", "acme-us-iframe.us.example.com")


def test_the_other_country_gets_a_second_instance_with_different_values_for_everything(
    tmp_path: Path,
) -> None:
    directory = Directory(tmp_path)
    ca, ca_keys = directory.create("acme", Country.CA)
    us, us_keys = directory.create("acme", Country.US)
    assert us.name == "acme-us" and us.country == "US"
    for a, b in (
        (ca_keys.customer_id, us_keys.customer_id),
        (ca_keys.secret_key, us_keys.secret_key),
        (ca_keys.api_key, us_keys.api_key),
        (ca_keys.webhook_secret, us_keys.webhook_secret),
        (ca.derive_key, us.derive_key),
        (ca.api_host, us.api_host),
        (ca.iframe_host, us.iframe_host),
        (ca.store_url, us.store_url),
    ):
        assert a != b
    assert [e.name for e in directory.entries()] == ["acme-ca", "acme-us"]


def test_a_second_instance_for_the_same_company_and_country_is_refused(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    first, _ = directory.create("acme", Country.CA)
    with pytest.raises(DirectoryError, match="already exists"):
        directory.create("ACME ", Country.CA)
    assert directory.entries() == [first]


@pytest.mark.parametrize("company", ["", "-acme", "acme-", "ac me", "acme_co", "é", "a" * 43])
def test_invalid_company_names_are_refused(tmp_path: Path, company: str) -> None:
    directory = Directory(tmp_path)
    with pytest.raises(DirectoryError, match="invalid company"):
        directory.create(company, Country.CA)
    assert not directory.path.exists()


def test_two_instances_cannot_be_created_on_one_store(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    shared = sqlite_url(tmp_path / "shared.db")
    directory.create("acme", Country.CA, store_url=shared)
    with pytest.raises(DirectoryError, match="already the store of 'acme-ca'"):
        directory.create("acme", Country.US, store_url=f"sqlite:///{tmp_path}/./shared.db")
    assert [e.name for e in directory.entries()] == ["acme-ca"]


def test_same_store_compares_locations_not_spellings(tmp_path: Path) -> None:
    assert same_store(f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/x/../a.db")
    assert not same_store(f"sqlite:///{tmp_path}/a.db", f"sqlite:///{tmp_path}/b.db")
    assert same_store("postgresql+psycopg://u:p@db/one", "postgresql+psycopg://other@db:5432/one")
    assert not same_store("postgresql+psycopg://db/one", "postgresql+psycopg://db/two")
    assert not same_store(f"sqlite:///{tmp_path}/one", "postgresql+psycopg://db/one")


def test_rotate_keys_changes_only_the_keys(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    before, old = directory.create("acme", Country.CA)
    new = directory.rotate_keys("acme-ca")
    after = directory.get("acme-ca")
    assert new.customer_id == old.customer_id and new.webhook_secret == old.webhook_secret
    assert new.secret_key != old.secret_key and new.api_key != old.api_key
    assert after.secret_key_hash == hash_key(new.secret_key) != before.secret_key_hash
    assert after.api_key_hash == hash_key(new.api_key) != before.api_key_hash
    assert after.keys_rotated_at is not None
    assert (after.store_url, after.derive_key, after.created_at) == (
        before.store_url,
        before.derive_key,
        before.created_at,
    )
    raw = directory.path.read_text()
    assert new.secret_key not in raw and new.api_key not in raw


def test_unknown_instances_and_toolbox_rotation_are_refused(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    directory.ensure_toolbox()
    with pytest.raises(DirectoryError, match="cannot be rotated"):
        directory.rotate_keys("toolbox")
    for operation in (directory.get, directory.rotate_keys, directory.delete):
        with pytest.raises(DirectoryError, match="no instance named 'nope'"):
            operation("nope")
    assert directory.find("nope") is None


def test_embedded_defaults_are_created_once_and_keep_their_development_keys(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    first = directory.ensure_embedded_defaults()
    assert [e.name for e in first] == ["toolbox", "demo-ca", "demo-us"]
    assert directory.ensure_embedded_defaults() == first
    toolbox, demo_ca, demo_us = first
    assert toolbox.customer_id == TOOLBOX_CUSTOMER_ID
    assert toolbox.dev_keys == {"secret_key": TOOLBOX_SECRET_KEY, "api_key": TOOLBOX_API_KEY}
    assert toolbox.spec().customer_id == TOOLBOX_CUSTOMER_ID
    for demo in (demo_ca, demo_us):
        assert demo.development and demo.sandbox and demo.dev_keys
        assert demo.secret_key_hash == hash_key(demo.dev_keys["secret_key"])
        assert demo.public()["secret_key"] == demo.dev_keys["secret_key"]
    rotated = directory.rotate_keys("demo-ca")
    assert directory.get("demo-ca").dev_keys == {"secret_key": rotated.secret_key, "api_key": rotated.api_key}


def test_public_view_holds_no_hash_nor_signing_material(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    entry, keys = directory.create("acme", Country.US, store_url="postgresql+psycopg://u:hunter2@db/acme_us")
    public = entry.public()
    assert set(public) == {
        "name", "company", "country", "customer_id", "api_host", "iframe_host", "store", "sandbox",
        "development", "created_at", "keys_rotated_at",
    }  # fmt: skip
    assert "hunter2" not in public["store"]
    text = json.dumps(public)
    for secret in (keys.secret_key, keys.api_key, keys.webhook_secret, entry.derive_key, "sha256$"):
        assert secret not in text


def test_a_directory_with_an_unexpected_field_is_refused(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    directory.create("acme", Country.CA)
    doc = json.loads(directory.path.read_text())
    doc["instances"][0]["customer_email"] = "someone@example.com"
    directory.path.write_text(json.dumps(doc))
    with pytest.raises(DirectoryError, match="unexpected fields"):
        directory.entries()


def test_a_file_that_is_not_a_directory_is_refused(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    directory.path.write_text("[1, 2]")
    with pytest.raises(DirectoryError, match="not a finstance directory"):
        directory.entries()
    directory.path.write_text("{")
    with pytest.raises(DirectoryError, match="cannot read"):
        directory.entries()


def test_directory_entries_hold_only_the_known_metadata_fields(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    directory.create("acme", Country.CA)
    directory.ensure_embedded_defaults()
    doc = json.loads(directory.path.read_text())
    assert set(doc) == {"version", "instances"}
    for item in doc["instances"]:
        assert set(item) == ENTRY_FIELDS
    assert not list(tmp_path.glob(".directory.*.tmp"))
