"""The payment widget, screen by screen: the payor picks their bank, signs in to it through the instance's own
Connect (Flinks Capital, with its MFA), picks the account, confirms the amount, takes the guarantee Flinks
offers (a Guaranteed EFT) and accepts the pre-authorized debit (PAD) agreement; or the flow fails with the
session's code.

Each screen is a form posted to the widget's address, which acts on the session and redirects back to it
(post/redirect/get, as the Connect pages); the redirect names what was just done (``posted``), and the page
posts the events that step makes to the window that embeds it, once. The session row keeps the flow's state
(``flow``): the bank sign-in's RequestId, the chosen account's id, the guarantee offered, never the payor's
bank username or password.

Flinks publishes the screens' order and their events (reference 6.3): ``APP_MOUNTED``,
``INSTITUTION_SELECTED``, ``SUBMIT_CREDENTIAL``, ``SUBMIT_MFA``, ``ACCOUNT_SELECTED``,
``COMPONENT_DEPOSIT_CONTINUE``, ``GUARANTEE_OFFERED``, then ``SUCCESS``, ``GUARANTEE_FAILED`` or
``COMPONENT_NBO_RETURN_TO_CLIENT_SELECTED``. A flow that fails otherwise (the bank sign-in, the identity
check, the balance) posts ``FAILED`` with its ``statusDetails``: Flinks names no event for it.

The guarantee: a Guaranteed EFT is offered for the whole amount, or, for the sandbox payor ``Happy2``, half
of it (the Next Best Offer, which the payor may take or turn down). When the instance has a webhook
endpoint, an accepted guarantee is announced with ``GuaranteeIssued`` and waits for the client's
``POST /api/v2/sessions/{id}/guarantees/confirm`` (``true`` or ``false``); with none, it is accepted at
once, as Flinks does.
"""

from __future__ import annotations

import dataclasses
import enum
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session as DbSession

from finstance.connect import provider
from finstance.core import errors, webhooks
from finstance.core.context import InstanceContext
from finstance.core.identifiers import canonical
from finstance.pay import clock, events, lifecycle, money, records, tables
from finstance.pay.lifecycle import Details, Event, Outcome, SessionStatus
from finstance.pay.rails import Rail
from finstance.sandbox.holders import PAY_PAYORS

PATH = "/pay/app/"
LANGUAGES = ("en", "fr")
GUARANTEE_ISSUED = "GuaranteeIssued"
GUARANTEE_ATTEMPTS = 3  # Flinks retries the guarantee webhook (reference 7.3)
NEXT_BEST_OFFER = {"happy2": 50}  # percent of the amount the guarantee covers, by sandbox payor


class Screen(enum.StrEnum):
    START = "Start"  # choose the bank
    CREDENTIALS = "Credentials"
    MFA = "Mfa"
    ACCOUNT = "Account"
    AMOUNT = "Amount"
    GUARANTEE = "Guarantee"
    CONFIRMATION = "Confirmation"  # the client confirms the guarantee
    PAD = "Pad"  # the pre-authorized debit agreement
    COMPLETE = "Complete"


@dataclass(slots=True)
class Page:
    """What the browser gets: a screen of a session, or a redirect back to the widget."""

    screen: str  # a Screen, or "Ended" (Failed, Canceled, Expired) or "Unknown"
    session_id: str = ""
    language: str = "en"
    status: str = ""
    status_details: str | None = None
    amount: int | None = None  # cents
    offer: int | None = None  # cents the guarantee covers
    payee: str = ""
    payor: str = ""
    prompts: list[str] = field(default_factory=list)
    accounts: list[provider.OfferedAccount] = field(default_factory=list)
    account: str = ""  # the chosen account, masked
    error: str | None = None  # a key of the widget's words
    events: list[dict[str, Any]] = field(default_factory=list)
    redirect: str | None = None
    status_code: int = 200


def url(session_id: str, language: str = "en", posted: str | None = None) -> str:
    query = {"sessionId": session_id, "lang": language, **({"posted": posted} if posted else {})}
    return f"{PATH}?{urlencode(query)}"


