"""The directory of instances: which instances exist, where they are served and where their data lives.

It holds metadata only (names, countries, hosts, key hashes, store locations, signing material) and never
end-user data. It is one JSON file (``directory.json`` in the data directory, mode 0600), changed under an
exclusive file lock and replaced atomically, so concurrent commands never see half a file.

Keys are shown once, when an instance is created or its keys are rotated, and kept only as hashes. The
development instances of the embedded default (``toolbox``, ``demo-ca``, ``demo-us``) are the exception: their
keys are kept so that ``finstance instances show`` can print them again; they only ever hold sandbox data.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from finstance.core.country import Country
from finstance.core.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_NAME,
    TOOLBOX_SECRET_KEY,
    InstanceSpec,
    sqlite_url,
    toolbox_spec,
)
from finstance.core.keys import hash_key, new_key

FILE_NAME = "directory.json"
DEFAULT_DOMAIN = "localhost"
_COMPANY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,40}[a-z0-9])?$")
ENTRY_FIELDS = frozenset(
    {
        "name", "company", "country", "customer_id", "api_host", "iframe_host", "store_url", "sandbox",
        "development", "secret_key_hash", "api_key_hash", "webhook_secret", "derive_key", "created_at",
        "keys_rotated_at", "dev_keys",
    }
)  # fmt: skip


class DirectoryError(Exception):
    """A directory operation that cannot be done; the message says why, for the person at the terminal."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """What an integrator needs to call an instance. Printed once; never stored in clear (but dev keys)."""

    name: str
    country: str
    customer_id: str
    secret_key: str
    api_key: str
    webhook_secret: str


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    company: str
    country: str
    customer_id: str
    api_host: str
    iframe_host: str
    store_url: str
    sandbox: bool
    development: bool
    secret_key_hash: str
    api_key_hash: str
    webhook_secret: str
    derive_key: str  # hex
    created_at: str
    keys_rotated_at: str | None = None
    dev_keys: dict[str, str] | None = field(default=None)

    @property
    def country_code(self) -> Country:
        return Country(self.country)

    def spec(self) -> InstanceSpec:
        if self.name == TOOLBOX_NAME:
            return replace(toolbox_spec(self.store_url), secret_key_hash=self.secret_key_hash,
                           api_key_hash=self.api_key_hash, webhook_secret=self.webhook_secret)  # fmt: skip
        return InstanceSpec(
            name=self.name,
            country=self.country_code,
            customer_id=self.customer_id,
            secret_key_hash=self.secret_key_hash,
            api_key_hash=self.api_key_hash,
            store_url=self.store_url,
            derive_key=bytes.fromhex(self.derive_key),
            sandbox=self.sandbox,
            webhook_secret=self.webhook_secret,
        )

    def public(self) -> dict[str, Any]:
        """What ``list``/``show`` print: no hashes, no signing material."""
        out = {
            "name": self.name,
            "company": self.company,
            "country": self.country,
            "customer_id": self.customer_id,
            "api_host": self.api_host,
            "iframe_host": self.iframe_host,
            "store": _redact(self.store_url),
            "sandbox": self.sandbox,
            "development": self.development,
            "created_at": self.created_at,
            "keys_rotated_at": self.keys_rotated_at,
        }
        if self.dev_keys:
            out.update(self.dev_keys)
        return out


def _redact(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url  # loaded when a URL is shown, not with the module

        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<invalid store URL>"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def instance_name(company: str, country: Country) -> str:
    return f"{company}-{country.value.lower()}"


class Directory:
    """The instances of one data directory."""

    def __init__(self, data_dir: Path, domain: str = DEFAULT_DOMAIN) -> None:
        self.data_dir = data_dir
        self.path = data_dir / FILE_NAME
        self.domain = domain

    # -- reading ----------------------------------------------------------------------------------

    def read_raw(self) -> dict[str, Any]:
        """The file as stored, checked to be a directory document."""
        try:
            raw = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {"version": 1, "instances": []}
        except (OSError, ValueError) as exc:
            raise DirectoryError(f"cannot read {self.path}: {exc}") from None
        if not isinstance(raw, dict) or not isinstance(raw.get("instances"), list):
            raise DirectoryError(f"{self.path} is not a finstance directory")
        return raw

    def entries(self) -> list[Entry]:
        out = []
        for item in self.read_raw()["instances"]:
            unknown = set(item) - ENTRY_FIELDS
            if unknown:
                raise DirectoryError(
                    f"{self.path}: unexpected fields {sorted(unknown)} in {item.get('name')!r}"
                )
            out.append(Entry(**item))
        return out

    def get(self, name: str) -> Entry:
        for entry in self.entries():
            if entry.name == name:
                return entry
        raise DirectoryError(f"no instance named {name!r} in {self.path}")

    def find(self, name: str) -> Entry | None:
        return next((e for e in self.entries() if e.name == name), None)

    def version(self) -> tuple[int, int]:
        """Changes whenever the file is replaced (each write makes a new inode), even within a clock tick."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return (0, 0)
        return (st.st_ino, st.st_mtime_ns)

    # -- changing ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[list[Entry]]:
        """Read, let the caller change the list, write it back atomically; all under an exclusive lock."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".directory.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            entries = self.entries()
            yield entries
            self._write(entries)

    def _write(self, entries: list[Entry]) -> None:
        doc = {"version": 1, "instances": [asdict(e) for e in entries]}
        fd, tmp = tempfile.mkstemp(dir=self.data_dir, prefix=".directory.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as f:
                json.dump(doc, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def default_store_url(self, name: str) -> str:
        return sqlite_url(self.data_dir / "stores" / f"{name}.db")

    def create(
        self,
        company: str,
        country: Country,
        *,
        store_url: str | None = None,
        sandbox: bool = False,
        development: bool = False,
        domain: str | None = None,
    ) -> tuple[Entry, Credentials]:
        company = company.strip().lower()
        if not _COMPANY.match(company):
            raise DirectoryError(
                f"invalid company {company!r}: use lower-case letters, digits and '-' (max 42)"
            )
        name = instance_name(company, country)
        keys = Credentials(name, country.value, new_key(), new_key(), new_key(), secrets.token_urlsafe(32))
        domain = domain or self.domain
        entry = Entry(
            name=name,
            company=company,
            country=country.value,
            customer_id=keys.customer_id,
            api_host=f"{name}-api.{domain}",
            iframe_host=f"{name}-iframe.{domain}",
            store_url=store_url or self.default_store_url(name),
            sandbox=sandbox,
            development=development,
            secret_key_hash=hash_key(keys.secret_key),
            api_key_hash=hash_key(keys.api_key),
            webhook_secret=keys.webhook_secret,
            derive_key=secrets.token_hex(32),
            created_at=_now(),
            dev_keys={"secret_key": keys.secret_key, "api_key": keys.api_key} if development else None,
        )
        with self._locked() as entries:
            if any(e.name == name for e in entries):
                raise DirectoryError(
                    f"instance {name!r} already exists: one instance serves one company in one country"
                )
            _check_store_free(entries, entry)
            entries.append(entry)
        return entry, keys

    def ensure_toolbox(self, domain: str | None = None) -> Entry:
        existing = self.find(TOOLBOX_NAME)
        if existing is not None:
            return existing
        domain = domain or self.domain
        entry = Entry(
            name=TOOLBOX_NAME,
            company=TOOLBOX_NAME,
            country=Country.CA.value,
            customer_id=TOOLBOX_CUSTOMER_ID,
            api_host=f"{TOOLBOX_NAME}-api.{domain}",
            iframe_host=f"{TOOLBOX_NAME}-iframe.{domain}",
            store_url=self.default_store_url(TOOLBOX_NAME),
            sandbox=True,
            development=True,
            secret_key_hash=hash_key(TOOLBOX_SECRET_KEY),
            api_key_hash=hash_key(TOOLBOX_API_KEY),
            webhook_secret=secrets.token_urlsafe(32),
            derive_key=toolbox_spec("sqlite://").derive_key.hex(),
            created_at=_now(),
            dev_keys={"secret_key": TOOLBOX_SECRET_KEY, "api_key": TOOLBOX_API_KEY},
        )
        with self._locked() as entries:
            if not any(e.name == TOOLBOX_NAME for e in entries):
                entries.append(entry)
        return self.get(TOOLBOX_NAME)

    def ensure_embedded_defaults(self) -> list[Entry]:
        """toolbox, demo-ca and demo-us: the instances `finstance serve` runs by default."""
        out = [self.ensure_toolbox()]
        for country in (Country.CA, Country.US):
            name = instance_name("demo", country)
            if self.find(name) is None:
                with contextlib.suppress(DirectoryError):  # created meanwhile by another command
                    self.create("demo", country, sandbox=True, development=True)
            out.append(self.get(name))
        return out

    def rotate_keys(self, name: str) -> Credentials:
        """New secret key and x-api-key; the old ones stop working, data and customerId stay."""
        secret, api = new_key(), new_key()
        with self._locked() as entries:
            for i, e in enumerate(entries):
                if e.name == name:
                    if e.name == TOOLBOX_NAME:
                        raise DirectoryError(
                            "toolbox keeps the public Flinks toolbox keys; they cannot be rotated"
                        )
                    entries[i] = replace(
                        e,
                        secret_key_hash=hash_key(secret),
                        api_key_hash=hash_key(api),
                        keys_rotated_at=_now(),
                        dev_keys={"secret_key": secret, "api_key": api} if e.development else None,
                    )
                    return Credentials(name, e.country, e.customer_id, secret, api, e.webhook_secret)
            raise DirectoryError(f"no instance named {name!r} in {self.path}")

    def delete(self, name: str) -> Entry:
        """Remove an instance from the directory; the caller deletes its store."""
        with self._locked() as entries:
            for i, e in enumerate(entries):
                if e.name == name:
                    del entries[i]
                    return e
            raise DirectoryError(f"no instance named {name!r} in {self.path}")


def same_store(a: str, b: str) -> bool:
    identity = store_identity(a)
    return identity is not None and identity == store_identity(b)


def store_identity(url: str) -> tuple[str, ...] | None:
    """What names a store whatever its URL's spelling: a SQLite file's resolved path, a PostgreSQL server's
    host, port and database. None for a store that is no other's (SQLite in memory)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return (backend, str(Path(parsed.database).resolve())) if parsed.database else None
    return (backend, str(parsed.host), str(parsed.port or 5432), str(parsed.database))


def _check_store_free(entries: list[Entry], new: Entry) -> None:
    for e in entries:
        if same_store(e.store_url, new.store_url):
            raise DirectoryError(
                f"the store of {new.name!r} is already the store of {e.name!r}; each instance needs its own"
            )
