"""Instance configs from a TOML file and environment variables.

A file lists instances by name; each table says where the instance lives (``kind``) and what it needs::

    [instances.acme-ca]
    kind = "flinks"            # a Flinks host: https://{company}-{country}-api.private.fin.ag
    company = "acme"
    country = "CA"
    customer_id = "2f1b6c8e-0d7a-4c55-9e3b-8a1f2c3d4e5f"

    [instances.toolbox]
    kind = "toolbox"           # the public Flinks toolbox, public keys included

    [instances.dev-us]
    kind = "local"             # a finstance server (202 answers polled every poll_interval = 1 s)
    api_base_url = "http://127.0.0.1:8002"
    country = "US"
    customer_id = "..."

    [instances.local-acme-ca]
    kind = "local"             # `finstance serve --region CA --port 9000`: a *.localhost host is reached
    api_base_url = "http://acme-ca-api.localhost:9000"     # on 127.0.0.1 with it in Host (resolve_to)
    connect_base_url = "http://acme-ca-iframe.localhost:9000"
    country = "CA"
    customer_id = "..."

Keys are best kept out of files: every field of an instance can come from the environment as
``{PREFIX}{NAME}_{FIELD}`` (``FLINKS_ACME_CA_SECRET_KEY``, ``FLINKS_ACME_CA_API_KEY``,
``FLINKS_ACME_CA_WEBHOOK_SECRET``; the name upper-cased, ``-`` as ``_``), which wins over the file.
``{PREFIX}INSTANCES`` (``acme-ca,acme-us``) declares instances without any file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from finstance.client._instances import (
    FLINKS_POLL_INTERVAL,
    LOCAL_POLL_INTERVAL,
    InstanceConfig,
    flinks_instance,
    flinks_toolbox,
    local,
)

FIELDS = (
    "kind",
    "company",
    "country",
    "customer_id",
    "secret_key",
    "api_key",
    "webhook_secret",
    "api_base_url",
    "connect_base_url",
    "requires_authorize_token",
    "poll_interval",
    "resolve_to",
)
_BOOLEAN = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _env_name(prefix: str, name: str, field: str) -> str:
    return f"{prefix}{name.upper().replace('-', '_')}_{field.upper()}"


def _boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    parsed = _BOOLEAN.get(str(value).strip().lower())
    if parsed is None:
        raise ValueError(f"{where}: expected true or false, not {value!r}")
    return parsed


def _seconds(value: Any, where: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: poll_interval must be a number of seconds, not {value!r}") from None


def _build(name: str, values: Mapping[str, Any]) -> InstanceConfig:
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ValueError(f"instance {name!r}: unknown field(s) {', '.join(unknown)}")
    kind = values.get("kind") or ("local" if "api_base_url" in values else "flinks")

    def need(field: str) -> str:
        value = values.get(field)
        if not value:
            raise ValueError(f"instance {name!r} ({kind}) needs {field}")
        return str(value)

    requires_token = _boolean(values.get("requires_authorize_token", True), f"instance {name!r}")
    webhook_secret = values.get("webhook_secret") or None
    given_interval = values.get("poll_interval")
    poll_interval = None if given_interval is None else _seconds(given_interval, f"instance {name!r}")
    resolve_to = values.get("resolve_to") or None
    if resolve_to is not None and kind != "local":
        raise ValueError(f"instance {name!r}: resolve_to applies to local instances only")
    if kind == "toolbox":
        base = flinks_toolbox()
        return InstanceConfig(
            name=name, country=base.country, customer_id=base.customer_id, api_base_url=base.api_base_url,
            connect_base_url=base.connect_base_url, secret_key=base.secret_key, api_key=base.api_key,
            webhook_secret=webhook_secret, requires_authorize_token=requires_token,
            poll_interval=FLINKS_POLL_INTERVAL if poll_interval is None else poll_interval,
        )  # fmt: skip
    if kind == "flinks":
        config = flinks_instance(
            need("company"), need("country"), need("customer_id"), need("secret_key"), need("api_key"),
            webhook_secret=webhook_secret, requires_authorize_token=requires_token,
        )  # fmt: skip
        if config.name != name:
            raise ValueError(f"instance {name!r}: company and country make {config.name!r}; use that name")
        return config if poll_interval is None else replace(config, poll_interval=poll_interval)
    if kind == "local":
        return local(
            need("api_base_url"), need("customer_id"), need("secret_key"), need("api_key"),
            name=name, country=need("country"), connect_base_url=values.get("connect_base_url") or None,
            webhook_secret=webhook_secret, requires_authorize_token=requires_token,
            poll_interval=LOCAL_POLL_INTERVAL if poll_interval is None else poll_interval,
            resolve_to=resolve_to,
        )  # fmt: skip
    raise ValueError(f"instance {name!r}: kind must be flinks, toolbox or local, not {kind!r}")


def load_instances(
    path: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    prefix: str = "FLINKS_",
) -> dict[str, InstanceConfig]:
    """The instances of a TOML file (optional) completed and overridden by the environment, by name."""
    env = os.environ if environ is None else environ
    tables: dict[str, dict[str, Any]] = {}
    if path is not None:
        with Path(path).expanduser().open("rb") as f:
            document = tomllib.load(f)
        instances = document.get("instances", {})
        if not isinstance(instances, dict):
            raise ValueError(f"{path}: [instances] must be a table of tables")
        for name, table in instances.items():
            if not isinstance(table, dict):
                raise ValueError(f"{path}: instances.{name} must be a table")
            tables[name] = dict(table)
    declared = env.get(f"{prefix}INSTANCES", "")
    for name in (part.strip() for part in declared.split(",")):
        if name:
            tables.setdefault(name, {})
    for name, table in tables.items():
        for field in FIELDS:
            value = env.get(_env_name(prefix, name, field))
            if value is not None:
                table[field] = value
    return {name: _build(name, table) for name, table in tables.items()}