def _plain(text: str) -> list[str]:
    """A name's words, compared as a bank's identity check would: case, accents and punctuation aside."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in bare.casefold()).split()


def names_match(first: str, last: str, holder: str) -> bool:
    """The payor's first and last names are both among the holder's (a middle name may be left out)."""
    held = _plain(holder)
    return bool(held) and all(word in held for word in _plain(f"{first} {last}"))


class Widget:
    def __init__(self, ctx: InstanceContext) -> None:
        self.ctx = ctx

    # -- reading -------------------------------------------------------------------------------------

    def _row(self, db: DbSession, session_id: str, *, lock: bool = False) -> tables.PaySession | None:
        key = canonical(session_id)
        return db.get(tables.PaySession, key, with_for_update=lock) if key else None

    def show(self, session_id: str, language: str, posted: str | None) -> Page:
        language = language if language in LANGUAGES else "en"
        with self.ctx.store.write() as db:
            row = self._row(db, session_id, lock=True)
            if row is None:
                return Page("Unknown", language=language, status_code=404)
            now = clock.now(self.ctx, db)
            records.catch_up(self.ctx, db, row, now)
            page = self._page(row, language)
        if page.screen == Screen.ACCOUNT:
            state = row.flow or {}
            page.accounts = [
                a
                for a in provider.offered_accounts(self.ctx, row.login_id or "", state.get("request_id", ""))
                if a.transit_number and a.institution_number
            ]
        elif page.screen == Screen.MFA:
            page.prompts = list(provider.pending_prompts(self.ctx, (row.flow or {}).get("request_id", "")))
        page.events = self._events(row, page, posted)
        return page

    def _page(self, row: tables.PaySession, language: str) -> Page:
        state = row.flow or {}
        ended = row.status not in (SessionStatus.INITIATED, SessionStatus.IN_PROGRESS)
        screen = Screen.COMPLETE.value if row.status is SessionStatus.COMPLETED else row.step
        if ended and row.status is not SessionStatus.COMPLETED:
            screen = "Ended"
        account = (row.payor.get("account") or {}).get("accountNumber", "")
        return Page(
            screen=screen,
            session_id=row.id,
            language=language,
            status=row.status.value,
            status_details=row.status_details,
            amount=row.amount,
            offer=state.get("offer"),
            payee=self.ctx.spec.name,
            payor=" ".join(str(row.payor.get(k) or "") for k in ("firstName", "lastName")),
            account=("•••" + account[-4:]) if account else "",
            error=state.get("error"),
        )

    def _events(self, row: tables.PaySession, page: Page, posted: str | None) -> list[dict[str, Any]]:
        """The events of the step just done (``posted``), posted once: a reload posts nothing again."""
        names: list[str] = []
        if posted is None:
            names = ["APP_MOUNTED"] if page.screen == Screen.START else []
        else:
            names = {
                "institution": ["INSTITUTION_SELECTED"],
                "credentials": ["SUBMIT_CREDENTIAL"],
                "mfa": ["SUBMIT_MFA"],
                "account": ["ACCOUNT_SELECTED"],
                "amount": ["COMPONENT_DEPOSIT_CONTINUE"],
            }.get(posted, [])
            if page.screen == Screen.GUARANTEE and posted == "amount":
                names.append("GUARANTEE_OFFERED")
            if page.screen == Screen.COMPLETE:
                names.append("SUCCESS")
            elif page.screen == "Ended" and row.status is SessionStatus.FAILED:
                if posted == "decline-offer":
                    names.append("COMPONENT_NBO_RETURN_TO_CLIENT_SELECTED")
                elif row.status_details == Details.NOT_ELIGIBLE:
                    names.append("GUARANTEE_FAILED")
                else:
                    names.append("FAILED")
        out: list[dict[str, Any]] = []
        for name in names:
            event: dict[str, Any] = {"step": name, "sessionId": row.id}
            if name in ("SUCCESS", "GUARANTEE_FAILED", "FAILED", "COMPONENT_NBO_RETURN_TO_CLIENT_SELECTED"):
                event.update(status=row.status.value, statusDetails=row.status_details)
                event["amount"] = events.amount(row.amount)
            if name == "GUARANTEE_OFFERED":
                event["amount"] = events.amount(page.offer)
            out.append(event)
        return out

    # -- acting --------------------------------------------------------------------------------------

    def act(self, session_id: str, form: Mapping[str, str]) -> Page:
        language = form.get("lang", "en")
        language = language if language in LANGUAGES else "en"
        action = form.get("action", "")
        with self.ctx.store.read() as db:
            row = self._row(db, session_id)
            if row is None:
                return Page("Unknown", language=language, status_code=404)
            step, state = row.step, dict(row.flow or {})
        posted: str | None = None  # a form refused for a missing field posts no event
        if step == Screen.START and action == "institution":
            posted = self._start(session_id)
        elif step == Screen.CREDENTIALS and action == "submit":
            posted = self._sign_in(session_id, form, language)
        elif step == Screen.MFA and action == "submit":
            posted = self._answer(session_id, state, form)
        elif step == Screen.ACCOUNT and action == "submit":
            posted = self._account(session_id, state, form.get("account", ""))
        elif step == Screen.AMOUNT and action == "submit":
            posted = self._amount(session_id, form.get("amount"))
        elif step == Screen.GUARANTEE and action in ("accept", "decline"):
            posted = self._guarantee(session_id, accept=action == "accept")
        elif step == Screen.PAD and action == "agree":
            posted = self._agree(session_id, form.get("agreement") == "yes")
        return Page(step, session_id, language, redirect=url(session_id, language, posted), status_code=303)

    def _move(
        self,
        session_id: str,
        *,
        screen: Screen | None = None,
        flow: Mapping[str, Any] | None = None,
        outcome: Outcome | None = None,
        start: bool = False,
        **payor: Any,
    ) -> tables.PaySession | None:
        """Store one step of the flow on a session still under way; None when it no longer is."""
        with self.ctx.store.write() as db:
            row = self._row(db, session_id, lock=True)
            if row is None:
                return None
            now = clock.now(self.ctx, db)
            records.catch_up(self.ctx, db, row, now)
            if row.status not in (SessionStatus.INITIATED, SessionStatus.IN_PROGRESS):
                return None
            request = records.request_of(row)
            if start:
                request = lifecycle.start(request, now)
            if outcome is not None:
                amount = (flow or {}).get("amount")
                if amount is not None:
                    request = dataclasses.replace(request, amount=amount)
                request = lifecycle.complete(request, outcome, now)
            if flow is not None:
                row.flow = {**(row.flow or {}), **{k: v for k, v in flow.items() if k != "amount"}}
                if "amount" in flow and outcome is None:
                    request = dataclasses.replace(request, amount=flow["amount"])
            if payor:
                row.payor = {**row.payor, **payor}
            if screen is not None:
                row.step = screen.value
            records.store(self.ctx, db, row, request, now)
            return row

    def _fail(self, session_id: str, details: Details, posted: str, **flow: Any) -> str:
        """End the flow with ``details``; ``posted``, the step that failed, for its events."""
        event = Event.DECLINE if details is Details.NOT_ELIGIBLE else Event.FAIL
        self._move(session_id, flow=flow or None, outcome=Outcome(event, details))
        return posted

    def _start(self, session_id: str) -> str:
        self._move(session_id, screen=Screen.CREDENTIALS, start=True, flow={"error": None})
        return "institution"

    def _sign_in(self, session_id: str, form: Mapping[str, str], language: str) -> str | None:
        username, password = form.get("username", "").strip()[:200], form.get("password", "")[:200]
        if not username or not password:
            self._move(session_id, flow={"error": "missing"})
            return None
        nonce = secrets.token_hex(16)
        signed = provider.sign_in(
            self.ctx, username=username, password=password, language=language, nonce=nonce
        )
        offer = NEXT_BEST_OFFER.get(username.lower(), 100)
        payor_kind = username.lower() if username.lower() in PAY_PAYORS else "payor"
        return self._signed_in(session_id, signed, nonce, {"offer_percent": offer, "kind": payor_kind})

    def _answer(self, session_id: str, state: Mapping[str, Any], form: Mapping[str, str]) -> str | None:
        prompts = provider.pending_prompts(self.ctx, state.get("request_id", ""))
        answers = {p: form.get(f"answer-{i}", "").strip()[:200] for i, p in enumerate(prompts)}
        if not prompts or not all(answers.values()):
            self._move(session_id, flow={"error": "missing"})
            return None
        signed = provider.answer(
            self.ctx, request_id=state.get("request_id", ""), answers=answers, nonce=state.get("attempt", "")
        )
        return self._signed_in(session_id, signed, state.get("attempt", ""), {}, posted="mfa")

    def _signed_in(
        self,
        session_id: str,
        signed: provider.SignIn,
        nonce: str,
        more: Mapping[str, Any],
        posted: str = "credentials",
    ) -> str:
        if signed.prompts:
            flow = {**more, "request_id": signed.request_id, "attempt": nonce, "error": None}
            self._move(session_id, screen=Screen.MFA, flow=flow)
            return posted
        if signed.error_code is not None or signed.login_id is None:
            return self._fail(session_id, Details.LOGIN_FAILED, posted, error=None)
        with self.ctx.store.write() as db:
            row = self._row(db, session_id, lock=True)
            if row is not None:
                row.login_id = signed.login_id
        flow = {**more, "request_id": signed.request_id, "attempt": None, "error": None}
        self._move(session_id, screen=Screen.ACCOUNT, flow=flow)
        return posted

    def _account(self, session_id: str, state: Mapping[str, Any], account_id: str) -> str | None:
        with self.ctx.store.read() as db:
            row = self._row(db, session_id)
            login_id = row.login_id if row is not None else None
            first, last = (
                ("", "") if row is None else (row.payor.get("firstName", ""), row.payor.get("lastName", ""))
            )
        request_id = state.get("request_id", "")
        offered = {a.id: a for a in provider.offered_accounts(self.ctx, login_id or "", request_id)}
        chosen = offered.get(account_id)
        if chosen is None or not (chosen.transit_number and chosen.institution_number):
            self._move(session_id, flow={"error": "no_account"})
            return None
        holder = provider.holder_name(self.ctx, login_id or "", request_id) or ""
        if not names_match(str(first), str(last), holder):
            return self._fail(session_id, Details.IDENTITY_FAILED, "account", error=None)
        account = {
            "institutionCode": chosen.institution_number,
            "transitNumber": chosen.transit_number,
            "accountNumber": chosen.account_number,
            "accountType": chosen.type,
            "institutionName": "Flinks Capital",
            "availableBalance": money.format_amount(chosen.balance_available_cents or 0),
        }
        flow = {"account_id": chosen.id, "available": chosen.balance_available_cents, "error": None}
        self._move(session_id, screen=Screen.AMOUNT, flow=flow, account=account)
        return "account"

    def _amount(self, session_id: str, entered: str | None) -> str | None:
        with self.ctx.store.read() as db:
            row = self._row(db, session_id)
            if row is None:
                return "amount"
            amount, state, rail = row.amount, dict(row.flow or {}), Rail(row.rail)
        if amount is None:
            try:
                amount = money.AmountLimits().check(money.parse_amount(entered or ""))
            except errors.FlinksError:
                self._move(session_id, flow={"error": "amount"})
                return None
        available = state.get("available")
        if available is not None and amount > available:
            return self._fail(session_id, Details.INSUFFICIENT_BALANCE, "amount", amount=amount)
        if rail is Rail.E_TRANSFER:  # the payor authorizes the Request for Money at their bank: done
            self._move(session_id, flow={"amount": amount}, outcome=Outcome(Event.ACCEPT, Details.SCHEDULED))
            return "amount"
        if rail is Rail.EFT:
            self._move(session_id, screen=Screen.PAD, flow={"amount": amount, "error": None})
            return "amount"
        if state.get("kind") == "unhappy1":
            return self._fail(session_id, Details.NOT_ELIGIBLE, "amount", amount=amount)
        offer = max(1, amount * int(state.get("offer_percent", 100)) // 100)
        self._move(
            session_id, screen=Screen.GUARANTEE, flow={"amount": amount, "offer": offer, "error": None}
        )
        return "amount"

    def _guarantee(self, session_id: str, *, accept: bool) -> str:
        if not accept:
            return self._fail(session_id, Details.NOT_ELIGIBLE, "decline-offer")
        with self.ctx.store.write() as db:
            row = self._row(db, session_id, lock=True)
            if row is None or row.step != Screen.GUARANTEE:
                return "guarantee"
            offer = (row.flow or {}).get("offer")
            if offer is not None and row.amount is not None and offer < row.amount:
                row.amount = offer  # the Next Best Offer taken: the payment is for what the guarantee covers
            if webhooks.endpoint_urls(db):
                row.step = Screen.CONFIRMATION.value
                row.flow = {**(row.flow or {}), "guarantee": "awaiting"}
                body = {"eventType": GUARANTEE_ISSUED, **_common(self.ctx, row)}
                body["guaranteedAmount"] = events.amount(row.amount)
                webhooks.emit(
                    self.ctx, db, GUARANTEE_ISSUED, body, row.login_id, envelope=False,
                    max_attempts=GUARANTEE_ATTEMPTS,
                )  # fmt: skip
            else:
                row.step = Screen.PAD.value
                row.flow = {**(row.flow or {}), "guarantee": "accepted"}
        return "guarantee"

    def _agree(self, session_id: str, agreed: bool) -> str | None:
        if not agreed:
            self._move(session_id, flow={"error": "agreement"})
            return None
        self._move(session_id, flow={"error": None}, outcome=Outcome(Event.ACCEPT, Details.SCHEDULED))
        return "pad"


def _common(ctx: InstanceContext, row: tables.PaySession) -> dict[str, Any]:
    return {
        "when": ctx.clock.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "sessionId": row.id,
        "referenceId": row.reference_id,
        "amount": events.amount(row.amount),
    }


def confirm_guarantee(
    ctx: InstanceContext, db: DbSession, row: tables.PaySession, accepted: bool, now: datetime
) -> None:
    """The client's answer to ``GuaranteeIssued`` (in the caller's transaction, the row locked): the payor
    goes on to the PAD agreement, or the session fails with EFT0402."""
    if row.step != Screen.CONFIRMATION or (row.flow or {}).get("guarantee") != "awaiting":
        raise errors.InvalidRequest("This session has no guarantee waiting for confirmation.")
    row.flow = {**(row.flow or {}), "guarantee": "accepted" if accepted else "rejected"}
    if accepted:
        row.step = Screen.PAD.value
        return
    request = lifecycle.complete(records.request_of(row), Outcome(Event.DECLINE, Details.NOT_ELIGIBLE), now)
    records.store(ctx, db, row, request, now)
