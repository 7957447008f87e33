"""Two instances side by side, each on its own fresh store of the same backend.

``store_pair`` gives two empty store URLs (SQLite files in separate directories, or two PostgreSQL
databases cloned from the migrated template); ``build`` turns an instance kind into a spec with freshly
generated keys, and ``Party`` carries what a client of that instance needs.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from finstance.core.country import Country
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_SECRET_KEY,
    InstanceSpec,
    sqlite_url,
    toolbox_spec,
)
from finstance.core.keys import hash_key, new_key
from tests.conftest import BACKENDS, PostgresDatabases
from tests.residency.helpers import RecordingFlinks

# (A, B): identifiers and data are produced on A, then presented to / looked for on B.
DIRECTIONS = [
    pytest.param(("acme-ca", "acme-us"), id="ca-to-us"),
    pytest.param(("acme-us", "acme-ca"), id="us-to-ca"),
    pytest.param(("toolbox", "acme-ca"), id="sandbox-to-prod"),
    pytest.param(("acme-ca", "toolbox"), id="prod-to-sandbox"),
]


@dataclass(frozen=True)
class Party:
    """One instance: its spec and the plain keys its integrator holds."""

    spec: InstanceSpec
    secret_key: str
    api_key: str

    @property
    def country(self) -> Country:
        return self.spec.country

    def client(self, http: httpx.AsyncClient) -> RecordingFlinks:
        return RecordingFlinks(http, self.spec.customer_id, self.secret_key, self.api_key, self.country)


def build(kind: str, store_url: str) -> Party:
    """A spec for ``acme-ca`` / ``acme-us`` (production, generated keys) or ``toolbox`` (sandbox)."""
    if kind == "toolbox":
        return Party(toolbox_spec(store_url), TOOLBOX_SECRET_KEY, TOOLBOX_API_KEY)
    country = {"acme-ca": Country.CA, "acme-us": Country.US}[kind]
    secret, api = new_key(), new_key()
    spec = InstanceSpec(
        name=kind,
        country=country,
        customer_id=str(uuid.uuid4()),
        secret_key_hash=hash_key(secret),
        api_key_hash=hash_key(api),
        store_url=store_url,
        derive_key=os.urandom(32),
        sandbox=False,
    )
    return Party(spec, secret, api)


@pytest.fixture(params=BACKENDS)
def store_pair(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresDatabases | None
) -> Iterator[tuple[str, str]]:
    """Two fresh, empty store URLs on the same backend: one per instance, nothing shared."""
    if request.param == "sqlite":
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        yield sqlite_url(tmp_path / "a" / "instance.db"), sqlite_url(tmp_path / "b" / "instance.db")
        return
    assert postgres is not None
    names = [postgres.create(), postgres.create()]
    try:
        yield postgres.url(names[0]), postgres.url(names[1])
    finally:
        for name in names:
            postgres.drop(name)
