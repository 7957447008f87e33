"""Instance presets: the URLs and keys of real Flinks hosts and of a local finstance server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from finstance.client import InstanceConfig, flinks_instance, flinks_toolbox, local
from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_SECRET_KEY

CUSTOMER = "2F1B6C8E-0D7A-4C55-9E3B-8A1F2C3D4E5F"


def test_toolbox_preset_points_at_the_public_flinks_toolbox() -> None:
    config = flinks_toolbox()
    assert config.name == "toolbox" and config.country is Country.CA
    assert config.api_base_url == "https://toolbox-api.private.fin.ag"
    assert config.connect_base_url == "https://toolbox-iframe.private.fin.ag"
    assert (config.customer_id, config.secret_key, config.api_key) == (
        TOOLBOX_CUSTOMER_ID,
        TOOLBOX_SECRET_KEY,
        TOOLBOX_API_KEY,
    )
    assert (
        config.banking_url == f"https://toolbox-api.private.fin.ag/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices"
    )


@pytest.mark.parametrize(("country", "suffix"), [(Country.CA, "ca"), ("US", "us"), ("us", "us")])
def test_flinks_instance_preset_builds_the_company_country_hosts(country: Country | str, suffix: str) -> None:
    config = flinks_instance("acme", country, CUSTOMER, "secret", "api")
    assert config.name == f"acme-{suffix}" and config.country is Country(suffix.upper())
    assert config.api_base_url == f"https://acme-{suffix}-api.private.fin.ag"
    assert config.connect_base_url == f"https://acme-{suffix}-iframe.private.fin.ag"
    assert config.customer_id == CUSTOMER.lower()


def test_keys_stay_out_of_the_repr() -> None:
    config = flinks_instance("acme", "CA", CUSTOMER, "s3cret-value", "ap1-value", webhook_secret="wh-value")
    assert not [key for key in ("s3cret-value", "ap1-value", "wh-value") if key in repr(config)]


def test_local_preset_serves_connect_from_the_same_url_unless_told() -> None:
    config = local("http://127.0.0.1:8000/", CUSTOMER, "s", "a", country="US")
    assert config.api_base_url == config.connect_base_url == "http://127.0.0.1:8000"
    assert config.country is Country.US and config.name == "local"
    other = local("http://api.localhost", CUSTOMER, "s", "a", connect_base_url="http://iframe.localhost")
    assert other.connect_base_url == "http://iframe.localhost"


@pytest.mark.parametrize(
    "make",
    [
        lambda: flinks_instance("Acme Corp", "CA", CUSTOMER, "s", "a"),
        lambda: flinks_instance("acme", "FR", CUSTOMER, "s", "a"),
        lambda: flinks_instance("acme", "CA", "not-a-guid", "s", "a"),
        lambda: local("ftp://x", CUSTOMER, "s", "a"),
    ],
    ids=["company", "country", "customer-id", "url"],
)
def test_invalid_presets_are_refused(make: Callable[[], InstanceConfig]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (each case has its own message)
        make()


def test_configs_are_frozen() -> None:
    config = flinks_toolbox()
    with pytest.raises(AttributeError):
        config.name = "other"  # type: ignore[misc]
    assert isinstance(config, InstanceConfig)
