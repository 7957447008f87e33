"""The sync and async clients: thin shells over :class:`ClientCore` that send requests and sleep."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

import anyio
import httpx
from pydantic import BaseModel

from finstance.client._connect import ConnectOptions
from finstance.client._core import (
    DETAIL,
    STATEMENTS,
    SUMMARY,
    APIRequest,
    AuthorizeAnswer,
    ClientCore,
    LoginOwner,
    Poller,
)
from finstance.client._enrich import (
    AttributeLibrary,
    CategoryTree,
    EnrichRequests,
    Package,
    Transaction,
    UseCase,
)
from finstance.client._errors import FlinksAPIError, OperationInProgressError, PollingCancelled
from finstance.client._instances import InstanceConfig
from finstance.client._pay import AsyncPayClient, PayClient
from finstance.client._retry import RetryPolicy
from finstance.client._upload import AsyncUploadClient, UploadClient, UploadRequests
from finstance.connect import wire
from finstance.core.country import Country
from finstance.enrich import wire as enrich_wire
from finstance.upload import wire as upload_wire

M = TypeVar("M", bound=BaseModel)

DEFAULT_TIMEOUT = 60.0


def _authorize_request(
    *,
    login_id: str | None,
    institution: str | None,
    username: str | None,
    password: str | None,
    most_recent_cached: bool | None,
    language: wire.Language | None,
    tag: str | None,
    save: bool | None,
    schedule_refresh: bool | None,
) -> wire.AuthorizeRequest:
    if login_id is None and (institution is None or username is None or password is None):
        raise ValueError("authorize needs a login_id, or institution, username and password")
    if most_recent_cached is None:
        most_recent_cached = login_id is not None and username is None
    # Only what the caller gave is sent: a cached Authorize must not reset the login's language, Save
    # or ScheduleRefresh to a default the caller never chose.
    given = {
        "login_id": login_id, "institution": institution, "username": username, "password": password,
        "most_recent_cached": most_recent_cached, "language": language, "tag": tag, "save": save,
        "schedule_refresh": schedule_refresh,
    }  # fmt: skip
    return wire.AuthorizeRequest(**{k: v for k, v in given.items() if v is not None})


def _detail_request(request_id: str, options: Mapping[str, Any]) -> wire.AccountsDetailRequest:
    return wire.AccountsDetailRequest.model_validate({"request_id": request_id, **options})


def _canadian(config: InstanceConfig) -> None:
    if config.country is not Country.CA:
        raise ValueError(
            f"Pay serves Canadian instances only: {config.name} is a {config.country.value} instance"
        )


def _cancelled(core: ClientCore, request_id: str, polls: int) -> PollingCancelled:
    return PollingCancelled(
        f"polling cancelled after {polls} polls",
        http_status=None,
        flinks_code=None,
        request_id=request_id,
        instance=core.config.name,
    )


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
    ``TestClient``); a client it did not create is not closed by :meth:`close`. ``retry`` says how often
    a transient failure is sent again (see ``_retry`` for which calls are safe to send again) and
    ``sleep`` how to wait between attempts (tests pass a function that does not sleep).
    """

    def __init__(
        self,
        config: InstanceConfig,
        *,
        http_client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        login_owner: LoginOwner | None = None,
    ) -> None:
        self.config = config
        self._core = ClientCore(config, retry=retry, login_owner=login_owner)
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)
        self._enrich = EnrichRequests(self._core)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _send(self, request: APIRequest) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(
                    request.method, request.url, headers=request.headers, json=request.json,
                    params=request.params, data=request.form, files=request.files,
                )  # fmt: skip
            except httpx.TransportError as exc:
                delay = self._core.retry_after_exception(request, attempt, exc)
                if delay is None:
                    raise self._core.connection_error(request, exc, attempt) from exc
            else:
                delay = self._core.retry_after_response(
                    request, attempt, response.status_code, response.headers, response.content
                )
                if delay is None:
                    return response
            self._sleep(delay)

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = (200,)) -> M:
        response = self._send(request)
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
        language: wire.Language | None = None,
        tag: str | None = None,
        save: bool | None = None,
        schedule_refresh: bool | None = None,
        token: str | None = None,
    ) -> AuthorizeAnswer:
        """Open a session: cached by ``login_id`` (the default when no credentials are given), live by
        ``login_id`` or by credentials. A fresh authorize token is fetched unless ``token`` is given; the
        answer carries the token it spent (:attr:`AuthorizeAnswer.authorize_token`). A 203 (security
        challenge) is returned, not raised: answer it with :meth:`answer_mfa`, which uses that token."""
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
        answer = self._call(self._core.authorize(token, body), AuthorizeAnswer, ok=(200, 203))
        return self._core.authorized(answer, token)

    def answer_mfa(
        self,
        request_id: wire.AuthorizeResponse | str,
        responses: Mapping[str, Sequence[str] | str],
        token: str | None = None,
    ) -> AuthorizeAnswer:
        """Answer a 203 challenge (``request_id``: the answer of :meth:`authorize`, or its RequestId) with
        ``{prompt: answer}``, with the token that opened the session: ``token`` when given, else the one
        the challenge carries or this client received it with. Another 203 may follow."""
        request_id, token = self._core.challenge_token(request_id, token)
        request = self._core.answer_mfa(token, request_id, responses)
        return self._core.authorized(self._call(request, AuthorizeAnswer, ok=(200, 203)), token)

    # -- data ----------------------------------------------------------------------------------------

    def accounts_summary(self, request_id: str) -> wire.AccountsSummaryResponse:
        request = self._core.data(SUMMARY, wire.AccountsSummaryRequest(request_id=request_id))
        return self._call(request, wire.AccountsSummaryResponse)

    def accounts_detail(self, request_id: str, **options: Any) -> wire.AccountsDetailResponse:
        """Options are the fields of :class:`finstance.connect.wire.AccountsDetailRequest` by Python name
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
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
        **options: Any,
    ) -> wire.AccountsDetailResponse:
        """Authorize ``login_id`` from the cache and get its accounts detail, polling the Async endpoint
        every ``poll_interval`` seconds while the answer is 202 (by default the instance's
        :attr:`InstanceConfig.poll_interval`: 10 s on Flinks, 1 s on a local finstance server), for at
        most ``timeout`` seconds (Flinks: 30 min).
        Raises :class:`OperationPendingTimeout` after ``timeout`` seconds, :class:`PollingCancelled` as
        soon as ``cancel`` is set. It waits with ``sleep``, else the client's own ``sleep``. Options
        are those of :meth:`accounts_detail`."""
        request_id = self._cached_request_id(login_id)
        first = self._core.data(DETAIL, _detail_request(request_id, options))
        poll = self._core.poll(DETAIL, request_id)
        return self._follow(first, poll, wire.AccountsDetailResponse, poll_interval, timeout, sleep, cancel)

    def fetch_statements(
        self,
        login_id: str,
        *,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
        **options: Any,
    ) -> wire.StatementsResponse:
        """As :meth:`fetch_accounts_detail`, for ``GetStatements`` (options: ``number_of_statements``,
        ``accounts_filter``)."""
        request_id = self._cached_request_id(login_id)
        body = wire.StatementsRequest.model_validate({"request_id": request_id, **options})
        first, poll = self._core.data(STATEMENTS, body), self._core.poll(STATEMENTS, request_id)
        return self._follow(first, poll, wire.StatementsResponse, poll_interval, timeout, sleep, cancel)

    def _cached_request_id(self, login_id: str) -> str:
        self._core.check_identifier("login", login_id)
        return _cached_session(self.authorize(login_id=login_id, most_recent_cached=True), self._core)

    def _follow(
        self,
        first: APIRequest,
        poll: APIRequest,
        model: type[M],
        interval: float | None,
        timeout: float,
        sleep: Callable[[float], None] | None,
        cancel: threading.Event | None,
    ) -> M:
        poller = Poller(self.config.poll_interval if interval is None else interval, timeout)
        request = first
        while True:
            try:
                return self._call(request, model)
            except OperationInProgressError as exc:
                delay = poller.next_delay(exc)
            if sleep is not None:
                sleep(delay)
            elif cancel is not None:
                cancel.wait(delay)
            else:
                self._sleep(delay)
            if cancel is not None and cancel.is_set():
                raise _cancelled(self._core, poll.request_id or "", poller.polls)
            request = poll

    # -- Enrich --------------------------------------------------------------------------------------

    def attributes(
        self,
        login_id: str,
        request_id: str,
        package: Package = "GetAllAttributes",
        *,
        limit_days: int | None = None,
        with_detail: bool = False,
    ) -> enrich_wire.AttributesResponse:
        """One attributes package of ``login_id`` (``GetIncomeAttributes``, ..., ``GetAllAttributes``), with a
        RequestId whose GetAccountsDetail was called less than 8 minutes ago; ``with_detail`` lists the
        transactions behind each value in ``card["AttributesDetail"]``. A 202 raises
        :class:`OperationPendingError`; :meth:`fetch_attributes` follows it."""
        request = self._enrich.package(login_id, request_id, package, limit_days, with_detail)
        return self._call(request, enrich_wire.AttributesResponse)

    def custom_attributes(
        self,
        login_id: str,
        request_id: str,
        names: Sequence[str],
        *,
        detail: Sequence[str] | None = None,
        account_category: Sequence[str] | None = None,
        account_filter: Sequence[str] | None = None,
        limit_days: int | None = None,
    ) -> enrich_wire.AttributesResponse:
        """The attributes ``names`` (POST /Attributes), with the transactions behind those in ``detail``."""
        request = self._enrich.custom(
            login_id, request_id, names, detail=detail, account_category=account_category,
            account_filter=account_filter, limit_days=limit_days,
        )  # fmt: skip
        return self._call(request, enrich_wire.AttributesResponse)

    def categorization(
        self, login_id: str, request_id: str, *, explain: bool = False
    ) -> enrich_wire.CategorizationResponse:
        """Every transaction of ``login_id`` with its category (``explain``: and the rule that chose it)."""
        request = self._enrich.categorization(login_id, request_id, explain)
        return self._call(request, enrich_wire.CategorizationResponse)

    def categories(self, country: str | None = None) -> CategoryTree:
        """The category tree of ``country`` (default: this instance's)."""
        return self._call(self._enrich.categories(country or self.config.country.value), CategoryTree)

    def attribute_library(self, kind: Literal["consumer", "business"] = "consumer") -> AttributeLibrary:
        return self._call(self._enrich.library(kind), AttributeLibrary)

    def upload_attributes(
        self,
        transactions: Sequence[Transaction],
        *,
        names: Sequence[str] | None = None,
        use_case: UseCase | None = None,
        detail: Sequence[str] | None = None,
        most_recent_balance: float | None = None,
        oldest_balance: float | None = None,
        limit_days: int | None = None,
    ) -> enrich_wire.AttributesResponse:
        """Attributes of transactions of your own (``names``, or every attribute of a ``use_case``). Give a
        running balance on each transaction, or ``most_recent_balance`` or ``oldest_balance``."""
        request = self._enrich.upload_attributes(
            transactions, names=names, use_case=use_case, detail=detail,
            most_recent_balance=most_recent_balance, oldest_balance=oldest_balance, limit_days=limit_days,
        )  # fmt: skip
        return self._call(request, enrich_wire.AttributesResponse)

    def upload_categorization(
        self,
        transactions: Sequence[Transaction],
        *,
        user_identifier: str | None = None,
        most_recent_balance: float | None = None,
        oldest_balance: float | None = None,
    ) -> enrich_wire.CategorizationResponse:
        """Categories of transactions of your own (nothing is stored)."""
        request = self._enrich.upload_categorization(
            transactions, user_identifier=user_identifier, most_recent_balance=most_recent_balance,
            oldest_balance=oldest_balance,
        )  # fmt: skip
        return self._call(request, enrich_wire.CategorizationResponse)

    def fetch_attributes(
        self,
        login_id: str,
        package: Package = "GetAllAttributes",
        *,
        limit_days: int | None = None,
        with_detail: bool = False,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> enrich_wire.AttributesResponse:
        """Authorize ``login_id`` from the cache, get its accounts detail, then ``package``, following every
        202 as :meth:`fetch_accounts_detail` does."""
        request_id = self._ready_request_id(login_id, poll_interval, timeout, sleep, cancel)
        request = self._enrich.package(login_id, request_id, package, limit_days, with_detail)
        return self._follow(
            request, request, enrich_wire.AttributesResponse, poll_interval, timeout, sleep, cancel
        )

    def fetch_categorization(
        self,
        login_id: str,
        *,
        explain: bool = False,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> enrich_wire.CategorizationResponse:
        """As :meth:`fetch_attributes`, for the categorized transactions."""
        request_id = self._ready_request_id(login_id, poll_interval, timeout, sleep, cancel)
        request = self._enrich.categorization(login_id, request_id, explain)
        return self._follow(
            request, request, enrich_wire.CategorizationResponse, poll_interval, timeout, sleep, cancel
        )

    def _ready_request_id(
        self,
        login_id: str,
        poll_interval: float | None,
        timeout: float,
        sleep: Callable[[float], None] | None,
        cancel: threading.Event | None,
    ) -> str:
        """A cached RequestId of ``login_id`` whose GetAccountsDetail answered (Enrich's precondition)."""
        detail = self.fetch_accounts_detail(
            login_id, poll_interval=poll_interval, timeout=timeout, sleep=sleep, cancel=cancel,
            with_transactions=False,
        )  # fmt: skip
        return detail.request_id

    # -- Connect -------------------------------------------------------------------------------------

    def connect_url(self, *, extra: Mapping[str, str | bool | int] | None = None, **options: Any) -> str:
        """The Connect iframe URL of this instance, with a fresh authorize token when the instance
        requires one. Options are the fields of :class:`ConnectOptions` (``redirect_url=...``,
        ``demo=True``, ``tag=...``)."""
        parsed = ConnectOptions(**options)
        token = self.generate_authorize_token() if self.config.requires_authorize_token else None
        return self._core.connect_url(parsed, token, extra)

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

    # -- Upload --------------------------------------------------------------------------------------

    def uploads(self, client_id: str, client_secret: str) -> UploadClient:
        """The upload API with an API client of this instance (``finstance clients create --product
        upload``): ``send`` statements, read their ``state``, ``wait`` until every one is read."""
        return UploadClient(self, client_id, client_secret, time.monotonic)

    # -- Pay -----------------------------------------------------------------------------------------

    def pay(self, client_id: str, client_secret: str) -> PayClient:
        """Pay's V2 sessions with an API client of this Canadian instance (``finstance clients create
        --product pay``)."""
        _canadian(self.config)
        return PayClient(self, client_id, client_secret, time.monotonic)

    def fraud_analysis(self, login_id: str) -> upload_wire.FraudAnalysisResponse:
        """FraudAnalysis of a login's uploaded documents (a 202 while they are read raises
        :class:`OperationPendingError`)."""
        request = UploadRequests(self._core).fraud_analysis(login_id)
        return self._call(request, upload_wire.FraudAnalysisResponse)


class AsyncFlinksClient:
    """The asynchronous twin of :class:`FlinksClient`, over ``httpx.AsyncClient``."""

    def __init__(
        self,
        config: InstanceConfig,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        login_owner: LoginOwner | None = None,
    ) -> None:
        self.config = config
        self._core = ClientCore(config, retry=retry, login_owner=login_owner)
        self._sleep = sleep
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)
        self._enrich = EnrichRequests(self._core)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _send(self, request: APIRequest) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.request(
                    request.method, request.url, headers=request.headers, json=request.json,
                    params=request.params, data=request.form, files=request.files,
                )  # fmt: skip
            except httpx.TransportError as exc:
                delay = self._core.retry_after_exception(request, attempt, exc)
                if delay is None:
                    raise self._core.connection_error(request, exc, attempt) from exc
            else:
                delay = self._core.retry_after_response(
                    request, attempt, response.status_code, response.headers, response.content
                )
                if delay is None:
                    return response
            await self._sleep(delay)

    async def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = (200,)) -> M:
        response = await self._send(request)
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
        language: wire.Language | None = None,
        tag: str | None = None,
        save: bool | None = None,
        schedule_refresh: bool | None = None,
        token: str | None = None,
    ) -> AuthorizeAnswer:
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
        answer = await self._call(self._core.authorize(token, body), AuthorizeAnswer, ok=(200, 203))
        return self._core.authorized(answer, token)

    async def answer_mfa(
        self,
        request_id: wire.AuthorizeResponse | str,
        responses: Mapping[str, Sequence[str] | str],
        token: str | None = None,
    ) -> AuthorizeAnswer:
        """See :meth:`FlinksClient.answer_mfa`."""
        request_id, token = self._core.challenge_token(request_id, token)
        request = self._core.answer_mfa(token, request_id, responses)
        return self._core.authorized(await self._call(request, AuthorizeAnswer, ok=(200, 203)), token)

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
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        cancel: anyio.Event | None = None,
        **options: Any,
    ) -> wire.AccountsDetailResponse:
        """See :meth:`FlinksClient.fetch_accounts_detail`. Cancelling the task (a cancel scope,
        ``anyio.move_on_after``) also stops polling at once."""
        request_id = await self._cached_request_id(login_id)
        first = self._core.data(DETAIL, _detail_request(request_id, options))
        poll = self._core.poll(DETAIL, request_id)
        return await self._follow(
            first, poll, wire.AccountsDetailResponse, poll_interval, timeout, sleep, cancel
        )

    async def fetch_statements(
        self,
        login_id: str,
        *,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        cancel: anyio.Event | None = None,
        **options: Any,
    ) -> wire.StatementsResponse:
        """See :meth:`FlinksClient.fetch_statements`."""
        request_id = await self._cached_request_id(login_id)
        body = wire.StatementsRequest.model_validate({"request_id": request_id, **options})
        first, poll = self._core.data(STATEMENTS, body), self._core.poll(STATEMENTS, request_id)
        return await self._follow(first, poll, wire.StatementsResponse, poll_interval, timeout, sleep, cancel)

    async def _cached_request_id(self, login_id: str) -> str:
        self._core.check_identifier("login", login_id)
        answer = await self.authorize(login_id=login_id, most_recent_cached=True)
        return _cached_session(answer, self._core)

    async def _follow(
        self,
        first: APIRequest,
        poll: APIRequest,
        model: type[M],
        interval: float | None,
        timeout: float,
        sleep: Callable[[float], Awaitable[None]] | None,
        cancel: anyio.Event | None,
    ) -> M:
        poller = Poller(self.config.poll_interval if interval is None else interval, timeout)
        request = first
        while True:
            try:
                return await self._call(request, model)
            except OperationInProgressError as exc:
                delay = poller.next_delay(exc)
            if sleep is not None:
                await sleep(delay)
            elif cancel is not None:
                with anyio.move_on_after(delay):
                    await cancel.wait()
            else:
                await self._sleep(delay)
            if cancel is not None and cancel.is_set():
                raise _cancelled(self._core, poll.request_id or "", poller.polls)
            request = poll

    # -- Enrich --------------------------------------------------------------------------------------

    async def attributes(
        self,
        login_id: str,
        request_id: str,
        package: Package = "GetAllAttributes",
        *,
        limit_days: int | None = None,
        with_detail: bool = False,
    ) -> enrich_wire.AttributesResponse:
        """See :meth:`FlinksClient.attributes`."""
        request = self._enrich.package(login_id, request_id, package, limit_days, with_detail)
        return await self._call(request, enrich_wire.AttributesResponse)

    async def custom_attributes(
        self,
        login_id: str,
        request_id: str,
        names: Sequence[str],
        *,
        detail: Sequence[str] | None = None,
        account_category: Sequence[str] | None = None,
        account_filter: Sequence[str] | None = None,
        limit_days: int | None = None,
    ) -> enrich_wire.AttributesResponse:
        """See :meth:`FlinksClient.custom_attributes`."""
        request = self._enrich.custom(
            login_id, request_id, names, detail=detail, account_category=account_category,
            account_filter=account_filter, limit_days=limit_days,
        )  # fmt: skip
        return await self._call(request, enrich_wire.AttributesResponse)

    async def categorization(
        self, login_id: str, request_id: str, *, explain: bool = False
    ) -> enrich_wire.CategorizationResponse:
        """See :meth:`FlinksClient.categorization`."""
        request = self._enrich.categorization(login_id, request_id, explain)
        return await self._call(request, enrich_wire.CategorizationResponse)

    async def categories(self, country: str | None = None) -> CategoryTree:
        return await self._call(self._enrich.categories(country or self.config.country.value), CategoryTree)

    async def attribute_library(self, kind: Literal["consumer", "business"] = "consumer") -> AttributeLibrary:
        return await self._call(self._enrich.library(kind), AttributeLibrary)

    async def upload_attributes(
        self,
        transactions: Sequence[Transaction],
        *,
        names: Sequence[str] | None = None,
        use_case: UseCase | None = None,
        detail: Sequence[str] | None = None,
        most_recent_balance: float | None = None,
        oldest_balance: float | None = None,
        limit_days: int | None = None,
    ) -> enrich_wire.AttributesResponse:
        """See :meth:`FlinksClient.upload_attributes`."""
        request = self._enrich.upload_attributes(
            transactions, names=names, use_case=use_case, detail=detail,
            most_recent_balance=most_recent_balance, oldest_balance=oldest_balance, limit_days=limit_days,
        )  # fmt: skip
        return await self._call(request, enrich_wire.AttributesResponse)

    async def upload_categorization(
        self,
        transactions: Sequence[Transaction],
        *,
        user_identifier: str | None = None,
        most_recent_balance: float | None = None,
        oldest_balance: float | None = None,
    ) -> enrich_wire.CategorizationResponse:
        """See :meth:`FlinksClient.upload_categorization`."""
        request = self._enrich.upload_categorization(
            transactions, user_identifier=user_identifier, most_recent_balance=most_recent_balance,
            oldest_balance=oldest_balance,
        )  # fmt: skip
        return await self._call(request, enrich_wire.CategorizationResponse)

    async def fetch_attributes(
        self,
        login_id: str,
        package: Package = "GetAllAttributes",
        *,
        limit_days: int | None = None,
        with_detail: bool = False,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        cancel: anyio.Event | None = None,
    ) -> enrich_wire.AttributesResponse:
        """See :meth:`FlinksClient.fetch_attributes`."""
        request_id = await self._ready_request_id(login_id, poll_interval, timeout, sleep, cancel)
        request = self._enrich.package(login_id, request_id, package, limit_days, with_detail)
        return await self._follow(
            request, request, enrich_wire.AttributesResponse, poll_interval, timeout, sleep, cancel
        )

    async def fetch_categorization(
        self,
        login_id: str,
        *,
        explain: bool = False,
        poll_interval: float | None = None,
        timeout: float = 1800,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        cancel: anyio.Event | None = None,
    ) -> enrich_wire.CategorizationResponse:
        """See :meth:`FlinksClient.fetch_categorization`."""
        request_id = await self._ready_request_id(login_id, poll_interval, timeout, sleep, cancel)
        request = self._enrich.categorization(login_id, request_id, explain)
        return await self._follow(
            request, request, enrich_wire.CategorizationResponse, poll_interval, timeout, sleep, cancel
        )

    async def _ready_request_id(
        self,
        login_id: str,
        poll_interval: float | None,
        timeout: float,
        sleep: Callable[[float], Awaitable[None]] | None,
        cancel: anyio.Event | None,
    ) -> str:
        detail = await self.fetch_accounts_detail(
            login_id, poll_interval=poll_interval, timeout=timeout, sleep=sleep, cancel=cancel,
            with_transactions=False,
        )  # fmt: skip
        return detail.request_id

    # -- Connect -------------------------------------------------------------------------------------

    async def connect_url(
        self, *, extra: Mapping[str, str | bool | int] | None = None, **options: Any
    ) -> str:
        """See :meth:`FlinksClient.connect_url`."""
        parsed = ConnectOptions(**options)
        token = await self.generate_authorize_token() if self.config.requires_authorize_token else None
        return self._core.connect_url(parsed, token, extra)

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

    # -- Upload --------------------------------------------------------------------------------------

    def uploads(self, client_id: str, client_secret: str) -> AsyncUploadClient:
        """The upload API with an API client of this instance (``finstance clients create --product
        upload``): ``send`` statements, read their ``state``, ``wait`` until every one is read."""
        return AsyncUploadClient(self, client_id, client_secret, time.monotonic)

    def pay(self, client_id: str, client_secret: str) -> AsyncPayClient:
        _canadian(self.config)
        return AsyncPayClient(self, client_id, client_secret, time.monotonic)

    async def fraud_analysis(self, login_id: str) -> upload_wire.FraudAnalysisResponse:
        request = UploadRequests(self._core).fraud_analysis(login_id)
        return await self._call(request, upload_wire.FraudAnalysisResponse)
