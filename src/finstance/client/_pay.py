"""Pay's requests, sans I/O, and the clients of its V2 sessions (Canadian instances only).

An API client of the instance (``finstance clients create --product pay``) gets Bearer tokens from
``POST /pay/api/v1/authorize``. A token starts one session, as Flinks documents:
:meth:`PayClient.create_session` asks for a fresh one each time, and the reads share another until a minute
before it expires.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel

from finstance.client._core import APIRequest, ClientCore
from finstance.client._tokens import AsyncTokenKeeper, Token, TokenKeeper
from finstance.pay import wire

M = TypeVar("M", bound=BaseModel)


class PayRequests:
    """Builds Pay's requests for one instance: paths under ``{api_base_url}/pay/api``."""

    def __init__(self, core: ClientCore) -> None:
        self.core = core
        banking, _ = core.config.request_target()
        self.base = banking.removesuffix(f"/v3/{core.config.customer_id}/BankingServices") + "/pay/api"

    def _request(
        self, endpoint: str, method: str, path: str, headers: dict[str, str], **more: Any
    ) -> APIRequest:
        request = self.core._request(endpoint, method, "", headers=headers, root=True, **more)
        return dataclasses.replace(request, url=f"{self.base}/{path}")

    def authorize(self, client_id: str, client_secret: str) -> APIRequest:
        basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
        return self._request(
            "PayAuthorize", "POST", "v1/authorize", {"authorization": f"Basic {basic}"},
            form={"grant_type": "client_credentials"},
        )  # fmt: skip

    def create(self, bearer: str, body: Mapping[str, Any], idempotency_key: str | None) -> APIRequest:
        headers = {"authorization": f"Bearer {bearer}"}
        if idempotency_key is not None:
            headers["idempotency-key"] = idempotency_key
        return self._request("CreateSession", "POST", "v2/sessions", headers, body=dict(body))

    def read(self, bearer: str | None, session_id: str, what: str) -> APIRequest:
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        return self._request(f"Session{what.title()}", "GET", f"v2/sessions/{session_id}/{what}", headers)

    def cancel(self, bearer: str, session_id: str) -> APIRequest:
        return self._request(
            "CancelSession", "POST", f"v2/sessions/{session_id}/cancel", {"authorization": f"Bearer {bearer}"}
        )

    def sandbox_payor(self, bearer: str, session_id: str, body: Mapping[str, Any]) -> APIRequest:
        return self._request(
            "SandboxPayor", "POST", f"sandbox/sessions/{session_id}/payor",
            {"authorization": f"Bearer {bearer}"}, body=dict(body),
        )  # fmt: skip

    def confirm(self, bearer: str, session_id: str, accepted: bool) -> APIRequest:
        return self._request(
            "ConfirmGuarantee", "POST", f"v2/sessions/{session_id}/guarantees/confirm",
            {"authorization": f"Bearer {bearer}"}, body=accepted,
        )  # fmt: skip

    def simulate(self, bearer: str, session_id: str, body: Mapping[str, Any]) -> APIRequest:
        return self._request(
            "SandboxSimulate", "POST", f"sandbox/sessions/{session_id}/simulate",
            {"authorization": f"Bearer {bearer}"}, body=dict(body),
        )  # fmt: skip

    def advance_clock(self, bearer: str, body: Mapping[str, Any]) -> APIRequest:
        headers = {"authorization": f"Bearer {bearer}"}
        return self._request("SandboxClock", "POST", "sandbox/clock", headers, body=dict(body))

    def files(self, bearer: str, day: str | None = None) -> APIRequest:
        path = "v1/settlement/files" + (f"/{day}" if day else "")
        return self._request("SettlementFiles", "GET", path, {"authorization": f"Bearer {bearer}"})

    def eft(
        self, endpoint: str, bearer: str, method: str, path: str, *, body: Any = None, key: str | None = None
    ) -> APIRequest:
        """An EFT API V1 call (``v1/...``), with the shared Bearer token (EFT V1 calls spend none)."""
        headers = {"authorization": f"Bearer {bearer}"}
        if key is not None:
            headers["idempotency-key"] = key
        return self._request(endpoint, method, f"v1/{path}", headers, body=body)


