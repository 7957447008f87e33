"""Instance configs from a TOML file and the environment; presets of local finstance servers."""

from __future__ import annotations

from pathlib import Path

import pytest

from finstance.client import load_instances, local_embedded
from finstance.core.country import Country
from finstance.instances.directory import Directory

CUSTOMER = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"
TOML = f"""
[instances.acme-ca]
kind = "flinks"
company = "acme"
country = "CA"
customer_id = "{CUSTOMER}"
secret_key = "from-file"
api_key = "ak-file"

[instances.toolbox]
kind = "toolbox"

[instances.dev-us]
kind = "local"
api_base_url = "http://127.0.0.1:8002"
country = "US"
customer_id = "{CUSTOMER}"
secret_key = "sk"
api_key = "ak"
requires_authorize_token = false
"""


def test_a_toml_file_completed_by_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "flinks.toml"
    path.write_text(TOML)
    env = {"FLINKS_ACME_CA_SECRET_KEY": "from-env", "FLINKS_ACME_CA_WEBHOOK_SECRET": "wh"}
    configs = load_instances(path, environ=env)
    assert list(configs) == ["acme-ca", "toolbox", "dev-us"]
    acme = configs["acme-ca"]
    assert acme.api_base_url == "https://acme-ca-api.private.fin.ag" and acme.country is Country.CA
    assert (acme.secret_key, acme.api_key, acme.webhook_secret) == ("from-env", "ak-file", "wh")
    assert configs["toolbox"].connect_base_url == "https://toolbox-iframe.private.fin.ag"
    dev = configs["dev-us"]
    assert dev.country is Country.US and dev.requires_authorize_token is False
    assert dev.connect_base_url == "http://127.0.0.1:8002"


def test_instances_declared_only_in_the_environment_with_a_prefix() -> None:
    env = {
        "APP_INSTANCES": "acme-us",
        "APP_ACME_US_COMPANY": "acme",
        "APP_ACME_US_COUNTRY": "US",
        "APP_ACME_US_CUSTOMER_ID": CUSTOMER,
        "APP_ACME_US_SECRET_KEY": "s",
        "APP_ACME_US_API_KEY": "a",
        "APP_ACME_US_REQUIRES_AUTHORIZE_TOKEN": "no",
    }
    (config,) = load_instances(environ=env, prefix="APP_").values()
    assert config.name == "acme-us" and config.requires_authorize_token is False
    assert config.api_base_url == "https://acme-us-api.private.fin.ag"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[instances.x]\nkind = "flinks"\ncompany = "acme"\ncountry = "CA"\n', "needs customer_id"),
        ('[instances.x]\nkind = "ftp"\n', "kind must be"),
        ('[instances.x]\nkind = "toolbox"\nsecrett = "typo"\n', "unknown field"),
        (
            f'[instances.wrong]\ncompany = "acme"\ncountry = "CA"\ncustomer_id = "{CUSTOMER}"\n'
            'secret_key = "s"\napi_key = "a"\n',
            "use that name",
        ),
        ('[instances.x]\nkind = "toolbox"\npoll_interval = "soon"\n', "poll_interval must be a number"),
        ('[instances.x]\nkind = "toolbox"\npoll_interval = 0\n', "poll_interval must be a positive"),
        ('[instances.x]\nkind = "toolbox"\nresolve_to = "127.0.0.1"\n', "resolve_to applies to local"),
    ],
    ids=["missing", "kind", "typo", "name", "interval", "zero-interval", "resolve-flinks"],
)
def test_invalid_files_are_refused_with_a_message(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "flinks.toml"
    path.write_text(toml)
    with pytest.raises(ValueError, match=message):
        load_instances(path, environ={})


def test_local_embedded_reads_the_development_keys_of_a_data_directory(tmp_path: Path) -> None:
    entries = Directory(tmp_path).ensure_embedded_defaults()
    configs = local_embedded(tmp_path, port=9100)
    assert [c.name for c in configs] == ["toolbox", "demo-ca", "demo-us"]
    assert [c.api_base_url for c in configs] == [f"http://127.0.0.1:{9100 + i}" for i in range(3)]
    for config, entry in zip(configs, entries, strict=True):
        assert entry.dev_keys is not None and config.secret_key == entry.dev_keys["secret_key"]
        assert config.customer_id == entry.customer_id and config.webhook_secret == entry.webhook_secret
    assert {c.poll_interval for c in configs} == {1.0}  # a local server aggregates in seconds
    assert {c.poll_interval for c in local_embedded(tmp_path, poll_interval=0.5)} == {0.5}
    with pytest.raises(ValueError, match="does not exist; run `finstance serve"):
        local_embedded(tmp_path / "empty")
    production = tmp_path / "production"
    Directory(production).create("acme", Country.CA)
    with pytest.raises(ValueError, match="toolbox has no development keys"):
        local_embedded(production)


def test_poll_interval_and_resolve_to_from_a_file_and_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "flinks.toml"
    path.write_text(
        TOML
        + f"""
[instances.region-ca]
kind = "local"
api_base_url = "http://acme-ca-api.localhost:9000"
connect_base_url = "http://acme-ca-iframe.localhost:9000"
country = "CA"
customer_id = "{CUSTOMER}"
secret_key = "sk"
api_key = "ak"

[instances.remote]
kind = "local"
api_base_url = "http://acme-us-api.localhost:9001"
country = "US"
customer_id = "{CUSTOMER}"
secret_key = "sk"
api_key = "ak"
resolve_to = "10.0.0.7"
poll_interval = 0.5
"""
    )
    configs = load_instances(path, environ={"FLINKS_ACME_CA_POLL_INTERVAL": "20"})
    assert configs["acme-ca"].poll_interval == 20 and configs["toolbox"].poll_interval == 10
    assert configs["dev-us"].poll_interval == 1 and configs["dev-us"].resolve_to is None
    region = configs["region-ca"]
    assert region.resolve_to == "127.0.0.1" and region.poll_interval == 1
    assert region.request_target() == (
        f"http://127.0.0.1:9000/v3/{CUSTOMER}/BankingServices",
        "acme-ca-api.localhost:9000",
    )
    remote = configs["remote"]
    assert (remote.resolve_to, remote.poll_interval) == ("10.0.0.7", 0.5)
    assert remote.request_target()[0].startswith("http://10.0.0.7:9001/v3/")
