"""The pytest plugin as an integrator meets it: installed with finstance, fixtures ready, no network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INTEGRATOR_SUITE = """
from datetime import date

import pytest
from finstance.client import WrongInstanceLoginError, upload_transaction
from finstance.testing import connect, connect_async


def test_two_countries(finstance_flinks):
    ids = {}
    for country in ("CA", "US"):
        session = connect(finstance_flinks.for_country(country))
        finstance_flinks.record_login(session.login.id, country, end_user_ref="u-" + country)
        ids[country] = session.login.id
    detail = finstance_flinks.for_login(ids["US"]).fetch_accounts_detail(ids["US"])
    assert {a.currency for a in detail.accounts} == {"USD"}
    with pytest.raises(WrongInstanceLoginError):
        finstance_flinks.for_country("CA").delete_card(ids["US"])


def test_reset_between_tests(finstance_sandbox):
    client = finstance_sandbox.client("demo-ca")
    assert connect(client).login is not None


@pytest.mark.asyncio
async def test_async(finstance_async_flinks):
    session = await connect_async(finstance_async_flinks.for_country("US"))
    client = await finstance_async_flinks.for_login(session.login.id)
    detail = await client.fetch_accounts_detail(session.login.id)
    assert detail.login.id == session.login.id


def test_enrich(finstance_flinks):
    client = finstance_flinks.for_country("CA")
    login_id = connect(client).login.id
    income = client.fetch_attributes(login_id, "GetIncomeAttributes")
    assert income.card["Id"] == login_id and income.card["has_employer_income"] == "YES"
    categorized = client.fetch_categorization(login_id, explain=True)
    assert categorized.transactions and all(t.rule for t in categorized.transactions)
    own = [upload_transaction(date(2026, 4, 1), "SSA TREAS 310 XXSOC SEC", credit=1402)]
    us = finstance_flinks.for_country("US").upload_categorization(own, most_recent_balance=1402.0)
    assert us.transactions[0].sub_category == "Government Pension"
"""


def test_an_integrators_suite_runs_full_flows_with_the_plugins_fixtures(tmp_path: Path) -> None:
    (tmp_path / "test_integration.py").write_text(INTEGRATOR_SUITE)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = error\nasyncio_default_fixture_loop_scope = function\n"
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout


def test_the_plugin_is_registered_by_the_package_and_imports_nothing_heavy() -> None:
    code = (
        "import sys, importlib.metadata as m;"
        "eps = [e for e in m.entry_points(group='pytest11') if e.name == 'finstance'];"
        "assert eps and eps[0].value == 'finstance.testing.plugin', eps;"
        "eps[0].load();"
        "print(sorted(n for n in ('fastapi', 'sqlalchemy', 'finstance.app') if n in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