class _Sync(Protocol):
    _core: ClientCore

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = ...) -> M: ...

    def _send(self, request: APIRequest) -> httpx.Response: ...


class _Async(Protocol):
    _core: ClientCore

    def _call(self, request: APIRequest, model: type[M], ok: tuple[int, ...] = ...) -> Awaitable[M]: ...

    def _send(self, request: APIRequest) -> Awaitable[httpx.Response]: ...


def _forced(event: str, return_code: str | None, status_details: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"event": event}
    if return_code is not None:
        body["returnCode"] = return_code
    if status_details is not None:
        body["statusDetails"] = status_details
    return body


def _clock_body(to: datetime | str | None, days: int, hours: int, minutes: int) -> dict[str, Any]:
    if to is not None:
        return {"to": to.isoformat() if isinstance(to, datetime) else to}
    return {"days": days, "hours": hours, "minutes": minutes}


def _file_bytes(core: ClientCore, request: APIRequest, response: httpx.Response) -> bytes:
    if response.status_code == 200:
        return response.content
    core.parse(request, response.status_code, response.content, wire.Files)  # raises the API's error
    raise AssertionError("unreachable: a non-200 answer raises")


def _empty(core: ClientCore, request: APIRequest, response: httpx.Response) -> None:
    """An answer with no body (a cancelled schedule): nothing on 200, the API's error otherwise."""
    if response.status_code != 200:
        core.parse(request, response.status_code, response.content, wire.Schedule)  # raises the API's error
        raise AssertionError("unreachable: a non-200 answer raises")


def _transaction(transaction: Mapping[str, Any]) -> list[dict[str, Any]]:
    body = [dict(transaction)]
    json.dumps(body)  # a body that cannot be sent fails here
    return body


