"""The sans-I/O core shared by the sync and async clients.

It builds a description of every request (:class:`APIRequest`: method, URL, headers, JSON body, query),
refuses identifiers minted by another instance before anything is sent, parses an answer (status and
bytes) into its typed model or raises the mapped error, and decides how long to wait between polls
(:class:`Poller`). The shells in ``_client.py`` only send requests and sleep.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import httpx
from pydantic import BaseModel, PrivateAttr, ValidationError

from finstance.client._connect import ConnectOptions, connect_url
from finstance.client._errors import (
    APIConnectionError,
    FlinksAPIError,
    OperationInProgressError,
    OperationPendingTimeout,
    WrongInstanceLoginError,
    WrongInstanceRequestError,
    error_class,
)
from finstance.client._instances import InstanceConfig
from finstance.client._retry import RetryPolicy
from finstance.connect import wire
from finstance.core.identifiers import Origin, canonical, classify

M = TypeVar("M", bound=BaseModel)

IdentifierKind = Literal["login", "request"]

# Which instance issued a loginId, when known (a login store's lookup); None when unknown.
LoginOwner = Callable[[str], str | None]

# The data endpoints and their Async polls.
SUMMARY = "GetAccountsSummary"
DETAIL = "GetAccountsDetail"
STATEMENTS = "GetStatements"
DATA_ENDPOINTS = (SUMMARY, DETAIL, STATEMENTS)

# How many open challenges a client remembers the authorize token of (a token lives 30 min at most).
CHALLENGE_TOKENS = 1024


class AuthorizeAnswer(wire.AuthorizeResponse):
    """The answer of ``/Authorize`` (a :class:`finstance.connect.wire.AuthorizeResponse`), plus the
    authorize token the call spent: a 203 challenge is answered with that same token. The token is not
    part of the document (``model_dump`` and ``repr`` leave it out)."""

    _authorize_token: str | None = PrivateAttr(default=None)

    @property
    def authorize_token(self) -> str | None:
        """The authorize token this answer was obtained with (keep it with ``request_id`` to answer a
        challenge from another process)."""
        return self._authorize_token


@dataclass(frozen=True, slots=True)
class APIRequest:
    """Everything needed to send one call, independent of any HTTP library."""

    endpoint: str
    method: str
    url: str
    headers: dict[str, str] = field(repr=False)
    json: Any = None  # a JSON document: an object, or an array or a bare value (Pay's guarantee confirmation)
    params: dict[str, str] | None = None
    request_id: str | None = None  # the RequestId the call is about, for errors without one
    # A form body instead of JSON: its fields, and its files as (field, (file name, bytes, media type)).
    form: dict[str, str] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = field(default=None, repr=False)


def _body(model: BaseModel) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(
        by_alias=True, exclude_unset=True, exclude_none=True, mode="json"
    )
    return dumped


class ClientCore:
    """Request building, retry decisions and answer parsing for one instance.

    ``login_owner`` tells which instance issued a loginId (a :class:`LoginStore` lookup): a loginId
    recorded for another instance is refused locally, even when it is a plain GUID from real Flinks."""

    def __init__(
        self,
        config: InstanceConfig,
        *,
        retry: RetryPolicy | None = None,
        login_owner: LoginOwner | None = None,
    ) -> None:
        self.config = config
        self.retry = retry if retry is not None else RetryPolicy()
        self.login_owner = login_owner
        self._banking_url, host = config.request_target()
        self._host = {"host": host} if host is not None else {}
        # The token of each open challenge this client received, by RequestId, oldest first.
        self._challenge_tokens: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    # -- identifiers ----------------------------------------------------------------------------------

    def check_identifier(self, kind: IdentifierKind, value: str) -> None:
        """Raise :class:`WrongInstanceError` when ``value`` was minted by another finstance instance.

        Identifiers this client cannot place (malformed, or not minted by finstance, as on real Flinks)
        are left to the server."""
        origin = classify(value, self.config.customer_id)
        if origin == Origin.THIS_INSTANCE:
            return
        if origin != Origin.OTHER_INSTANCE:
            if kind != "login" or self.login_owner is None:
                return
            owner = self.login_owner(canonical(value) or value)
            if owner is None or owner == self.config.name:
                return
        if kind == "login":
            raise WrongInstanceLoginError(
                f"This LoginId was issued by another instance than {self.config.name!r}; "
                "use the client of the instance that issued it.",
                http_status=None,
                flinks_code="INVALID_LOGIN",
                instance=self.config.name,
            )
        raise WrongInstanceRequestError(
            f"This RequestId was issued by another instance than {self.config.name!r}; "
            "use the client of the instance that issued it.",
            http_status=None,
            flinks_code="SESSION_NONEXISTENT",
            request_id=value,
            instance=self.config.name,
        )

    # -- requests -------------------------------------------------------------------------------------

    def _request(
        self,
        endpoint: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        body: Any = None,
        params: dict[str, str] | None = None,
        request_id: str | None = None,
        root: bool = False,
        form: dict[str, str] | None = None,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> APIRequest:
        """A request to ``BankingServices/{path}``, or to ``/v3/{customerId}/{path}`` when ``root``."""
        base = self._banking_url.removesuffix("/BankingServices") if root else self._banking_url
        return APIRequest(
            endpoint=endpoint,
            method=method,
            url=f"{base}/{path}",
            headers={"accept": "application/json", **self._host, **headers},
            json=body,
            params=params,
            request_id=request_id,
            form=form,
            files=files,
        )

    def _api_key(self) -> dict[str, str]:
        return {"x-api-key": self.config.api_key}

    def generate_authorize_token(self) -> APIRequest:
        return self._request(
            "GenerateAuthorizeToken",
            "POST",
            "GenerateAuthorizeToken",
            headers={"flinks-auth-key": self.config.secret_key},
        )

    def check_authorize(self, request: wire.AuthorizeRequest) -> None:
        """Refuse another instance's loginId or RequestId (before a token is spent on it)."""
        if request.login_id is not None:
            self.check_identifier("login", request.login_id)
        if request.request_id is not None:
            self.check_identifier("request", request.request_id)

    def authorize(self, token: str, request: wire.AuthorizeRequest) -> APIRequest:
        self.check_authorize(request)
        return self._request(
            "Authorize",
            "POST",
            "Authorize",
            headers={"flinks-auth-key": token},
            body=_body(request),
            request_id=request.request_id,
        )

    def authorized(self, answer: AuthorizeAnswer, token: str) -> AuthorizeAnswer:
        """Attach to an ``/Authorize`` answer the token it was obtained with, and remember that token for
        the answer's RequestId while the answer is a challenge (203)."""
        answer._authorize_token = token
        key = canonical(answer.request_id) or answer.request_id
        with self._lock:
            self._challenge_tokens.pop(key, None)
            if answer.http_status_code == 203:
                self._challenge_tokens[key] = token
                while len(self._challenge_tokens) > CHALLENGE_TOKENS:
                    self._challenge_tokens.popitem(last=False)
        return answer

    def challenge_token(self, challenge: wire.AuthorizeResponse | str, token: str | None) -> tuple[str, str]:
        """The RequestId of ``challenge`` (a 203 answer or its RequestId) and the token to answer it with:
        ``token`` when given, else the one the challenge was obtained with. Raises ``ValueError``, before
        anything is sent, when no token is known."""
        if isinstance(challenge, wire.AuthorizeResponse):
            request_id = challenge.request_id
            if token is None and isinstance(challenge, AuthorizeAnswer):
                token = challenge.authorize_token
        else:
            request_id = challenge
        self.check_identifier("request", request_id)
        if token is None:
            with self._lock:
                token = self._challenge_tokens.get(canonical(request_id) or request_id)
        if token is None:
            raise ValueError(
                f"no authorize token is known for RequestId {request_id!r}: pass the challenge that "
                "authorize() returned, or token= (the token its /Authorize spent)"
            )
        return request_id, token

    def answer_mfa(
        self, token: str, request_id: str, responses: Mapping[str, Sequence[str] | str]
    ) -> APIRequest:
        answers = {prompt: [a] if isinstance(a, str) else list(a) for prompt, a in responses.items()}
        return self.authorize(token, wire.AuthorizeRequest(request_id=request_id, security_responses=answers))

    def data(self, endpoint: str, request: wire.RequestIdBody) -> APIRequest:
        if endpoint not in DATA_ENDPOINTS:
            raise ValueError(f"not a data endpoint: {endpoint!r}")
        self.check_identifier("request", request.request_id)
        return self._request(
            endpoint,
            "POST",
            endpoint,
            headers=self._api_key(),
            body=_body(request),
            request_id=request.request_id,
        )

    def poll(self, endpoint: str, request_id: str) -> APIRequest:
        """The Async poll of a data endpoint (``GetAccountsDetail`` → ``GetAccountsDetailAsync``)."""
        if endpoint not in DATA_ENDPOINTS:
            raise ValueError(f"not a data endpoint: {endpoint!r}")
        self.check_identifier("request", request_id)
        return self._request(
            f"{endpoint}Async",
            "GET",
            f"{endpoint}Async/{request_id}",
            headers=self._api_key(),
            request_id=request_id,
        )

    def delete_card(self, login_id: str) -> APIRequest:
        self.check_identifier("login", login_id)
        return self._request("DeleteCard", "DELETE", f"DeleteCard/{login_id}", headers=self._api_key())

    def set_scheduled_refresh(self, login_id: str, is_activated: bool) -> APIRequest:
        self.check_identifier("login", login_id)
        body = _body(wire.ScheduledRefreshRequest(login_id=login_id, is_activated=is_activated))
        return self._request(
            "SetScheduledRefresh", "PATCH", "SetScheduledRefresh", headers=self._api_key(), body=body
        )

    def get_mfa_questions(self, login_id: str) -> APIRequest:
        self.check_identifier("login", login_id)
        return self._request("GetMFAQuestions", "GET", f"GetMFAQuestions/{login_id}", headers=self._api_key())

    def answer_mfa_questions(self, login_id: str, answers: Mapping[str, str]) -> APIRequest:
        self.check_identifier("login", login_id)
        request = wire.AnswerMFAQuestionsRequest(
            login_id=login_id,
            questions=[wire.MFAQuestionAnswer(question=q, answer=a) for q, a in answers.items()],
        )
        return self._request(
            "AnswerMFAQuestions", "PATCH", "AnswerMFAQuestions", headers=self._api_key(), body=_body(request)
        )

    def institutions(self, skip: int = 0, take: int = 1000) -> APIRequest:
        return self._request(
            "Institutions", "GET", "Institutions", headers={}, params={"skip": str(skip), "take": str(take)}
        )

    def connect_url(
        self,
        options: ConnectOptions,
        token: str | None,
        extra: Mapping[str, str | bool | int] | None = None,
    ) -> str:
        if self.config.requires_authorize_token and token is None:
            raise ValueError(f"{self.config.name} requires an authorize token in its Connect URL")
        return connect_url(self.config, options, token=token, extra=extra)

    # -- retries --------------------------------------------------------------------------------------

    def retry_after_exception(self, request: APIRequest, attempt: int, exc: Exception) -> float | None:
        """The wait before sending ``request`` again after a transport error, or None to raise."""
        if not isinstance(exc, httpx.TransportError):
            return None
        return self.retry.after_exception(request.endpoint, attempt, exc)

    def retry_after_response(
        self, request: APIRequest, attempt: int, status: int, headers: Mapping[str, str], content: bytes
    ) -> float | None:
        """The wait before sending ``request`` again after this answer, or None to keep it."""
        if status < 400:
            return None
        code = None
        try:
            document = json.loads(content) if content else None
        except ValueError:
            document = None
        if isinstance(document, dict) and isinstance(document.get("FlinksCode"), str):
            code = document["FlinksCode"]
        return self.retry.after_response(request.endpoint, attempt, status, code, headers.get("retry-after"))

    def connection_error(self, request: APIRequest, exc: Exception, attempts: int) -> APIConnectionError:
        return APIConnectionError(
            f"{request.endpoint}: no answer after {attempts} attempt(s): {type(exc).__name__}: {exc}",
            http_status=None,
            flinks_code=None,
            request_id=request.request_id,
            instance=self.config.name,
        )

    # -- answers --------------------------------------------------------------------------------------

    def parse(
        self,
        request: APIRequest,
        status: int,
        content: bytes,
        model: type[M],
        *,
        ok: tuple[int, ...] = (200,),
    ) -> M:
        """The typed answer for a success status in ``ok``; otherwise raise the mapped error."""
        if status in ok and content[:1] == b"{":
            try:  # pydantic-core parses and validates in one pass: the common path, measured
                return model.model_validate_json(content)
            except ValidationError as exc:
                if not any(e["type"] == "json_invalid" for e in exc.errors()):
                    raise self._error(
                        request, status, None, f"{request.endpoint} answered an unexpected document: {exc}"
                    ) from exc
        document: Any
        try:
            document = json.loads(content) if content else None
        except ValueError:
            document = None
        if status in ok and isinstance(document, dict | list):
            try:
                return model.model_validate(document)
            except ValidationError as exc:
                raise self._error(
                    request, status, None, f"{request.endpoint} answered an unexpected document: {exc}"
                ) from exc
        raise self._error(request, status, document if isinstance(document, dict) else None)

    def _error(
        self, request: APIRequest, status: int, body: dict[str, Any] | None, message: str | None = None
    ) -> FlinksAPIError:
        code = body.get("FlinksCode") if body else None
        code = code if isinstance(code, str) else None
        text = body.get("Message") if body else None
        if message is None:
            message = text if isinstance(text, str) else f"{request.endpoint} answered HTTP {status}"
        request_id = body.get("RequestId") if body else None
        if not isinstance(request_id, str):
            request_id = request.request_id
        wrong = bool(body and body.get("WrongInstance") is True)
        cls = error_class(code, wrong_instance=wrong)
        return cls(
            message,
            http_status=status,
            flinks_code=code,
            request_id=request_id,
            instance=self.config.name,
            body=body,
        )


class Poller:
    """How long to wait before the next poll; raises :class:`OperationPendingTimeout` once the time
    slept reaches ``timeout``. Time is counted as the sum of the waits, so an injected sleep that moves
    a test clock gives the same decisions as real time."""

    def __init__(self, interval: float, timeout: float) -> None:
        if interval <= 0:
            raise ValueError("poll_interval must be positive")
        if timeout < 0:
            raise ValueError("timeout must not be negative")
        self.interval = interval
        self.timeout = timeout
        self.waited = 0.0
        self.polls = 0

    def next_delay(self, pending: OperationInProgressError) -> float:
        if self.waited >= self.timeout:
            raise OperationPendingTimeout(
                f"still {pending.flinks_code} after waiting {self.waited:g} s ({self.polls} polls)",
                http_status=pending.http_status,
                flinks_code=pending.flinks_code,
                request_id=pending.request_id,
                instance=pending.instance,
                body=pending.body,
            ) from pending
        delay = min(self.interval, self.timeout - self.waited)
        self.waited += delay
        self.polls += 1
        return delay
