"""Routing: by country, by loginId (finstance tag, then the login store), refusals before any request."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from finstance.client import (
    AsyncFlinks,
    Flinks,
    InvalidLoginError,
    LoginStore,
    UnknownLoginError,
    WrongInstanceLoginError,
    flinks_instance,
    flinks_toolbox,
)
from finstance.connect import documents
from finstance.core.identifiers import IdMinter
from finstance.testing import Sandbox, connect, connect_async

CA = flinks_instance("acme", "CA", "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f", "sk-ca", "ak-ca")
US = flinks_instance("acme", "US", "9e8d7c6b-5a49-4838-8271-605f4e3d2c1b", "sk-us", "ak-us")
PLAIN_LOGIN = "3a9d2f4e-1111-4222-8333-444455556666"  # a real Flinks loginId: no finstance tag


def no_requests(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return httpx.MockTransport(handler)


@pytest.fixture
def logins(tmp_path: Path) -> LoginStore:
    return LoginStore(path=tmp_path / "logins.db")


def test_for_country_picks_the_instance_of_that_country() -> None:
    flinks = Flinks([CA, US])
    assert flinks.for_country("CA").config is CA and flinks.for_country("us").config is US
    assert flinks.instance("acme-us").config is US


def test_two_instances_of_one_country_need_an_explicit_route() -> None:
    with pytest.raises(ValueError, match="routes="):
        Flinks([flinks_toolbox(), CA])
    flinks = Flinks([flinks_toolbox(), CA, US], routes={"CA": "acme-ca"})
    assert flinks.for_country("CA").config is CA
    with pytest.raises(ValueError, match="not a CA instance"):
        Flinks([flinks_toolbox(), CA], routes={"CA": "acme-us"})


def test_a_country_without_an_instance_is_a_lookup_error() -> None:
    with pytest.raises(LookupError, match="US"):
        Flinks([CA]).for_country("US")


def test_for_login_finds_a_finstance_login_by_its_tag_without_the_store() -> None:
    login = IdMinter(US.customer_id, b"any-derive-key-material").derived("login", "x")
    assert Flinks([CA, US]).for_login(login).config is US


def test_for_login_uses_the_store_for_a_plain_guid(logins: LoginStore) -> None:
    flinks = Flinks([CA, US], logins=logins)
    with pytest.raises(UnknownLoginError):
        flinks.for_login(PLAIN_LOGIN)
    record = flinks.record_login(PLAIN_LOGIN, "US", end_user_ref="user-9", institution="FlinksCapital")
    assert record.instance == "acme-us" and record.country == "US"
    assert flinks.for_login(PLAIN_LOGIN).config is US


def test_a_recorded_login_is_refused_by_another_instances_client_without_a_request(
    logins: LoginStore,
) -> None:
    sent: list[httpx.Request] = []
    with httpx.Client(transport=no_requests(sent)) as http:
        flinks = Flinks([CA, US], logins=logins, http_client=http)
        flinks.record_login(PLAIN_LOGIN, "acme-us")
        for call in (
            lambda c: c.fetch_accounts_detail(PLAIN_LOGIN),
            lambda c: c.authorize(login_id=PLAIN_LOGIN),
            lambda c: c.delete_card(PLAIN_LOGIN),
        ):
            with pytest.raises(WrongInstanceLoginError) as refused:
                call(flinks.for_country("CA"))
            assert refused.value.http_status is None and refused.value.instance == "acme-ca"
    assert sent == []


async def test_async_router_routes_and_refuses_the_same_way(logins: LoginStore) -> None:
    sent: list[httpx.Request] = []
    async with httpx.AsyncClient(transport=no_requests(sent)) as http:
        flinks = AsyncFlinks([CA, US], logins=logins, http_client=http)
        with pytest.raises(UnknownLoginError):
            await flinks.for_login(PLAIN_LOGIN)
        await flinks.record_login(PLAIN_LOGIN, "CA", end_user_ref="user-1")
        assert (await flinks.for_login(PLAIN_LOGIN)).config is CA
        with pytest.raises(WrongInstanceLoginError):
            await flinks.for_country("US").delete_card(PLAIN_LOGIN)
    assert sent == []


def test_from_config_builds_the_router_from_the_environment() -> None:
    env = {
        "FLINKS_INSTANCES": "acme-ca",
        "FLINKS_ACME_CA_COMPANY": "acme",
        "FLINKS_ACME_CA_COUNTRY": "CA",
        "FLINKS_ACME_CA_CUSTOMER_ID": CA.customer_id,
        "FLINKS_ACME_CA_SECRET_KEY": "sk",
        "FLINKS_ACME_CA_API_KEY": "ak",
    }
    with Flinks.from_config(environ=env) as flinks:
        assert flinks.for_country("CA").config.api_base_url == "https://acme-ca-api.private.fin.ag"


def test_two_country_flow_in_process(finstance_flinks: Flinks) -> None:
    """Connect one end-user per country, record each loginId, then route every later call by it."""
    for country, user in (("CA", "ca-user"), ("US", "us-user")):
        session = connect(finstance_flinks.for_country(country))
        assert session.login is not None
        finstance_flinks.record_login(
            session.login.id, country, end_user_ref=user, institution="FlinksCapital"
        )
    assert finstance_flinks.logins is not None
    for user, currency in (("ca-user", "CAD"), ("us-user", "USD")):
        (record,) = finstance_flinks.logins.for_end_user(user)
        client = finstance_flinks.for_login(record.login_id)
        detail = client.fetch_accounts_detail(record.login_id)
        assert {a.currency for a in detail.accounts} == {currency}
        assert client.config.name == record.instance


async def test_two_country_flow_in_process_async(finstance_async_flinks: AsyncFlinks) -> None:
    for country in ("CA", "US"):
        session = await connect_async(finstance_async_flinks.for_country(country))
        assert session.login is not None
        client = await finstance_async_flinks.for_login(session.login.id)  # by its tag
        assert client.config.country.value == country
        detail = await client.fetch_accounts_detail(session.login.id)
        assert detail.login.id == session.login.id


def test_sandbox_reset_empties_every_instance(finstance_sandbox: Sandbox) -> None:
    client = finstance_sandbox.client("demo-ca")
    session = connect(client)
    assert session.login is not None
    client.fetch_accounts_detail(session.login.id)
    kept = documents.cache(finstance_sandbox.apps["demo-ca"].state.ctx)
    assert kept is not None and session.login.id in kept.logins()
    finstance_sandbox.reset()
    assert kept.logins() == set()  # nor does the instance keep its data in memory
    with pytest.raises(InvalidLoginError):  # the login is gone
        client.authorize(login_id=session.login.id)
