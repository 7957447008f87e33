"""Nothing instance A stores or hands out ends up in instance B's store, even when A's identifiers are
presented to B: every column of every table of B is scanned for every value A produced."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from finstance.app import schema
from finstance.core.clock import ManualClock
from finstance.core.keys import hash_token
from finstance.core.store import Store
from tests.conftest import serve_in_process
from tests.residency.conftest import DIRECTIONS, build
from tests.residency.helpers import full_flows
from tests.residency.test_isolation import ENDPOINTS, identifier

GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DISTINCTIVE = re.compile(rf"^(?:{GUID}|[0-9a-f]{{32,64}})$", re.IGNORECASE)


def dump(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (the models' and any other, such as alembic_version)."""
    present = set(inspect(store.engine).get_table_names())
    declared = schema().sorted_tables
    known = {t.name for t in declared}
    rows: dict[str, list[dict[str, Any]]] = {}
    with store.read() as db:
        for table in declared:
            rows[table.name] = [dict(r._mapping) for r in db.execute(select(table))]
        for name in sorted(present - known):
            rows[name] = [dict(r._mapping) for r in db.execute(text(f'SELECT * FROM "{name}"'))]  # noqa: S608
    return rows


def as_text(value: Any) -> str | bytes:
    if isinstance(value, bytes | memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False).lower()
    return str(value).lower()


def whole(marker: str, stored: str | bytes) -> bool:
    """Whether ``marker`` is in ``stored`` as a whole: not inside a longer run of letters and digits. A short
    value (a ZIP code such as 02176) turns up by chance inside the hex digits of B's own hashes; a value that
    was really copied keeps its boundaries (quotes, separators) around it."""
    if isinstance(stored, bytes):
        pattern: re.Pattern[Any] = re.compile(
            rb"(?<![0-9A-Za-z])" + re.escape(marker.encode()) + rb"(?![0-9A-Za-z])"
        )
        return pattern.search(stored) is not None
    needle = re.escape(marker.lower())
    return re.search(rf"(?<![0-9a-z]){needle}(?![0-9a-z])", stored) is not None


def found_in(rows: dict[str, list[dict[str, Any]]], markers: set[str]) -> list[tuple[str, str, str]]:
    hits = []
    for table, items in rows.items():
        for row in items:
            for column, value in row.items():
                if value is None:
                    continue
                stored = as_text(value)
                for marker in markers:
                    needle: str | bytes = marker.encode() if isinstance(stored, bytes) else marker.lower()
                    if needle in stored and whole(marker, stored):  # type: ignore[operator]
                        hits.append((table, column, marker))
    return hits


def distinctive_values(rows: dict[str, list[dict[str, Any]]]) -> set[str]:
    """A's identifiers, hashes (tokens, stored MFA answers) and holder data, read from A's own store."""
    values: set[str] = set()
    for table, items in rows.items():
        for row in items:
            for column, value in row.items():
                if table == "holders" and isinstance(value, str) and len(value) >= 5:
                    values.add(value)
                for item in value.values() if isinstance(value, dict) else [value]:
                    if isinstance(item, str) and DISTINCTIVE.match(item):
                        values.add(item)
                    if table == "logins" and column == "username":
                        values.add(str(item))
    return values


@pytest.mark.parametrize("direction", DIRECTIONS)
async def test_store_of_b_holds_nothing_of_a_after_full_flows_and_wrong_instance_calls(
    direction: tuple[str, str], store_pair: tuple[str, str], clock: ManualClock
) -> None:
    """After full flows on A and every identifier-taking endpoint of B called with A's identifiers, B's
    store holds none of A's values in any column, and only its stamp, alembic_version and the tokens and
    (refused) sessions B itself created."""
    a, b = build(direction[0], store_pair[0]), build(direction[1], store_pair[1])
    async with serve_in_process(a.spec, clock) as http_a, serve_in_process(b.spec, clock) as http_b:
        produced = await full_flows(a.client(http_a), clock)
        fb = b.client(http_b)
        b_sessions: set[str] = set()
        for endpoint in ENDPOINTS:
            answer = await endpoint.call(fb, identifier(endpoint, produced), produced)
            assert answer.status_code in (400, 401), answer.text
            if "RequestId" in answer.json():
                b_sessions.add(answer.json()["RequestId"])

    store_a, store_b = Store(a.spec.store_url), Store(b.spec.store_url)
    try:
        rows_a, rows_b = dump(store_a), dump(store_b)
    finally:
        store_a.dispose()
        store_b.dispose()

    markers = produced.values | distinctive_values(rows_a) | {a.spec.customer_id}
    if a.spec.customer_id != b.spec.customer_id:
        assert a.spec.customer_id not in json.dumps(rows_b, default=str)
    # The scanner works: A's own store does hold what A produced.
    assert {produced.login_id, produced.request_id} <= {m for _, _, m in found_in(rows_a, markers)}
    assert len(rows_a["holders"]) == 1 and len(rows_a["transactions"]) > 100 and rows_a["statements"]

    assert found_in(rows_b, markers) == []

    assert [(s["instance_name"], s["customer_id"]) for s in rows_b["residency_stamp"]] == [
        (b.spec.name, b.spec.customer_id)
    ]
    assert len(rows_b["alembic_version"]) == 1
    assert {t["token_hash"] for t in rows_b["authorize_tokens"]} <= {hash_token(t) for t in fb.minted}
    assert {s["id"] for s in rows_b["sessions"]} == b_sessions
    for session in rows_b["sessions"]:  # refused on the spot: no login, no user, no challenge
        assert (session["state"], session["login_id"], session["username"]) == ("failed", None, "")
        assert session["challenge"] == []
    others = {t: r for t, r in rows_b.items() if t not in {"residency_stamp", "alembic_version"}}
    others.pop("authorize_tokens")
    others.pop("sessions")
    # B counted its own calls for its rate limits, under keys of its own: none is one of A's.
    counters_b = others.pop("rate_counters")
    assert counters_b and {c["key"] for c in counters_b}.isdisjoint(
        {c["key"] for c in rows_a["rate_counters"]}
    )
    assert {t: len(r) for t, r in others.items() if r} == {}

    url = make_url(b.spec.store_url)
    if url.get_backend_name() == "sqlite":  # the raw files too, freed pages and WAL included
        for path in Path(url.database or "").parent.iterdir():
            if not path.is_file():  # a worker's wake pipe holds no data (and reading it would wait)
                continue
            raw = path.read_bytes().lower()
            assert [m for m in markers if m.lower().encode() in raw] == [], path
