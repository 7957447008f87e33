"""Where an instance lives and how to authenticate to it: :class:`InstanceConfig` and its presets."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_NAME, TOOLBOX_SECRET_KEY

FLINKS_DOMAIN = "private.fin.ag"
_COMPANY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True, slots=True)
class InstanceConfig:
    """One instance as a client sees it: its name, country, customerId, URLs and keys."""

    name: str
    country: Country
    customer_id: str
    api_base_url: str
    connect_base_url: str
    secret_key: str = field(repr=False)
    api_key: str = field(repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    # Connect needs a fresh authorize token in its URL (mandatory for integrations made after October 2024).
    requires_authorize_token: bool = True

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("an instance needs a name")
        object.__setattr__(self, "country", Country.parse(str(self.country)))
        try:
            canonical = str(uuid.UUID(self.customer_id))
        except (ValueError, AttributeError, TypeError):
            raise ValueError(f"customerId {self.customer_id!r} is not a GUID") from None
        object.__setattr__(self, "customer_id", canonical)
        for attr in ("api_base_url", "connect_base_url"):
            url: str = getattr(self, attr)
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"{attr} must be an http(s) URL, not {url!r}")
            object.__setattr__(self, attr, url.rstrip("/"))

    @property
    def banking_url(self) -> str:
        """The root of the Connect API: ``{api_base_url}/v3/{customerId}/BankingServices``."""
        return f"{self.api_base_url}/v3/{self.customer_id}/BankingServices"


def flinks_toolbox() -> InstanceConfig:
    """The public Flinks toolbox (sandbox), with its public keys."""
    return InstanceConfig(
        name=TOOLBOX_NAME,
        country=Country.CA,
        customer_id=TOOLBOX_CUSTOMER_ID,
        api_base_url=f"https://{TOOLBOX_NAME}-api.{FLINKS_DOMAIN}",
        connect_base_url=f"https://{TOOLBOX_NAME}-iframe.{FLINKS_DOMAIN}",
        secret_key=TOOLBOX_SECRET_KEY,
        api_key=TOOLBOX_API_KEY,
    )


def flinks_instance(
    company: str,
    country: Country | str,
    customer_id: str,
    secret_key: str,
    api_key: str,
    *,
    webhook_secret: str | None = None,
    requires_authorize_token: bool = True,
) -> InstanceConfig:
    """A production Flinks instance: ``https://{company}-{ca|us}-api.private.fin.ag`` and its iframe."""
    if not _COMPANY.match(company):
        raise ValueError(f"invalid company {company!r}: use lower-case letters, digits and '-'")
    parsed = Country.parse(str(country))
    name = f"{company}-{parsed.value.lower()}"
    return InstanceConfig(
        name=name,
        country=parsed,
        customer_id=customer_id,
        api_base_url=f"https://{name}-api.{FLINKS_DOMAIN}",
        connect_base_url=f"https://{name}-iframe.{FLINKS_DOMAIN}",
        secret_key=secret_key,
        api_key=api_key,
        webhook_secret=webhook_secret,
        requires_authorize_token=requires_authorize_token,
    )


def local(
    base_url: str,
    customer_id: str,
    secret_key: str,
    api_key: str,
    *,
    name: str = "local",
    country: Country | str = Country.CA,
    connect_base_url: str | None = None,
    webhook_secret: str | None = None,
    requires_authorize_token: bool = True,
) -> InstanceConfig:
    """A finstance server (or an in-process app) at ``base_url``; Connect is served from the same URL
    unless ``connect_base_url`` says otherwise."""
    return InstanceConfig(
        name=name,
        country=Country.parse(str(country)),
        customer_id=customer_id,
        api_base_url=base_url,
        connect_base_url=connect_base_url or base_url,
        secret_key=secret_key,
        api_key=api_key,
        webhook_secret=webhook_secret,
        requires_authorize_token=requires_authorize_token,
    )


EMBEDDED = ("toolbox", "demo-ca", "demo-us")  # the instances `finstance serve` runs by default, in port order


def local_embedded(
    data_dir: str | Path, *, host: str = "127.0.0.1", port: int = 8000
) -> list[InstanceConfig]:
    """The toolbox, demo-ca and demo-us instances of ``finstance serve --data-dir DATA_DIR --port PORT``
    (ports PORT, PORT+1, PORT+2), with the development keys that server keeps in its directory."""
    # The server keeps these in its directory file (JSON); the SDK reads the file itself, so that this preset
    # needs no server module.
    path = Path(data_dir).expanduser() / "directory.json"
    try:
        raw = json.loads(path.read_text())
        entries = {item["name"]: item for item in raw["instances"]}
    except FileNotFoundError:
        raise ValueError(f"{path} does not exist; run `finstance serve --data-dir {data_dir}` once") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a finstance directory: {exc}") from None
    configs = []
    for offset, name in enumerate(EMBEDDED):
        entry = entries.get(name)
        if entry is None or not entry.get("dev_keys"):
            raise ValueError(f"{name} has no development keys in {path}; run `finstance serve` once")
        configs.append(
            local(
                f"http://{host}:{port + offset}",
                entry["customer_id"],
                entry["dev_keys"]["secret_key"],
                entry["dev_keys"]["api_key"],
                name=name,
                country=entry["country"],
                webhook_secret=entry["webhook_secret"],
            )
        )
    return configs
