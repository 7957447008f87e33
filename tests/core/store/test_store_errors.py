"""A store that cannot be opened is a one-line error that says why: the PostgreSQL server refused the
connection, the database does not exist, the password was refused... with the host, port and database, and
never the password of the store URL."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from finstance.cli import app
from finstance.core.country import Country
from finstance.core.store.engine import describe_store_error
from finstance.instances.directory import Directory
from tests.conftest import PG_URL

runner = CliRunner()
PASSWORD = "s3cret-Pw-5150"


def free_port() -> int:
    """A loopback port where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def unreachable(kind: str, tmp_path: Path) -> tuple[str, str]:
    """A store URL that cannot be opened, and what the error must say about it."""
    if kind == "refused":
        port = free_port()
        url = f"postgresql+psycopg://finstance:{PASSWORD}@127.0.0.1:{port}/acme_ca"
        return url, f'the PostgreSQL server at 127.0.0.1:{port} refused the connection (database "acme_ca")'
    if kind == "missing-database":
        assert PG_URL is not None
        server = make_url(PG_URL)
        name = f"finstance_missing_{uuid.uuid4().hex[:10]}"
        url = server.set(database=name).render_as_string(hide_password=False)
        where = f"{server.host}:{server.port or 5432}"
        return url, f'database "{name}" does not exist on the PostgreSQL server at {where}'
    directory = tmp_path / "a-directory-not-a-file.db"
    directory.mkdir()
    return f"sqlite:///{directory}", f"cannot open the SQLite file {directory}"


KINDS = ["refused", "sqlite"] + (["missing-database"] if PG_URL else [])
COMMANDS = [
    (["db", "status"], "cannot read the store of 'acme-ca': "),
    (["db", "upgrade"], "cannot upgrade the store of 'acme-ca': "),
    (["serve", "--instance", "acme-ca"], "cannot open the store of 'acme-ca': "),
    (["webhooks", "list", "--instance", "acme-ca"], "cannot open the store of 'acme-ca': "),
    (["residency", "audit"], "store cannot be read: "),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("command", "prefix"), COMMANDS, ids=[" ".join(c[0][:2]) for c in COMMANDS])
def test_a_store_that_cannot_be_opened_is_one_line_saying_why_without_the_password(
    tmp_path: Path, kind: str, command: list[str], prefix: str
) -> None:
    url, says = unreachable(kind, tmp_path)
    data = tmp_path / "data"
    Directory(data).create("acme", Country.CA, store_url=url)  # in the directory, never opened
    result = runner.invoke(app, [*command, "--data-dir", str(data)])
    assert result.exit_code == 1, result.output
    assert prefix + says in result.output, result.output
    assert PASSWORD not in result.output
    password = make_url(url).password
    assert not password or password not in result.output
    assert "OperationalError" not in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def test_instances_create_on_a_postgresql_server_that_refuses_says_so_and_keeps_nothing(
    tmp_path: Path,
) -> None:
    url, says = unreachable("refused", tmp_path)
    result = runner.invoke(
        app, ["instances", "create", "--company", "acme", "--country", "CA", "--store-url", url,
              "--data-dir", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"cannot open the store of 'acme-ca': {says}" in result.stderr
    assert PASSWORD not in result.output
    assert Directory(tmp_path).entries() == []


def libpq(message: str) -> sa_exc.OperationalError:
    """The error SQLAlchemy raises when psycopg cannot connect, with libpq's message."""
    orig = psycopg.OperationalError(
        f'connection failed: connection to server at "db.example", port 6432 failed: {message}'
    )
    return sa_exc.OperationalError(None, None, orig)


URL = f"postgresql+psycopg://app:{PASSWORD}@db.example:6432/acme_us"


@pytest.mark.parametrize(
    ("message", "says"),
    [
        (
            'FATAL:  password authentication failed for user "app"',
            'password authentication failed for user "app" on the PostgreSQL server at db.example:6432 '
            '(database "acme_us")',
        ),
        (
            "fe_sendauth: no password supplied",
            "the PostgreSQL server at db.example:6432 asks for a password and the store URL has none "
            '(database "acme_us")',
        ),
        (
            'FATAL:  role "app" does not exist',
            'user "app" does not exist on the PostgreSQL server at db.example:6432 (database "acme_us")',
        ),
        (
            'FATAL:  database "acme_us" does not exist',
            'database "acme_us" does not exist on the PostgreSQL server at db.example:6432',
        ),
        (
            "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?",
            'the PostgreSQL server at db.example:6432 refused the connection (database "acme_us"): '
            "is it running and listening there?",
        ),
        (
            "timeout expired",
            'the PostgreSQL server at db.example:6432 did not answer in time (database "acme_us")',
        ),
        (
            "FATAL:  sorry, too many clients already",
            "the PostgreSQL server at db.example:6432 has no connection left: too many clients "
            '(database "acme_us")',
        ),
        (
            f"FATAL:  something new about {PASSWORD}",
            'the PostgreSQL server at db.example:6432 failed (database "acme_us"): OperationalError',
        ),
    ],
    ids=["auth", "no-password", "role", "database", "refused", "timeout", "too-many", "unknown"],
)
def test_connection_failures_are_classified_with_host_port_and_database_never_the_password(
    message: str, says: str
) -> None:
    described = describe_store_error(URL, libpq(message))
    assert described == says
    assert PASSWORD not in described


def test_an_unresolvable_host_is_named_as_such() -> None:
    orig = psycopg.OperationalError(
        "failed to resolve host 'db.example': [Errno -2] Name or service not known"
    )
    described = describe_store_error(URL, sa_exc.OperationalError(None, None, orig))
    assert (
        described
        == 'cannot resolve the host of the PostgreSQL server at db.example:6432 (database "acme_us")'
    )


def test_other_store_errors_are_named_by_their_type_only() -> None:
    """A failed statement carries the values of the rows it was writing: only its type is shown."""
    orig = psycopg.errors.UniqueViolation(f"duplicate key value (email)=(jane@example.com) {PASSWORD}")
    error = sa_exc.IntegrityError("INSERT INTO holders ...", {"email": "jane@example.com"}, orig)
    assert describe_store_error(URL, error) == "IntegrityError"
    assert describe_store_error("not a url :// at all", ValueError(PASSWORD)) == (
        "the store URL cannot be read (ValueError)"
    )