def _session_body(body: Mapping[str, Any] | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    merged = {**(body or {}), **{k: v for k, v in fields.items() if v is not None}}
    json.dumps(merged)  # a body that cannot be sent fails here, before a token is spent
    return merged


class PayClient:
    """An API client of one Canadian instance's Pay: ``FlinksClient.pay(client_id, client_secret)``."""

    def __init__(self, parent: _Sync, client_id: str, client_secret: str, clock: Callable[[], float]) -> None:
        self._parent, self._requests = parent, PayRequests(parent._core)
        authorize = self._requests.authorize(client_id, client_secret)
        self._token: Callable[[], Token] = lambda: parent._call(authorize, Token)  # one per session
        self._read_token = TokenKeeper(self._token, clock).get  # the reads share one until it expires

    def create_session(
        self, body: Mapping[str, Any] | None = None, *, idempotency_key: str | None = None, **fields: Any
    ) -> wire.SessionCreated:
        """A V2 session (``type``, ``direction``, ``payor``, ... as the API names them), with a token of its
        own; the same ``idempotency_key`` and body give back the same session."""
        payload = _session_body(body, fields)
        request = self._requests.create(self._token().access_token, payload, idempotency_key)
        return self._parent._call(request, wire.SessionCreated)

    def status(self, session_id: str) -> wire.SessionStatus:
        return self._parent._call(self._requests.read(None, session_id, "status"), wire.SessionStatus)

    def details(self, session_id: str) -> wire.SessionDetails:
        request = self._requests.read(self._read_token(), session_id, "details")
        return self._parent._call(request, wire.SessionDetails)

    def cancel(self, session_id: str) -> wire.SessionStatus:
        return self._parent._call(self._requests.cancel(self._read_token(), session_id), wire.SessionStatus)

    def sandbox_payor(
        self,
        session_id: str,
        username: str,
        password: str = "Everyday",  # noqa: S107 (the sandbox's published password)
        amount: float | None = None,
    ) -> wire.SessionStatus:
        """A sandbox instance plays the payor's flow as the test user ``username`` ends it."""
        body = {
            "username": username,
            "password": password,
            **({"amount": amount} if amount is not None else {}),
        }
        request = self._requests.sandbox_payor(self._read_token(), session_id, body)
        return self._parent._call(request, wire.SessionStatus)

    def confirm_guarantee(self, session_id: str, accepted: bool) -> wire.SessionStatus:
        """Accept or reject the guarantee a ``GuaranteeIssued`` webhook announced for the session."""
        request = self._requests.confirm(self._read_token(), session_id, accepted)
        return self._parent._call(request, wire.SessionStatus)

    def sandbox_simulate(
        self,
        session_id: str,
        event: str,
        *,
        return_code: str | None = None,
        status_details: str | None = None,
    ) -> wire.PaymentView:
        """A sandbox forces ``event`` on the session's money: ``"return"`` (with ``return_code``, a CPA
        code such as ``"908"``), ``"decline"`` or ``"fail"`` (with ``status_details``, EFT0401-EFT0404)."""
        request = self._requests.simulate(
            self._read_token(), session_id, _forced(event, return_code, status_details)
        )
        return self._parent._call(request, wire.PaymentView)

    def sandbox_advance_clock(
        self, to: datetime | str | None = None, *, days: int = 0, hours: int = 0, minutes: int = 0
    ) -> wire.ClockMoved:
        """A sandbox's Pay clock moves forward (to an instant, or by a duration) and settles what is due."""
        request = self._requests.advance_clock(self._read_token(), _clock_body(to, days, hours, minutes))
        return self._parent._call(request, wire.ClockMoved)

    def settlement_files(self) -> wire.Files:
        return self._parent._call(self._requests.files(self._read_token()), wire.Files)

    def settlement_file(self, day: date | str) -> bytes:
        """One day's CPA-005 file, as the instance wrote it."""
        request = self._requests.files(self._read_token(), str(day))
        return _file_bytes(self._parent._core, request, self._parent._send(request))

    # -- EFT API V1 --------------------------------------------------------------------------------------

    def create_transaction(
        self, transaction: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> wire.ScheduleCreated:
        """One EFT transaction (a debit or a credit, one-time or recurring) as the API names its fields;
        sent as the one-element array the API takes. The answer is its schedule."""
        request = self._requests.eft(
            "CreateTransaction", self._read_token(), "POST", "transactions",
            body=_transaction(transaction), key=idempotency_key,
        )  # fmt: skip
        return self._parent._call(request, wire.TransactionCreated).schedules[0]

    def schedule(self, schedule_id: str) -> wire.Schedule:
        request = self._requests.eft("GetSchedule", self._read_token(), "GET", f"schedules/{schedule_id}")
        return self._parent._call(request, wire.Schedule)

    def cancel_schedule(self, schedule_id: str) -> None:
        """Stop every payment of the schedule not yet sent."""
        token = self._read_token()
        request = self._requests.eft("CancelSchedule", token, "POST", f"schedules/{schedule_id}/cancel")
        _empty(self._parent._core, request, self._parent._send(request))

    def pad(self, pad_id: str) -> wire.Pad:
        return self._parent._call(
            self._requests.eft("GetPad", self._read_token(), "GET", f"pads/{pad_id}"), wire.Pad
        )

    def contact(self, contact_id: str) -> wire.Contact:
        request = self._requests.eft("GetContact", self._read_token(), "GET", f"contacts/{contact_id}")
        return self._parent._call(request, wire.Contact)

    def payment_request(self, request_id: str) -> wire.PaymentRequest:
        token = self._read_token()
        request = self._requests.eft("GetPaymentRequest", token, "GET", f"paymentrequests/{request_id}")
        return self._parent._call(request, wire.PaymentRequest)

    def cancel_payment_request(self, request_id: str) -> wire.PaymentRequest:
        path = f"paymentrequests/{request_id}/cancel"
        request = self._requests.eft("CancelPaymentRequest", self._read_token(), "POST", path)
        return self._parent._call(request, wire.PaymentRequest)

    def purpose_categories(self, direction: str) -> list[wire.PurposeCategory]:
        """The purpose codes a ``transactionCode`` takes, for ``"Debit"`` or ``"Credit"``."""
        token = self._read_token()
        request = self._requests.eft("PurposeCategories", token, "GET", f"purposecategories/{direction}")
        return self._parent._call(request, wire.PurposeCategories).root

    def eft_institutions(self) -> wire.EftInstitutions:
        request = self._requests.eft("EftInstitutions", self._read_token(), "GET", "institutions")
        return self._parent._call(request, wire.EftInstitutions)

    def sandbox_return_payment(self, request_id: str, return_code: str) -> wire.PaymentRequest:
        """A sandbox forces a return (a CPA code such as ``"908"``) on a payment once it is in a file."""
        request = self._requests._request(
            "SandboxReturnPayment", "POST", f"sandbox/paymentrequests/{request_id}/simulate",
            {"authorization": f"Bearer {self._read_token()}"},
            body={"event": "return", "returnCode": return_code},
        )  # fmt: skip
        return self._parent._call(request, wire.PaymentRequest)


class AsyncPayClient:
    """The asynchronous twin of :class:`PayClient`: ``AsyncFlinksClient.pay(...)``."""

    def __init__(
        self, parent: _Async, client_id: str, client_secret: str, clock: Callable[[], float]
    ) -> None:
        self._parent, self._requests = parent, PayRequests(parent._core)
        authorize = self._requests.authorize(client_id, client_secret)
        self._token: Callable[[], Awaitable[Token]] = lambda: parent._call(authorize, Token)
        self._read_token = AsyncTokenKeeper(self._token, clock).get

    async def create_session(
        self, body: Mapping[str, Any] | None = None, *, idempotency_key: str | None = None, **fields: Any
    ) -> wire.SessionCreated:
        payload = _session_body(body, fields)
        request = self._requests.create((await self._token()).access_token, payload, idempotency_key)
        return await self._parent._call(request, wire.SessionCreated)

    async def status(self, session_id: str) -> wire.SessionStatus:
        return await self._parent._call(self._requests.read(None, session_id, "status"), wire.SessionStatus)

    async def details(self, session_id: str) -> wire.SessionDetails:
        request = self._requests.read(await self._read_token(), session_id, "details")
        return await self._parent._call(request, wire.SessionDetails)

    async def cancel(self, session_id: str) -> wire.SessionStatus:
        request = self._requests.cancel(await self._read_token(), session_id)
        return await self._parent._call(request, wire.SessionStatus)

    async def sandbox_payor(
        self,
        session_id: str,
        username: str,
        password: str = "Everyday",  # noqa: S107 (the sandbox's published password)
        amount: float | None = None,
    ) -> wire.SessionStatus:
        body = {
            "username": username,
            "password": password,
            **({"amount": amount} if amount is not None else {}),
        }
        request = self._requests.sandbox_payor(await self._read_token(), session_id, body)
        return await self._parent._call(request, wire.SessionStatus)

    async def confirm_guarantee(self, session_id: str, accepted: bool) -> wire.SessionStatus:
        request = self._requests.confirm(await self._read_token(), session_id, accepted)
        return await self._parent._call(request, wire.SessionStatus)

    async def sandbox_simulate(
        self,
        session_id: str,
        event: str,
        *,
        return_code: str | None = None,
        status_details: str | None = None,
    ) -> wire.PaymentView:
        request = self._requests.simulate(
            await self._read_token(), session_id, _forced(event, return_code, status_details)
        )
        return await self._parent._call(request, wire.PaymentView)

    async def sandbox_advance_clock(
        self, to: datetime | str | None = None, *, days: int = 0, hours: int = 0, minutes: int = 0
    ) -> wire.ClockMoved:
        body = _clock_body(to, days, hours, minutes)
        return await self._parent._call(
            self._requests.advance_clock(await self._read_token(), body), wire.ClockMoved
        )

    async def settlement_files(self) -> wire.Files:
        return await self._parent._call(self._requests.files(await self._read_token()), wire.Files)

    async def settlement_file(self, day: date | str) -> bytes:
        request = self._requests.files(await self._read_token(), str(day))
        return _file_bytes(self._parent._core, request, await self._parent._send(request))

    # -- EFT API V1 --------------------------------------------------------------------------------------

    async def create_transaction(
        self, transaction: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> wire.ScheduleCreated:
        """One EFT transaction (a debit or a credit, one-time or recurring) as the API names its fields;
        sent as the one-element array the API takes. The answer is its schedule."""
        request = self._requests.eft(
            "CreateTransaction", await self._read_token(), "POST", "transactions",
            body=_transaction(transaction), key=idempotency_key,
        )  # fmt: skip
        return (await self._parent._call(request, wire.TransactionCreated)).schedules[0]

    async def schedule(self, schedule_id: str) -> wire.Schedule:
        request = self._requests.eft(
            "GetSchedule", await self._read_token(), "GET", f"schedules/{schedule_id}"
        )
        return await self._parent._call(request, wire.Schedule)

    async def cancel_schedule(self, schedule_id: str) -> None:
        """Stop every payment of the schedule not yet sent."""
        token = await self._read_token()
        request = self._requests.eft("CancelSchedule", token, "POST", f"schedules/{schedule_id}/cancel")
        _empty(self._parent._core, request, await self._parent._send(request))

    async def pad(self, pad_id: str) -> wire.Pad:
        return await self._parent._call(
            self._requests.eft("GetPad", await self._read_token(), "GET", f"pads/{pad_id}"), wire.Pad
        )

    async def contact(self, contact_id: str) -> wire.Contact:
        request = self._requests.eft("GetContact", await self._read_token(), "GET", f"contacts/{contact_id}")
        return await self._parent._call(request, wire.Contact)

    async def payment_request(self, request_id: str) -> wire.PaymentRequest:
        token = await self._read_token()
        request = self._requests.eft("GetPaymentRequest", token, "GET", f"paymentrequests/{request_id}")
        return await self._parent._call(request, wire.PaymentRequest)

    async def cancel_payment_request(self, request_id: str) -> wire.PaymentRequest:
        path = f"paymentrequests/{request_id}/cancel"
        request = self._requests.eft("CancelPaymentRequest", await self._read_token(), "POST", path)
        return await self._parent._call(request, wire.PaymentRequest)

    async def purpose_categories(self, direction: str) -> list[wire.PurposeCategory]:
        """The purpose codes a ``transactionCode`` takes, for ``"Debit"`` or ``"Credit"``."""
        token = await self._read_token()
        request = self._requests.eft("PurposeCategories", token, "GET", f"purposecategories/{direction}")
        return (await self._parent._call(request, wire.PurposeCategories)).root

    async def eft_institutions(self) -> wire.EftInstitutions:
        request = self._requests.eft("EftInstitutions", await self._read_token(), "GET", "institutions")
        return await self._parent._call(request, wire.EftInstitutions)

    async def sandbox_return_payment(self, request_id: str, return_code: str) -> wire.PaymentRequest:
        """A sandbox forces a return (a CPA code such as ``"908"``) on a payment once it is in a file."""
        request = self._requests._request(
            "SandboxReturnPayment", "POST", f"sandbox/paymentrequests/{request_id}/simulate",
            {"authorization": f"Bearer {await self._read_token()}"},
            body={"event": "return", "returnCode": return_code},
        )  # fmt: skip
        return await self._parent._call(request, wire.PaymentRequest)
