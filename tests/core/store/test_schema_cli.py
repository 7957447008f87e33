"""`finstance db upgrade | status` and `serve --no-migrate`: migrations as a release step, never a race."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from typer.testing import CliRunner

from finstance.cli import app
from finstance.core.country import Country
from finstance.core.store import Store
from finstance.core.store.engine import _alembic_config, head_revision
from finstance.instances.directory import Directory, Entry

runner = CliRunner()


def downgrade(entry: Entry, revision: str) -> None:
    """Put a store back at an older schema, as a store left by an older version of finstance."""
    store = Store(entry.store_url)
    try:
        cfg = _alembic_config()
        with store.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
            conn.commit()
        assert store.revision() == revision
    finally:
        store.dispose()


def test_status_upgrade_and_a_server_that_refuses_a_store_behind(tmp_path: Path) -> None:
    directory = Directory(tmp_path)
    ca, _ = directory.create("acme", Country.CA)
    us, _ = directory.create("acme", Country.US)
    for entry in (ca, us):
        Store(entry.store_url).migrate()
    status = runner.invoke(app, ["db", "status", "--json", "--data-dir", str(tmp_path)])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout) == [
        {"instance": "acme-ca", "revision": head_revision(), "head": head_revision()},
        {"instance": "acme-us", "revision": head_revision(), "head": head_revision()},
    ]

    downgrade(ca, "0002")
    behind = runner.invoke(app, ["db", "status", "--data-dir", str(tmp_path)])
    assert behind.exit_code == 1
    assert "acme-ca" in behind.stdout and "BEHIND" in behind.stdout

    refused = runner.invoke(
        app, ["serve", "--instance", "acme-ca", "--no-migrate", "--data-dir", str(tmp_path)]
    )
    assert refused.exit_code == 1
    assert "is at schema 0002" in refused.output and "finstance db upgrade" in refused.output
    assert "Traceback" not in refused.output

    upgraded = runner.invoke(app, ["db", "upgrade", "--json", "--data-dir", str(tmp_path)])
    assert upgraded.exit_code == 0, upgraded.output
    assert json.loads(upgraded.stdout) == [
        {"instance": "acme-ca", "from": "0002", "to": head_revision()},
        {"instance": "acme-us", "from": head_revision(), "to": head_revision()},
    ]
    again = runner.invoke(app, ["db", "status", "--instance", "acme-ca", "--data-dir", str(tmp_path)])
    assert again.exit_code == 0 and "current" in again.stdout


def test_upgrade_of_an_unknown_instance_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["db", "upgrade", "--instance", "nope-ca", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
