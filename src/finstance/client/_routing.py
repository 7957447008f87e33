"""Several instances behind one object: pick the client by the end-user's country or by a loginId.

The Flinks rule: know the end-user's country before opening Connect or calling ``/Authorize``, then send
every later call about a loginId to the instance that issued it. :class:`Flinks` (sync) and
:class:`AsyncFlinks` hold one client per instance, all sharing one connection pool, and a
:class:`LoginStore` that remembers each loginId's instance. The clients they hand out consult the store,
so a loginId recorded for one instance is refused locally by every other instance's client.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import anyio
import anyio.to_thread
import httpx

from finstance.client._client import DEFAULT_TIMEOUT, AsyncFlinksClient, FlinksClient
from finstance.client._config import load_instances
from finstance.client._errors import UnknownLoginError
from finstance.client._instances import InstanceConfig
from finstance.client._logins import LoginRecord, LoginStore
from finstance.client._retry import RetryPolicy
from finstance.core.country import Country
from finstance.core.identifiers import Origin, classify

C = TypeVar("C", FlinksClient, AsyncFlinksClient)


class _Routes(Generic[C]):
    """The routing table, written once for both variants."""

    def __init__(
        self,
        instances: Iterable[InstanceConfig],
        logins: LoginStore | None,
        routes: Mapping[str, str] | None,
        make: Callable[[InstanceConfig], C],
    ) -> None:
        self.configs: dict[str, InstanceConfig] = {}
        for config in instances:
            if config.name in self.configs:
                raise ValueError(f"two instances are named {config.name!r}")
            self.configs[config.name] = config
        if not self.configs:
            raise ValueError("at least one instance is needed")
        self.logins = logins
        self.by_country: dict[Country, str] = {}
        chosen = {Country.parse(k): v for k, v in (routes or {}).items()}
        for country in Country:
            names = [c.name for c in self.configs.values() if c.country is country]
            if country in chosen:
                if chosen[country] not in names:
                    raise ValueError(
                        f"routes[{country.value}] = {chosen[country]!r} is not a {country.value} instance"
                    )
                self.by_country[country] = chosen[country]
            elif len(names) == 1:
                self.by_country[country] = names[0]
            elif len(names) > 1:
                raise ValueError(
                    f"{len(names)} instances serve {country.value} ({', '.join(names)}); "
                    f"say which one with routes={{{country.value!r}: NAME}}"
                )
        self.clients: dict[str, C] = {name: make(config) for name, config in self.configs.items()}

    def instance(self, name: str) -> C:
        try:
            return self.clients[name]
        except KeyError:
            raise KeyError(f"no instance named {name!r}; known: {', '.join(self.clients)}") from None

    def for_country(self, country: Country | str) -> C:
        parsed = Country.parse(str(country))
        name = self.by_country.get(parsed)
        if name is None:
            raise LookupError(f"no instance serves {parsed.value}")
        return self.clients[name]

    def tagged(self, login_id: str) -> str | None:
        """The instance whose finstance tag ``login_id`` carries, without the store."""
        for name, config in self.configs.items():
            if classify(login_id, config.customer_id) == Origin.THIS_INSTANCE:
                return name
        return None

    def owner(self, login_id: str) -> str | None:
        return self.tagged(login_id) or (self.logins.instance_of(login_id) if self.logins else None)

    def unknown(self, login_id: str) -> UnknownLoginError:
        return UnknownLoginError(
            "no instance is known for this LoginId: record it with record_login() when Connect returns it",
            http_status=None,
            flinks_code=None,
        )

    def resolve(self, instance: str | Country) -> InstanceConfig:
        if isinstance(instance, Country) or instance.upper() in Country.__members__:
            return self.configs[self.for_country_name(instance)]
        if instance not in self.configs:
            raise KeyError(f"no instance named {instance!r}")
        return self.configs[instance]

    def for_country_name(self, country: Country | str) -> str:
        parsed = Country.parse(str(country))
        name = self.by_country.get(parsed)
        if name is None:
            raise LookupError(f"no instance serves {parsed.value}")
        return name

    def store(self) -> LoginStore:
        if self.logins is None:
            raise RuntimeError("this router has no login store: pass logins=LoginStore(...)")
        return self.logins


class Flinks:
    """Synchronous clients of several instances, routed by country and by loginId.

    ::

        flinks = Flinks.from_config("flinks.toml", logins=LoginStore())
        url = flinks.connect_url("US", redirect_url="https://example.com/done")   # US end-user
        flinks.record_login(login_id, "US", end_user_ref="user-42", institution="FlinksCapital")
        detail = flinks.for_login(login_id).fetch_accounts_detail(login_id)
    """

    def __init__(
        self,
        instances: Iterable[InstanceConfig],
        *,
        logins: LoginStore | None = None,
        routes: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        owner = logins.instance_of if logins is not None else None
        self._routes: _Routes[FlinksClient] = _Routes(
            instances,
            logins,
            routes,
            lambda config: FlinksClient(
                config, http_client=self._http, retry=retry, sleep=sleep, login_owner=owner
            ),
        )

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        prefix: str = "FLINKS_",
        **options: Any,
    ) -> Flinks:
        """The instances of a TOML file and the environment (see :func:`load_instances`)."""
        return cls(load_instances(path, environ=environ, prefix=prefix).values(), **options)

    @property
    def instances(self) -> dict[str, InstanceConfig]:
        return dict(self._routes.configs)

    @property
    def logins(self) -> LoginStore | None:
        return self._routes.logins

    def instance(self, name: str) -> FlinksClient:
        return self._routes.instance(name)

    def for_country(self, country: Country | str) -> FlinksClient:
        """The client of the instance serving end-users of ``country``."""
        return self._routes.for_country(country)

    def for_login(self, login_id: str) -> FlinksClient:
        """The client of the instance that issued ``login_id``: known from its finstance tag, else from
        the login store. Raises :class:`UnknownLoginError` when neither knows it; nothing is sent."""
        owner = self._routes.owner(login_id)
        if owner is None or owner not in self._routes.clients:
            raise self._routes.unknown(login_id)
        return self._routes.clients[owner]

    def record_login(
        self,
        login_id: str,
        instance: str | Country,
        *,
        end_user_ref: str | None = None,
        institution: str | None = None,
    ) -> LoginRecord:
        """Remember that ``instance`` (a name, or the country whose instance opened Connect) issued
        ``login_id``, for ``end_user_ref`` at ``institution``."""
        config = self._routes.resolve(instance)
        return self._routes.store().record(
            login_id, config.name, config.country.value, end_user_ref=end_user_ref, institution=institution
        )

    def connect_url(
        self, country: Country | str, *, extra: Mapping[str, str | bool | int] | None = None, **options: Any
    ) -> str:
        """The Connect iframe URL for an end-user of ``country`` (see :meth:`FlinksClient.connect_url`)."""
        return self.for_country(country).connect_url(extra=extra, **options)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncFlinks:
    """The asynchronous twin of :class:`Flinks`. Its store calls run in a worker thread."""

    def __init__(
        self,
        instances: Iterable[InstanceConfig],
        *,
        logins: LoginStore | None = None,
        routes: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
    ) -> None:
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        owner = logins.instance_of if logins is not None else None
        self._routes: _Routes[AsyncFlinksClient] = _Routes(
            instances,
            logins,
            routes,
            lambda config: AsyncFlinksClient(
                config, http_client=self._http, retry=retry, sleep=sleep, login_owner=owner
            ),
        )

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        prefix: str = "FLINKS_",
        **options: Any,
    ) -> AsyncFlinks:
        """See :meth:`Flinks.from_config`."""
        return cls(load_instances(path, environ=environ, prefix=prefix).values(), **options)

    @property
    def instances(self) -> dict[str, InstanceConfig]:
        return dict(self._routes.configs)

    @property
    def logins(self) -> LoginStore | None:
        return self._routes.logins

    def instance(self, name: str) -> AsyncFlinksClient:
        return self._routes.instance(name)

    def for_country(self, country: Country | str) -> AsyncFlinksClient:
        """See :meth:`Flinks.for_country`."""
        return self._routes.for_country(country)

    async def for_login(self, login_id: str) -> AsyncFlinksClient:
        """See :meth:`Flinks.for_login`."""
        owner = self._routes.tagged(login_id)
        if owner is None and self._routes.logins is not None:
            owner = await anyio.to_thread.run_sync(self._routes.logins.instance_of, login_id)
        if owner is None or owner not in self._routes.clients:
            raise self._routes.unknown(login_id)
        return self._routes.clients[owner]

    async def record_login(
        self,
        login_id: str,
        instance: str | Country,
        *,
        end_user_ref: str | None = None,
        institution: str | None = None,
    ) -> LoginRecord:
        """See :meth:`Flinks.record_login`."""
        config = self._routes.resolve(instance)
        store = self._routes.store()

        def record() -> LoginRecord:
            return store.record(
                login_id,
                config.name,
                config.country.value,
                end_user_ref=end_user_ref,
                institution=institution,
            )

        return await anyio.to_thread.run_sync(record)

    async def connect_url(
        self, country: Country | str, *, extra: Mapping[str, str | bool | int] | None = None, **options: Any
    ) -> str:
        """See :meth:`Flinks.connect_url`."""
        return await self.for_country(country).connect_url(extra=extra, **options)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
