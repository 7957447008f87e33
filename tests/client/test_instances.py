"""Instance presets: the URLs and keys of real Flinks hosts and of a local finstance server."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from finstance.client import (
    FlinksAPIError,
    FlinksClient,
    InstanceConfig,
    flinks_instance,
    flinks_toolbox,
    local,
    local_region,
)
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


# -- reaching a *.localhost host (the instances of `finstance serve --region`) ------------------------


def test_a_localhost_subdomain_is_reached_on_loopback_with_its_host_header() -> None:
    config = local(
        "http://acme-ca-api.localhost:9000",
        CUSTOMER,
        "s",
        "a",
        connect_base_url="http://acme-ca-iframe.localhost:9000",
    )
    assert config.resolve_to == "127.0.0.1"
    assert config.banking_url == f"http://acme-ca-api.localhost:9000/v3/{CUSTOMER.lower()}/BankingServices"
    assert config.request_target() == (
        f"http://127.0.0.1:9000/v3/{CUSTOMER.lower()}/BankingServices",
        "acme-ca-api.localhost:9000",
    )
    plain = local("http://127.0.0.1:8000", CUSTOMER, "s", "a")
    assert plain.resolve_to is None and plain.request_target() == (plain.banking_url, None)
    ipv6 = local("http://api.localhost:8000/base", CUSTOMER, "s", "a", resolve_to="[::1]")
    assert ipv6.request_target()[0] == f"http://[::1]:8000/base/v3/{CUSTOMER.lower()}/BankingServices"


def test_local_region_names_the_hosts_of_a_region_server() -> None:
    config = local_region("acme", "us", CUSTOMER, "s", "a", port=9000, webhook_secret="wh")
    assert (config.name, config.country, config.webhook_secret) == ("acme-us", Country.US, "wh")
    assert config.api_base_url == "http://acme-us-api.localhost:9000"
    assert config.connect_base_url == "http://acme-us-iframe.localhost:9000"
    assert config.request_target()[1] == "acme-us-api.localhost:9000" and config.poll_interval == 1
    other = local_region(
        "beta", "CA", CUSTOMER, "s", "a", port=8443, address="10.1.2.3", domain="example.test"
    )
    assert other.request_target() == (
        f"http://10.1.2.3:8443/v3/{CUSTOMER.lower()}/BankingServices",
        "beta-ca-api.example.test:8443",
    )


def test_every_request_goes_to_the_address_with_the_instances_host() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path.endswith("/GenerateAuthorizeToken"):
            return httpx.Response(200, json={"HttpStatusCode": 200, "Token": "tok"})
        return httpx.Response(
            400, json={"HttpStatusCode": 400, "FlinksCode": "INVALID_REQUEST", "Message": "x"}
        )

    config = local_region("acme", "CA", CUSTOMER, "s", "a", port=9000)
    with FlinksClient(config, http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
        url = client.connect_url(demo=True)
        calls: list[Callable[[], object]] = [
            lambda: client.authorize(login_id="l"),
            lambda: client.accounts_detail("r"),
            lambda: client.accounts_summary_async("r"),
            lambda: client.delete_card("l"),
            lambda: client.set_scheduled_refresh("l", True),
            lambda: client.institutions(),
        ]
        for call in calls:
            with pytest.raises(FlinksAPIError):
                call()
    assert url.startswith("http://acme-ca-iframe.localhost:9000/v2/?authorizeToken=tok")  # for the browser
    assert len(sent) == 8  # two tokens (Connect, Authorize) and six calls
    assert {(r.url.host, r.url.port, r.headers["host"]) for r in sent} == {
        ("127.0.0.1", 9000, "acme-ca-api.localhost:9000")
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda: local("https://api.localhost", CUSTOMER, "s", "a", resolve_to="127.0.0.1"),
        lambda: local("http://api.localhost", CUSTOMER, "s", "a", resolve_to="http://127.0.0.1"),
        lambda: local("http://127.0.0.1", CUSTOMER, "s", "a", poll_interval=0),
        lambda: local("http://127.0.0.1", CUSTOMER, "s", "a", poll_interval=float("inf")),
        lambda: local_region("Acme", "CA", CUSTOMER, "s", "a"),
    ],
    ids=["https", "address-url", "zero-interval", "infinite-interval", "company"],
)
def test_invalid_addresses_and_intervals_are_refused(make: Callable[[], InstanceConfig]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (each case has its own message)
        make()


def test_flinks_presets_poll_at_the_flinks_interval() -> None:
    assert flinks_toolbox().poll_interval == 10
    assert flinks_instance("acme", "CA", CUSTOMER, "s", "a").poll_interval == 10
    assert flinks_toolbox().resolve_to is None
