"""Where an instance lives and how to authenticate to it: :class:`InstanceConfig` and its presets."""

from __future__ import annotations

import ipaddress
import json
import math
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from finstance.core.country import Country
from finstance.core.instance import TOOLBOX_API_KEY, TOOLBOX_CUSTOMER_ID, TOOLBOX_NAME, TOOLBOX_SECRET_KEY

FLINKS_DOMAIN = "private.fin.ag"
_COMPANY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")

FLINKS_POLL_INTERVAL = 10.0  # seconds: the interval Flinks asks integrators to poll its Async endpoints at
LOCAL_POLL_INTERVAL = 1.0  # seconds: a finstance server aggregates in about 3 s
LOOPBACK = "127.0.0.1"  # where a *.localhost host is reached (RFC 6761), as browsers do


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
    # Seconds between two polls of an Async endpoint while the answer is 202, unless the call says otherwise.
    poll_interval: float = FLINKS_POLL_INTERVAL
    # The address (IP or host name) requests are sent to instead of the host of api_base_url, which then goes
    # in the Host header (as `curl --resolve` does): how a `*.localhost` host is reached where the resolver
    # does not know it. Plain http only. None: the host of api_base_url is resolved as usual.
    resolve_to: str | None = None

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
        if isinstance(self.poll_interval, bool) or not isinstance(self.poll_interval, int | float):
            raise ValueError(f"poll_interval must be a number of seconds, not {self.poll_interval!r}")
        if not (self.poll_interval > 0 and math.isfinite(self.poll_interval)):
            raise ValueError(
                f"poll_interval must be a positive number of seconds, not {self.poll_interval!r}"
            )
        object.__setattr__(self, "poll_interval", float(self.poll_interval))
        if self.resolve_to is not None:
            object.__setattr__(self, "resolve_to", _address(self.resolve_to, self.api_base_url))

    @property
    def banking_url(self) -> str:
        """The root of the Connect API: ``{api_base_url}/v3/{customerId}/BankingServices``."""
        return f"{self.api_base_url}/v3/{self.customer_id}/BankingServices"

    def request_target(self) -> tuple[str, str | None]:
        """Where requests really go: the root of the Connect API as sent, and the ``Host`` header to send
        with it (``None`` when the URL's own host is used, i.e. without :attr:`resolve_to`)."""
        if self.resolve_to is None:
            return self.banking_url, None
        parts = urlsplit(self.api_base_url)
        address = f"[{self.resolve_to}]" if ":" in self.resolve_to else self.resolve_to
        port = f":{parts.port}" if parts.port is not None else ""
        return (
            f"{parts.scheme}://{address}{port}{parts.path}/v3/{self.customer_id}/BankingServices",
            parts.netloc,
        )


def _address(value: str, api_base_url: str) -> str:
    """A valid ``resolve_to``: an IP address (IPv6 without brackets) or a host name, for an http URL."""
    if not api_base_url.startswith("http://"):
        raise ValueError("resolve_to needs a plain http api_base_url (TLS would check the certificate of it)")
    address = value.strip().removeprefix("[").removesuffix("]")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        pass
    if not _HOSTNAME.match(address):
        raise ValueError(f"resolve_to must be an IP address or a host name, not {value!r}")
    return address


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
    poll_interval: float = LOCAL_POLL_INTERVAL,
    resolve_to: str | None = None,
) -> InstanceConfig:
    """A finstance server (or an in-process app) at ``base_url``; Connect is served from the same URL
    unless ``connect_base_url`` says otherwise.

    A finstance server aggregates in seconds, so 202 answers are polled every ``poll_interval`` (1 s)
    rather than at Flinks' 10 s. When the host of ``base_url`` is a ``*.localhost`` name (the hosts of
    ``finstance serve --region``), requests go to ``127.0.0.1`` with that host in the ``Host`` header, as
    browsers do, since the resolver may not know such names; ``resolve_to`` names another address."""
    parts = urlsplit(base_url)
    if resolve_to is None and parts.scheme == "http" and (parts.hostname or "").endswith(".localhost"):
        resolve_to = LOOPBACK
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
        poll_interval=poll_interval,
        resolve_to=resolve_to,
    )


def local_region(
    company: str,
    country: Country | str,
    customer_id: str,
    secret_key: str,
    api_key: str,
    *,
    port: int = 8000,
    address: str = LOOPBACK,
    domain: str = "localhost",
    webhook_secret: str | None = None,
    requires_authorize_token: bool = True,
    poll_interval: float = LOCAL_POLL_INTERVAL,
) -> InstanceConfig:
    """An instance of ``finstance serve --region COUNTRY --port PORT``: the server at ``address:port``
    routes each request by its ``Host`` header, so requests go there with the instance's API host
    ``{company}-{ca|us}-api.{domain}`` in ``Host``. The Connect URLs keep the iframe host
    ``http://{company}-{ca|us}-iframe.{domain}:PORT``, which browsers resolve themselves."""
    if not _COMPANY.match(company):
        raise ValueError(f"invalid company {company!r}: use lower-case letters, digits and '-'")
    parsed = Country.parse(str(country))
    name = f"{company}-{parsed.value.lower()}"
    return local(
        f"http://{name}-api.{domain}:{port}",
        customer_id,
        secret_key,
        api_key,
        name=name,
        country=parsed,
        connect_base_url=f"http://{name}-iframe.{domain}:{port}",
        webhook_secret=webhook_secret,
        requires_authorize_token=requires_authorize_token,
        poll_interval=poll_interval,
        resolve_to=address,
    )


EMBEDDED = ("toolbox", "demo-ca", "demo-us")  # the instances `finstance serve` runs by default, in port order


def local_embedded(
    data_dir: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    poll_interval: float = LOCAL_POLL_INTERVAL,
) -> list[InstanceConfig]:
    """The toolbox, demo-ca and demo-us instances of ``finstance serve --data-dir DATA_DIR --port PORT``
    (ports PORT, PORT+1, PORT+2), with the development keys that server keeps in its directory. 202
    answers are polled every ``poll_interval`` seconds (see :func:`local`)."""
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
                poll_interval=poll_interval,
            )
        )
    return configs
