"""The sync and async clients: thin shells over :class:`ClientCore` that send requests and sleep."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar

import anyio
import httpx
from pydantic import BaseModel

from finstance import wire
from finstance.client._core import DETAIL, STATEMENTS, SUMMARY, APIRequest, ClientCore, Poller
from finstance.client._errors import FlinksAPIError, OperationInProgressError
from finstance.client._instances import InstanceConfig

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = 60.0


def _authorize_request(
    *,
    login_id: str | None,
    institution: str | None,
    username: str | None,
    password: str | None,
    most_recent_cached: bool | None,
    language: wire.Language,
    tag: str | None,
    save: bool,
    schedule_refresh: bool,
) -> wire.AuthorizeRequest:
    if login_id is None and (institution is None or username is None or password is None):
        raise ValueError("authorize needs a login_id, or institution, username and password")
    if most_recent_cached is None:
        most_recent_cached = login_id is not None and username is None
    return wire.AuthorizeRequest(
        login_id=login_id,
        institution=institution,
        username=username,
        password=password,
        most_recent_cached=most_recent_cached,
        language=language,
        tag=tag,
        save=save,
        schedule_refresh=schedule_refresh,
    )


def _detail_request(request_id: str, options: Mapping[str, Any]) -> wire.AccountsDetailRequest:
    return wire.AccountsDetailRequest.model_validate({"request_id": request_id, **options})


def _cached_session(answer: wire.AuthorizeResponse, core: ClientCore) -> str:
    if answer.http_status_code != 200:
        raise FlinksAPIError(
            "a cached Authorize answered with a security challenge",
            http_status=answer.http_status_code,
            flinks_code=None,
            request_id=answer.request_id,
            instance=core.config.name,
        )
    return answer.request_id


class FlinksClient:
    """A synchronous client of one instance.

    ``http_client`` lets callers share a pool or plug a transport (``httpx.MockTransport``, Starlette's
    ``TestClient``); a client it did not create is not closed by :meth:`close`.
    """

    def __init__(
        self,
        config: InstanceConfig,
        *,
        http_client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.config = config
        self._core = ClientCore(config)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = (200,)) -> M:
        response = self._http.request(
            request.method, request.url, headers=request.headers, json=request.json, params=request.params
        )
        return self._core.parse(request, response.status_code, response.content, model, ok=ok)

    # -- authorization -------------------------------------------------------------------------------

    def generate_authorize_token(self) -> str:
        return self._call(self._core.generate_authorize_token(), wire.TokenResponse).token

    def authorize(
        self,
        *,
        login_id: str | None = None,
        institution: str | None = None,
        username: str | None = None,
        password: str | None = None,
        most_recent_cached: bool | None = None,
        language: wire.Language = "en",
        tag: str | None = None,
        save: bool = True,
        schedule_refresh: bool = False,
        token: str | None = None,
    ) -> wire.AuthorizeResponse:
        """Open a session: cached by ``login_id`` (the default when no credentials are given), live by
        ``login_id`` or by credentials. A 203 (security challenge) is returned, not raised: answer it with
        :meth:`answer_mfa` and the same ``token``."""
        body = _authorize_request(
            login_id=login_id,
            institution=institution,
            username=username,
            password=password,
            most_recent_cached=most_recent_cached,
            language=language,
            tag=tag,
            save=save,
            schedule_refresh=schedule_refresh,
        )
        self._core.check_authorize(body)  # before a token is spent
        token = token if token is not None else self.generate_authorize_token()
        return self._call(self._core.authorize(token, body), wire.AuthorizeResponse, ok=(200, 203))

    def answer_mfa(
        self, request_id: str, responses: Mapping[str, Sequence[str] | str], token: str
    ) -> wire.AuthorizeResponse:
        request = self._core.answer_mfa(token, request_id, responses)
        return self._call(request, wire.AuthorizeResponse, ok=(200, 203))

    # -- data ----------------------------------------------------------------------------------------

    def accounts_summary(self, request_id: str) -> wire.AccountsSummaryResponse:
        request = self._core.data(SUMMARY, wire.AccountsSummaryRequest(request_id=request_id))
        return self._call(request, wire.AccountsSummaryResponse)

    def accounts_detail(self, request_id: str, **options: Any) -> wire.AccountsDetailResponse:
        """Options are the fields of :class:`finstance.wire.AccountsDetailRequest` by their Python names
        (``with_transactions=False``, ``days_of_transactions="Days365"``, ...)."""
        request = self._core.data(DETAIL, _detail_request(request_id, options))
        return self._call(request, wire.AccountsDetailResponse)

    def statements(self, request_id: str, **options: Any) -> wire.StatementsResponse:
        body = wire.StatementsRequest.model_validate({"request_id": request_id, **options})
        return self._call(self._core.data(STATEMENTS, body), wire.StatementsResponse)

    def accounts_summary_async(self, request_id: str) -> wire.AccountsSummaryResponse:
        return self._call(self._core.poll(SUMMARY, request_id), wire.AccountsSummaryResponse)

    def accounts_detail_async(self, request_id: str) -> wire.AccountsDetailResponse:
        return self._call(self._core.poll(DETAIL, request_id), wire.AccountsDetailResponse)

    def statements_async(self, request_id: str) -> wire.StatementsResponse:
        return self._call(self._core.poll(STATEMENTS, request_id), wire.StatementsResponse)

    def fetch_accounts_detail(
        self,
        login_id: str,
        *,
        poll_interval: float = 10,
        timeout: float = 1800,
        sleep: Callable[[float], None] = time.sleep,
        **options: Any,
    ) -> wire.AccountsDetailResponse:
        """Authorize ``login_id`` from the cache and get its accounts detail, polling the Async endpoint
        while the answer is 202; raises :class:`OperationPendingTimeout` after ``timeout`` seconds."""
        self._core.check_identifier("login", login_id)
        request_id = _cached_session(self.authorize(login_id=login_id, most_recent_cached=True), self._core)
        poller = Poller(poll_interval, timeout)
        try:
            return self.accounts_detail(request_id, **options)
        except OperationInProgressError as exc:
            pending = exc
        while True:
            sleep(poller.next_delay(pending))
            try:
                return self.accounts_detail_async(request_id)
            except OperationInProgressError as exc:
                pending = exc

    # -- cards and catalogue -------------------------------------------------------------------------

    def delete_card(self, login_id: str) -> wire.DeleteCardResponse:
        return self._call(self._core.delete_card(login_id), wire.DeleteCardResponse)

    def set_scheduled_refresh(self, login_id: str, is_activated: bool) -> wire.ScheduledRefreshResponse:
        request = self._core.set_scheduled_refresh(login_id, is_activated)
        return self._call(request, wire.ScheduledRefreshResponse)

    def get_mfa_questions(self, login_id: str) -> wire.MFAQuestionsResponse:
        return self._call(self._core.get_mfa_questions(login_id), wire.MFAQuestionsResponse)

    def answer_mfa_questions(self, login_id: str, answers: Mapping[str, str]) -> wire.MessageResponse:
        return self._call(self._core.answer_mfa_questions(login_id, answers), wire.MessageResponse)

    def institutions(self, skip: int = 0, take: int = 1000) -> wire.InstitutionsResponse:
        return self._call(self._core.institutions(skip, take), wire.InstitutionsResponse)


class AsyncFlinksClient:
    """The asynchronous twin of :class:`FlinksClient`, over ``httpx.AsyncClient``."""

    def __init__(
        self,
        config: InstanceConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.config = config
        self._core = ClientCore(config)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = (200,)) -> M:
        response = await self._http.request(
            request.method, request.url, headers=request.headers, json=request.json, params=request.params
        )
        return self._core.parse(request, response.status_code, response.content, model, ok=ok)

    # -- authorization -------------------------------------------------------------------------------

    async def generate_authorize_token(self) -> str:
        return (await self._call(self._core.generate_authorize_token(), wire.TokenResponse)).token

    async def authorize(
        self,
        *,
        login_id: str | None = None,
        institution: str | None = None,
        username: str | None = None,
        password: str | None = None,
        most_recent_cached: bool | None = None,
        language: wire.Language = "en",
        tag: str | None = None,
        save: bool = True,
        schedule_refresh: bool = False,
        token: str | None = None,
    ) -> wire.AuthorizeResponse:
        """See :meth:`FlinksClient.authorize`."""
        body = _authorize_request(
            login_id=login_id,
            institution=institution,
            username=username,
            password=password,
            most_recent_cached=most_recent_cached,
            language=language,
            tag=tag,
            save=save,
            schedule_refresh=schedule_refresh,
        )
        self._core.check_authorize(body)  # before a token is spent
        token = token if token is not None else await self.generate_authorize_token()
        return await self._call(self._core.authorize(token, body), wire.AuthorizeResponse, ok=(200, 203))

    async def answer_mfa(
        self, request_id: str, responses: Mapping[str, Sequence[str] | str], token: str
    ) -> wire.AuthorizeResponse:
        request = self._core.answer_mfa(token, request_id, responses)
        return await self._call(request, wire.AuthorizeResponse, ok=(200, 203))

    # -- data ----------------------------------------------------------------------------------------

    async def accounts_summary(self, request_id: str) -> wire.AccountsSummaryResponse:
        request = self._core.data(SUMMARY, wire.AccountsSummaryRequest(request_id=request_id))
        return await self._call(request, wire.AccountsSummaryResponse)

    async def accounts_detail(self, request_id: str, **options: Any) -> wire.AccountsDetailResponse:
        """See :meth:`FlinksClient.accounts_detail`."""
        request = self._core.data(DETAIL, _detail_request(request_id, options))
        return await self._call(request, wire.AccountsDetailResponse)

    async def statements(self, request_id: str, **options: Any) -> wire.StatementsResponse:
        body = wire.StatementsRequest.model_validate({"request_id": request_id, **options})
        return await self._call(self._core.data(STATEMENTS, body), wire.StatementsResponse)

    async def accounts_summary_async(self, request_id: str) -> wire.AccountsSummaryResponse:
        return await self._call(self._core.poll(SUMMARY, request_id), wire.AccountsSummaryResponse)

    async def accounts_detail_async(self, request_id: str) -> wire.AccountsDetailResponse:
        return await self._call(self._core.poll(DETAIL, request_id), wire.AccountsDetailResponse)

    async def statements_async(self, request_id: str) -> wire.StatementsResponse:
        return await self._call(self._core.poll(STATEMENTS, request_id), wire.StatementsResponse)

    async def fetch_accounts_detail(
        self,
        login_id: str,
        *,
        poll_interval: float = 10,
        timeout: float = 1800,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        **options: Any,
    ) -> wire.AccountsDetailResponse:
        """See :meth:`FlinksClient.fetch_accounts_detail`."""
        self._core.check_identifier("login", login_id)
        answer = await self.authorize(login_id=login_id, most_recent_cached=True)
        request_id = _cached_session(answer, self._core)
        poller = Poller(poll_interval, timeout)
        try:
            return await self.accounts_detail(request_id, **options)
        except OperationInProgressError as exc:
            pending = exc
        while True:
            await sleep(poller.next_delay(pending))
            try:
                return await self.accounts_detail_async(request_id)
            except OperationInProgressError as exc:
                pending = exc

    # -- cards and catalogue -------------------------------------------------------------------------

    async def delete_card(self, login_id: str) -> wire.DeleteCardResponse:
        return await self._call(self._core.delete_card(login_id), wire.DeleteCardResponse)

    async def set_scheduled_refresh(self, login_id: str, is_activated: bool) -> wire.ScheduledRefreshResponse:
        request = self._core.set_scheduled_refresh(login_id, is_activated)
        return await self._call(request, wire.ScheduledRefreshResponse)

    async def get_mfa_questions(self, login_id: str) -> wire.MFAQuestionsResponse:
        return await self._call(self._core.get_mfa_questions(login_id), wire.MFAQuestionsResponse)

    async def answer_mfa_questions(self, login_id: str, answers: Mapping[str, str]) -> wire.MessageResponse:
        return await self._call(self._core.answer_mfa_questions(login_id, answers), wire.MessageResponse)

    async def institutions(self, skip: int = 0, take: int = 1000) -> wire.InstitutionsResponse:
        return await self._call(self._core.institutions(skip, take), wire.InstitutionsResponse)
