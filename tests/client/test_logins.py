"""The login store on SQLite (a file, the default) and on PostgreSQL (by URL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from finstance.client import LoginStore, WrongInstanceLoginError
from tests.conftest import PG_URL, PostgresDatabases

LOGIN = "3A9D2F4E-1111-4222-8333-444455556666"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)] if PG_URL else ["sqlite"]
)
def logins(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[LoginStore]:
    if request.param == "sqlite":
        store = LoginStore(path=tmp_path / "logins.db")
        yield store
        store.close()
        return
    assert postgres is not None
    name = postgres.create()
    store = LoginStore(postgres.url(name))
    yield store
    store.close()
    postgres.drop(name)


def test_a_recorded_login_keeps_its_instance_end_user_and_institution(logins: LoginStore) -> None:
    record = logins.record(LOGIN, "acme-us", "US", end_user_ref="user-42", institution="FlinksCapital")
    assert (record.login_id, record.instance, record.country) == (LOGIN.lower(), "acme-us", "US")
    again = logins.get(LOGIN.lower())
    assert again is not None and (again.end_user_ref, again.institution) == ("user-42", "FlinksCapital")
    assert logins.instance_of(LOGIN) == "acme-us" and logins.instance_of(LOGIN.lower()) == "acme-us"


def test_recording_again_for_the_same_instance_updates_it(logins: LoginStore) -> None:
    logins.record(LOGIN, "acme-ca", "CA", end_user_ref="user-1")
    logins.record(LOGIN, "acme-ca", "CA", institution="RBC")
    record = logins.get(LOGIN)
    assert record is not None and (record.end_user_ref, record.institution) == ("user-1", "RBC")


def test_a_login_cannot_move_to_another_instance(logins: LoginStore) -> None:
    logins.record(LOGIN, "acme-ca", "CA")
    with pytest.raises(WrongInstanceLoginError, match="acme-ca"):
        logins.record(LOGIN, "acme-us", "US")
    assert logins.instance_of(LOGIN) == "acme-ca"


def test_logins_of_an_end_user_and_forgetting_one(logins: LoginStore) -> None:
    logins.record(LOGIN, "acme-ca", "CA", end_user_ref="user-7")
    other = "5b6c7d8e-2222-4333-8444-555566667777"
    logins.record(other, "acme-us", "US", end_user_ref="user-7")
    assert [r.instance for r in logins.for_end_user("user-7")] == ["acme-ca", "acme-us"]
    assert logins.forget(LOGIN) is True and logins.forget(LOGIN) is False
    assert logins.instance_of(LOGIN) is None and logins.get(LOGIN) is None


def test_records_survive_a_new_store_on_the_same_database(logins: LoginStore) -> None:
    logins.record(LOGIN, "acme-us", "US")
    reopened = LoginStore(logins.url)
    try:
        assert reopened.instance_of(LOGIN) == "acme-us"
    finally:
        reopened.close()


def test_the_default_store_is_a_sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = LoginStore()
    store.record(LOGIN, "toolbox", "CA")
    store.close()
    assert (tmp_path / "flinks-logins.db").is_file() and store.url.startswith("sqlite:///")
