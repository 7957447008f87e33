"""The identity of one instance: a typed, validated value loaded once at start-up.

An instance is one deployment in one country, with its own customerId, keys and store. Nothing in the
process is shared between two instances but code: each app is built from one :class:`InstanceSpec`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from finstance.core.country import Country
from finstance.core.identifiers import IdMinter
from finstance.core.keys import hash_key

_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

# The public toolbox (sandbox) instance of Flinks: code written against it runs unchanged here.
TOOLBOX_NAME = "toolbox"
TOOLBOX_CUSTOMER_ID = "43387ca6-0391-4c82-857d-70d95f087ecb"
TOOLBOX_SECRET_KEY = "c4569c54-e167-4d34-8de6-f4113bc82414"  # noqa: S105 (public sandbox key)
TOOLBOX_API_KEY = "3d5266a8-b697-48d4-8de6-52e2e2662acc"


@dataclass(frozen=True, slots=True)
class InstanceSpec:
    """Everything that identifies one instance. Keys are held only as hashes."""

    name: str
    country: Country
    customer_id: str
    secret_key_hash: str
    api_key_hash: str
    store_url: str
    derive_key: bytes = field(repr=False)
    sandbox: bool = False  # sandbox instances are also "development mode" for webhook URL rules
    webhook_secret: str = field(default="", repr=False)  # signs webhooks; empty: derived from derive_key

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"invalid instance name {self.name!r}: use lower-case letters, digits and '-'")
        if not isinstance(self.country, Country):
            raise TypeError("country must be a Country")
        try:
            canonical = str(uuid.UUID(self.customer_id))
        except ValueError:
            raise ValueError(f"customerId {self.customer_id!r} is not a GUID") from None
        if canonical != self.customer_id:
            raise ValueError("customerId must be a lower-case hyphenated GUID")
        for label, value in (("secret key", self.secret_key_hash), ("x-api-key", self.api_key_hash)):
            if not value.startswith("sha256$"):
                raise ValueError(f"the {label} must be given as its hash")
        if not self.store_url:
            raise ValueError("store_url is required")
        if len(self.derive_key) < 16:
            raise ValueError("derive_key must hold at least 16 bytes")

    @property
    def signing_secret(self) -> str:
        if self.webhook_secret:
            return self.webhook_secret
        return hashlib.sha256(b"finstance-webhook|" + self.derive_key).hexdigest()

    @property
    def ids(self) -> IdMinter:
        return IdMinter(self.customer_id, self.derive_key)


def toolbox_spec(store_url: str) -> InstanceSpec:
    """The sandbox instance with the public toolbox credentials (reference 1.5)."""
    return InstanceSpec(
        name=TOOLBOX_NAME,
        country=Country.CA,
        customer_id=TOOLBOX_CUSTOMER_ID,
        secret_key_hash=hash_key(TOOLBOX_SECRET_KEY),
        api_key_hash=hash_key(TOOLBOX_API_KEY),
        store_url=store_url,
        # Toolbox is public; its derived identifiers need no secret, only stability.
        derive_key=hashlib.sha256(b"finstance-toolbox|" + TOOLBOX_CUSTOMER_ID.encode()).digest(),
        sandbox=True,
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


@dataclass(frozen=True, slots=True)
class Settings:
    """Lifetimes and limits of an instance. Defaults follow the Flinks reference (section 8.1)."""

    authorize_token_ttl: timedelta = timedelta(minutes=30)
    request_idle_ttl: timedelta = timedelta(minutes=8)  # authorization phase, and before the first data call
    request_processing_ttl: timedelta = timedelta(minutes=30)  # once data processing has started
    dispatch_limit: timedelta = timedelta(seconds=210)  # a sync call past this returns OPERATION_DISPATCHED
    aggregation_time: timedelta = timedelta(seconds=3)  # how long a live connection takes to aggregate
    job_lease: timedelta = timedelta(seconds=120)  # a claimed job not finished by then is claimed again
    max_body_bytes: int = 1_048_576
    # The paths that take a client's own data in bulk (Enrich's transaction uploads) accept this much instead.
    max_upload_bytes: int = 16_777_216
    # The paths that take an end-user's files (Upload's statements: 24 files, 20 MB each, 180 MB in all, as
    # Flinks limits them) accept this much: the files and their multipart framing.
    max_files_bytes: int = 190 * 1024 * 1024
    attributes_window: timedelta = timedelta(minutes=8)  # Enrich: after the RequestId's GetAccountsDetail
    webhook_attempts: int = 10  # Flinks: up to 10 delivery attempts...
    webhook_interval: timedelta = timedelta(minutes=30)  # ...30 minutes apart
    webhook_backoff: str = "fixed"  # or "exponential": interval * 2**(attempt-1), capped
    webhook_max_interval: timedelta = timedelta(hours=6)
    webhook_timeout_seconds: float = 15.0
    webhook_max_response_bytes: int = 65_536
    run_worker: bool = True  # run the job worker inside the API process
    worker_poll_seconds: float = 1.0  # data calls also run due jobs inline; this only bounds background lag
    migrate_on_start: bool = True
    # Requests whose handlers block (every store access) run in a thread pool; more threads than this per
    # process only add contention for the interpreter (measured on 2 cores: 40 threads halve the throughput of
    # 4 and quadruple the p99). PostgreSQL round trips overlap within these few.
    request_threads: int = 4
    # Rate limits on the authentication paths (services/ratelimit.py); 0 turns one off.
    rate_window: timedelta = timedelta(minutes=1)
    token_rate: int = 600  # GenerateAuthorizeToken calls per instance per window
    bad_secret_rate: int = 30  # wrong secret keys per instance per window; then every key waits
    authorize_rate: int = 1200  # Authorize calls per instance per window
    login_rate: int = 30  # Authorize calls per loginId (or institution + username) per window
    max_failed_answers: int = 3  # MFA answers refused in one session before it ends
    # Serialized GetAccountsDetail answers kept in each API process, per instance (connect/documents.py);
    # 0 turns the cache off.
    document_cache_bytes: int = 64 * 1024 * 1024
    # Hot paths answered before the router (core/http/fastlane.py); off, every request goes to the routes.
    fast_lane: bool = True
    # How often each process of the instance lets go of what it keeps in memory of logins another process
    # deleted (core/worker.py, Sweeper; Product.sweep).
    memory_sweep_seconds: float = 2.0


ENV_PREFIX = "FINSTANCE_"


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings with each field read from ``FINSTANCE_<FIELD>`` when set (durations in seconds), e.g.
    ``FINSTANCE_LOGIN_RATE=10``, ``FINSTANCE_RATE_WINDOW=60``, ``FINSTANCE_MAX_BODY_BYTES=65536``.

    Every process of an instance reads the same environment, so they all apply the same limits.
    A value that cannot be read raises ValueError naming the variable.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in dataclasses.fields(Settings):
        raw = environ.get(ENV_PREFIX + f.name.upper())
        if raw is None:
            continue
        default = getattr(Settings(), f.name)
        try:
            if isinstance(default, bool):
                if raw.strip().lower() not in ("true", "false", "1", "0"):
                    raise ValueError
                values[f.name] = raw.strip().lower() in ("true", "1")
            elif isinstance(default, timedelta):
                values[f.name] = timedelta(seconds=float(raw))
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid value") from None
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]
