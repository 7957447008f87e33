"""The Connect flow, screen by screen: consent, institution, credentials, MFA, accounts, redirect.

Each step is one call that reads the flow from the store, acts and writes the flow back with the screen it
leads to: what that screen shows, and the events the page must post to its parent (reference 3.3), in
order. The page is post/redirect/get: a step answers with a redirect to the flow's address, whose GET
(:meth:`Flow.show`) renders the stored screen and hands over its pending events once; a reload or Back
renders the same screen again without them. The bank is reached only through
:func:`finstance.connect.sessions.authorize`, the very code behind ``/Authorize``: a connection made here
gives the same loginId and queues the same aggregation job as one made through the API. The flow's state
lives in the store, so any process of the instance can serve the next step.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from finstance.connect import sessions, tables, tokens
from finstance.connect.tables import FlowScreen, SessionState
from finstance.connect.web.options import ConnectOptions, Parsed
from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.identifiers import Origin, canonical
from finstance.sandbox import bank
from finstance.sandbox.generator import generate_profile
from finstance.sandbox.institutions import Institution, catalogue, find_institution

# Screens
CONSENT, DECLINED, INSTITUTIONS = FlowScreen.CONSENT, FlowScreen.DECLINED, FlowScreen.INSTITUTIONS
CREDENTIALS, MFA, ACCOUNTS = FlowScreen.CREDENTIALS, FlowScreen.MFA, FlowScreen.ACCOUNTS
SUCCESS, ERROR, CLOSED = FlowScreen.SUCCESS, FlowScreen.ERROR, FlowScreen.CLOSED

# Errors the end-user can fix by typing their credentials again.
CREDENTIAL_ERRORS = {"INVALID_USERNAME", "INVALID_PASSWORD", "INVALID_LOGIN"}
# Errors after which starting over from the credentials makes sense.
RETRYABLE = {"RETRY_LATER", "INVALID_SECURITY_RESPONSE", "SESSION_NONEXISTENT", "TOO_MANY_REQUESTS"}
TOKEN_INVALID = "TOKEN_INVALID"  # noqa: S105 (an event name)
TOKEN_MISSING = "TOKEN_MISSING"  # noqa: S105 (the screen of a production page opened without a token)
MAXIMUM_RETRY = "MAXIMUM_RETRY"
FLOW_EXPIRED = "SESSION_EXPIRED"
INVALID_PARAMETERS = "INVALID_REQUEST"

# The flow's JSON column holds its options and, under these keys, what is not an option: the screen
# being shown (with the events not yet handed to the page) and the nonce of the current credential attempt.
VIEW = "_view"
ATTEMPT = "_attempt"


@dataclass(frozen=True, slots=True)
class AccountChoice:
    id: str
    title: str
    masked_number: str
    type: str
    currency: str
    balance_cents: int


@dataclass(slots=True)
class Screen:
    """What the page shows next, and the events to post to the parent window, in order."""

    name: str
    options: ConnectOptions
    flow_id: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    institution: Institution | None = None
    institutions: list[Institution] = field(default_factory=list)
    query: str = ""
    username: str = ""
    error_code: str | None = None  # a FlinksCode (or TOKEN_INVALID, MAXIMUM_RETRY) explaining the screen
    retry: bool = False  # credentials or MFA shown again after an error
    can_retry: bool = False  # the error screen offers to try again
    can_go_back: bool = False  # the error screen offers to choose another institution
    prompts: list[str] = field(default_factory=list)
    accounts: list[AccountChoice] = field(default_factory=list)
    redirect_url: str | None = None
    navigate: str | None = None  # "inner", "top" or None: where the page sends the browser
    login_id: str | None = None
    problems: list[str] = field(default_factory=list)
    restart_url: str | None = None  # a screen that ends the flow: where "Start again" leads (sandbox only)
    status: int = 200  # the HTTP status of the page


class Flow:
    """The Connect flows of one instance."""

    def __init__(self, ctx: InstanceContext, base_url: str) -> None:
        self.ctx = ctx
        self.base_url = base_url.rstrip("/")

    # -- starting ----------------------------------------------------------------------------------

    def start(self, parsed: Parsed) -> Screen:
        options = parsed.options
        mounted = [self._event(options, "APP_MOUNTED")]
        if parsed.problems:
            return Screen(
                ERROR,
                options,
                events=[*mounted, self._error_event(options, INVALID_PARAMETERS)],
                error_code=INVALID_PARAMETERS,
                problems=parsed.problems,
                status=400,
            )
        now = self.ctx.clock.now()
        with self.ctx.store.write() as db:
            if parsed.authorize_token is not None:
                try:
                    tokens.consume(db, parsed.authorize_token, now)
                except errors.AccessDenied:
                    return self._token_refused(options, mounted, TOKEN_INVALID)
            elif not self.ctx.spec.sandbox:
                return self._token_refused(options, mounted, TOKEN_MISSING)
            flow = tables.ConnectFlow(
                id=self.ctx.spec.ids.random(),
                options=options.to_json(),
                screen=CONSENT if options.consent_enable else INSTITUTIONS,
                institution=None,
                request_id=None,
                login_id=None,
                attempts=0,
                created_at=now,
                expires_at=now + self.ctx.settings.authorize_token_ttl,
            )
            screen = self._screen(flow, options)  # consent or institutions: nothing more to read
            flow.options = {**flow.options, VIEW: _view(screen)}  # its events go out with this page
            db.add(flow)
        screen.events = [*mounted, *screen.events]
        return screen

    def _token_refused(self, options: ConnectOptions, mounted: list[dict[str, Any]], code: str) -> Screen:
        """A used or expired token, or none on a production instance: the same event, its own screen."""
        return Screen(
            ERROR,
            options,
            events=[*mounted, self._event(options, TOKEN_INVALID)],
            error_code=code,
            restart_url=self._restart(options),
            status=401,
        )

    # -- showing -------------------------------------------------------------------------------------

    def show(self, flow_id: str) -> Screen:
        """The flow's current screen, as its last step left it. The events that step produced are handed
        over with the first showing only: a reload or Back shows the screen again without posting them."""
        flow, expired = self._load(flow_id)
        if flow is None:
            return self._gone(expired)
        options = ConnectOptions.from_json(flow.options)
        view = _view_of(flow.options)
        events: list[dict[str, Any]] = []
        navigate: str | None = None
        if view.get("events") or view.get("navigate"):
            view = self._take_pending(flow)
            events, navigate = list(view.get("events") or []), view.get("navigate")
        screen = self._rebuild(flow, options, view)
        screen.events, screen.navigate = events, navigate
        return screen

    def _take_pending(self, flow: tables.ConnectFlow) -> dict[str, Any]:
        """The stored screen, with its pending events and navigation, which the store forgets at once."""
        with self.ctx.store.write() as db:
            row = db.get(tables.ConnectFlow, flow.id, with_for_update=True)
            if row is None:
                return _view_of(flow.options)
            view = _view_of(row.options)
            if view.get("events") or view.get("navigate"):
                row.options = {**row.options, VIEW: {**view, "events": [], "navigate": None}}
            flow.options = dict(row.options)
            flow.screen, flow.institution = row.screen, row.institution
            flow.request_id, flow.login_id = row.request_id, row.login_id
            return view

    def _rebuild(self, flow: tables.ConnectFlow, options: ConnectOptions, view: Mapping[str, Any]) -> Screen:
        """The screen described by a stored view; what can be read again (lists, accounts) is read again."""
        name = view.get("name")
        if name not in set(FlowScreen):
            return self._screen(flow, options, fresh=False)
        screen = Screen(
            str(name),
            options,
            flow.id,
            institution=self._institution(flow),
            query=str(view.get("query") or ""),
            username=str(view.get("username") or ""),
            error_code=view.get("error_code"),
            retry=bool(view.get("retry")),
            can_retry=bool(view.get("can_retry")),
            can_go_back=bool(view.get("can_go_back")),
            prompts=[str(p) for p in view.get("prompts") or []],
            redirect_url=view.get("redirect_url"),
            login_id=view.get("login_id"),
            restart_url=view.get("restart_url"),
        )
        if name == INSTITUTIONS:
            screen.institutions = self._listed(options)
            if screen.query:
                screen.institutions = _matching(screen.institutions, screen.query, options.language)
        elif name == ACCOUNTS:
            screen.accounts = self._choices(flow, options)
        elif name == MFA and not screen.prompts:
            screen.prompts = self._pending_prompts(flow)
        return screen

    def _again(self, flow: tables.ConnectFlow, options: ConnectOptions) -> Screen:
        """The screen the flow is on, once more, with no event: an action it does not take."""
        return self._rebuild(flow, options, _view_of(flow.options))

    def _gone(self, expired: ConnectOptions | None) -> Screen:
        """An expired flow (410), or one this instance does not know (404): the way on is a new start."""
        options = expired if expired is not None else ConnectOptions()
        return Screen(
            ERROR,
            options,
            events=[self._error_event(options, FLOW_EXPIRED)],
            error_code=FLOW_EXPIRED,
            restart_url=self._restart(expired if expired is not None else ConnectOptions(demo=True)),
            status=410 if expired is not None else 404,
        )

    def _restart(self, options: ConnectOptions) -> str | None:
        """Where "Start again" leads: the same Connect page, anew. A sandbox instance opens it without an
        authorize token; on a production instance only the integrator's page can mint one, so none."""
        if not self.ctx.spec.sandbox:
            return None
        query = options.to_query()
        return "/v2/" + (f"?{urlencode(query)}" if query else "")

    # -- acting --------------------------------------------------------------------------------------

    def act(self, flow_id: str, form: Mapping[str, list[str]]) -> Screen:
        """One step. The screen it leads to is stored with the flow, its events added to those not yet
        shown; a flow that is unknown or has expired is answered with its error screen (no flow_id)."""
        flow, expired = self._load(flow_id)
        if flow is None:
            return self._gone(expired)
        options = ConnectOptions.from_json(flow.options)
        screen = self._step(flow, options, form)
        self._write(flow, screen)
        return screen

    def _step(
        self, flow: tables.ConnectFlow, options: ConnectOptions, form: Mapping[str, list[str]]
    ) -> Screen:
        action = _first(form, "action")
        handler = {
            CONSENT: self._on_consent,
            DECLINED: self._on_declined,
            INSTITUTIONS: self._on_institutions,
            CREDENTIALS: self._on_credentials,
            MFA: self._on_mfa,
            ACCOUNTS: self._on_accounts,
            ERROR: self._on_error,
        }.get(flow.screen)
        if action == "close" and options.close_enable:
            self._set(flow, screen=CLOSED)
            return Screen(
                CLOSED,
                options,
                flow.id,
                events=[self._event(options, "COMPONENT_CLOSE_SESSION", flow)],
                restart_url=self._restart(options),
            )
        if handler is None:  # success or closed: nothing more to do
            return self._again(flow, options)
        try:
            return handler(flow, options, action, form)
        except errors.FlinksError as exc:  # refused before the bank was asked (e.g. TOO_MANY_REQUESTS)
            code = exc.flinks_code
            self._set(flow, screen=ERROR)
            return Screen(
                ERROR,
                options,
                flow.id,
                events=[self._error_event(options, code, flow)],
                institution=self._institution(flow),
                error_code=code,
                can_retry=code in RETRYABLE,
            )

    def _on_consent(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        if action == "accept":
            self._set(flow, screen=INSTITUTIONS)
            return self._screen(flow, options, before=("COMPONENT_ACCEPT_CONSENT",))
        if action == "deny":
            self._set(flow, screen=DECLINED)
            return Screen(
                DECLINED, options, flow.id, events=[self._event(options, "COMPONENT_DENY_CONSENT", flow)]
            )
        return self._screen(flow, options, fresh=False)

    def _on_declined(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        if action == "review":
            self._set(flow, screen=CONSENT)
            return self._screen(flow, options)
        return self._again(flow, options)

    def _on_institutions(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        if action == "select":
            found = find_institution(self.ctx.spec.country, _first(form, "institution"))
            if found is None or found not in self._listed(options):
                return self._screen(flow, options, fresh=False)
            selected = self._event(options, "INSTITUTION_SELECTED", flow, institution=found.name)
            if found.name != bank.INSTITUTION or not found.enabled:
                self._set(flow, screen=ERROR, institution=found.name)
                return Screen(
                    ERROR,
                    options,
                    flow.id,
                    events=[
                        selected,
                        self._event(options, "DISABLED_INSTITUTION", flow, institution=found.name),
                    ],
                    institution=found,
                    error_code="DISABLED_INSTITUTION",
                    can_retry=True,
                )
            self._set(flow, screen=CREDENTIALS, institution=found.name)
            screen = self._screen(flow, options)
            screen.events = [selected, *screen.events]
            return screen
        screen = self._screen(flow, options, fresh=False)
        if action == "search" and options.institution_filter_enable:
            screen.query = _first(form, "q")[:100]
            screen.institutions = _matching(screen.institutions, screen.query, options.language)
        return screen

    def _on_credentials(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        if action == "back" and options.back_enable:
            self._set(flow, screen=INSTITUTIONS, institution=None)
            return self._screen(flow, options)
        username, password = _first(form, "username").strip(), _first(form, "password")
        if action != "submit" or not username or not password:
            screen = self._screen(flow, options, fresh=False)
            screen.username = username
            screen.error_code = "MISSING_CREDENTIALS" if action == "submit" else None
            return screen
        assert flow.institution is not None
        submitted = self._event(options, "SUBMIT_CREDENTIAL", flow)
        days = options.days_of_transactions
        # This attempt's own token (the page's was spent when it loaded), derived from a nonce the flow
        # keeps, so that the MFA answers can present it again while the store never holds it.
        attempt = secrets.token_hex(16)
        flow.options = {**flow.options, ATTEMPT: attempt}
        token = tokens.mint(self.ctx, self._attempt_token(flow, attempt))
        outcome = sessions.authorize(
            self.ctx,
            token,
            sessions.AuthorizeInput(
                institution=flow.institution,
                username=username,
                password=password,
                language=options.language,
                tag=options.tag,
                schedule_refresh=options.schedule_refresh,
                collect={"history_days": days} if days else None,
            ),
        )
        return self._after_authorize(flow, options, outcome, submitted, username)

    def _on_mfa(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        prompts = self._pending_prompts(flow)
        answers = {p: _first(form, f"answer-{i}").strip() for i, p in enumerate(prompts)}
        if action != "submit" or not prompts or not all(answers.values()):
            screen = self._screen(flow, options, fresh=False)
            screen.error_code = "MISSING_ANSWER" if action == "submit" else None
            return screen
        submitted = self._event(options, "SUBMIT_MFA", flow)
        token = self._attempt_token(flow, str(flow.options.get(ATTEMPT) or ""))  # the same token again
        outcome = sessions.authorize(
            self.ctx,
            token,
            sessions.AuthorizeInput(
                request_id=flow.request_id, security_responses={p: [a] for p, a in answers.items()}
            ),
        )
        return self._after_authorize(flow, options, outcome, submitted, "")

    def _on_accounts(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        choices = self._choices(flow, options)
        offered = {c.id for c in choices}
        picked = [a for a in form.get("account", []) if a in offered]
        if not options.account_selector_multiple:
            picked = picked[:1]
        if action != "submit" or not picked:
            screen = self._screen(flow, options, fresh=False)
            screen.error_code = "NO_ACCOUNT_SELECTED" if action == "submit" else None
            return screen
        selected = self._event(options, "ACCOUNT_SELECTED", flow, accountId=",".join(picked))
        return self._success(flow, options, picked, before=[selected])

    def _on_error(
        self, flow: tables.ConnectFlow, options: ConnectOptions, action: str, form: Mapping[str, list[str]]
    ) -> Screen:
        if action == "retry" and flow.institution == bank.INSTITUTION:
            self._set(flow, screen=CREDENTIALS, request_id=None)
            return self._screen(flow, options)
        if action in ("retry", "back"):
            self._set(flow, screen=INSTITUTIONS, institution=None, request_id=None)
            return self._screen(flow, options)
        return self._again(flow, options)

    # -- outcomes of the bank ------------------------------------------------------------------------

    def _after_authorize(
        self,
        flow: tables.ConnectFlow,
        options: ConnectOptions,
        outcome: sessions.AuthorizeOutcome,
        submitted: dict[str, Any],
        username: str,
    ) -> Screen:
        session = outcome.session
        flow.request_id = session.id
        if outcome.error is not None:
            code = outcome.error.flinks_code
            failed = self._error_event(options, code, flow, session.id)
            if outcome.prompts:  # the challenge stands: answer it again
                self._set(flow, screen=MFA, request_id=session.id)
                return Screen(
                    MFA,
                    options,
                    flow.id,
                    events=[submitted, failed, self._event(options, "COMPONENT_LOAD_MFA_RETRY", flow)],
                    institution=self._institution(flow),
                    prompts=list(outcome.prompts),
                    error_code=code,
                    retry=True,
                )
            if code in CREDENTIAL_ERRORS:
                attempts = flow.attempts + 1
                if options.maximum_retry is not None and attempts >= options.maximum_retry:
                    self._set(flow, screen=CLOSED, attempts=attempts, request_id=session.id)
                    return Screen(
                        ERROR,
                        options,
                        flow.id,
                        events=[submitted, failed, self._event(options, MAXIMUM_RETRY, flow)],
                        institution=self._institution(flow),
                        error_code=MAXIMUM_RETRY,
                        restart_url=self._restart(options),
                    )
                self._set(flow, screen=CREDENTIALS, attempts=attempts, request_id=session.id)
                return Screen(
                    CREDENTIALS,
                    options,
                    flow.id,
                    events=[submitted, failed, self._event(options, "COMPONENT_LOAD_CREDENTIAL_RETRY", flow)],
                    institution=self._institution(flow),
                    username=username,
                    error_code=code,
                    retry=True,
                )
            self._set(flow, screen=ERROR, request_id=session.id)
            return Screen(
                ERROR,
                options,
                flow.id,
                events=[submitted, failed],
                institution=self._institution(flow),
                error_code=code,
                can_retry=code in RETRYABLE,
                can_go_back=code not in RETRYABLE,  # e.g. a disabled account: another bank, another login
            )
        if outcome.prompts:
            self._set(flow, screen=MFA, request_id=session.id)
            return Screen(
                MFA,
                options,
                flow.id,
                events=[
                    submitted,
                    self._event(options, "COMPONENT_LOAD_MFA", flow, mfaTypes=["QuestionAndAnswer"]),
                ],
                institution=self._institution(flow),
                prompts=list(outcome.prompts),
            )
        assert outcome.login is not None
        flow.login_id = outcome.login.id
        if options.account_selector_enable:
            self._set(flow, screen=ACCOUNTS, request_id=session.id, login_id=outcome.login.id)
            screen = self._screen(flow, options)
            screen.events = [submitted, *screen.events]
            return screen
        return self._success(flow, options, [], before=[submitted])

    def _success(
        self,
        flow: tables.ConnectFlow,
        options: ConnectOptions,
        account_ids: list[str],
        before: list[dict[str, Any]],
    ) -> Screen:
        assert flow.login_id is not None and flow.institution is not None
        params = {"loginId": flow.login_id, "institution": flow.institution}
        if account_ids:
            params["accountId"] = ",".join(account_ids)
        if options.tag is not None:
            params["tag"] = options.tag
        if options.redirect_url is not None:
            url = _with_query(options.redirect_url, params)
            navigate = None if options.js_redirect else ("inner" if options.inner_redirect else "top")
        else:
            url = _with_query(f"{self.base_url}/v2/Result/{flow.institution}", params)
            navigate = None
        self._set(flow, screen=SUCCESS)
        extra: dict[str, Any] = {"url": url, "loginId": flow.login_id, "requestId": flow.request_id}
        if account_ids:
            extra["accountId"] = ",".join(account_ids)
        redirect = self._event(options, "REDIRECT", flow, **extra)
        return Screen(
            SUCCESS,
            options,
            flow.id,
            events=[*before, redirect],
            institution=self._institution(flow),
            redirect_url=url,
            navigate=navigate,
            login_id=flow.login_id,
        )

    # -- reading and writing the flow ------------------------------------------------------------------

    def _load(self, flow_id: str) -> tuple[tables.ConnectFlow | None, ConnectOptions | None]:
        """The flow, detached; or (None, its options) when it has expired; or (None, None) when this
        instance does not know it (another instance's, deleted, or not an identifier at all)."""
        if self.ctx.spec.ids.origin(flow_id) is not Origin.THIS_INSTANCE:
            return None, None
        key = canonical(flow_id)
        with self.ctx.store.read() as db:
            flow = db.get(tables.ConnectFlow, key) if key else None
            if flow is None:
                return None, None
            if flow.expires_at <= self.ctx.clock.now():
                return None, ConnectOptions.from_json(flow.options)
            db.expunge(flow)
            return flow, None

    def _set(self, flow: tables.ConnectFlow, **changes: Any) -> None:
        """Move the flow (in memory): :meth:`_write` stores it with the screen the step leads to."""
        for name, value in changes.items():
            setattr(flow, name, value)

    def _write(self, flow: tables.ConnectFlow, screen: Screen) -> None:
        """Store the flow and the screen it now shows. The screen's events join those not yet handed to
        the page (a step taken before the last one was shown), so none is lost and none is posted twice."""
        view = _view(screen)
        with self.ctx.store.write() as db:
            row = db.get(tables.ConnectFlow, flow.id, with_for_update=True)
            if row is None:  # deleted meanwhile (DeleteCard): its address now answers 404
                return
            view["events"] = [*(_view_of(row.options).get("events") or []), *screen.events]
            view["navigate"] = screen.navigate
            for name in ("screen", "institution", "request_id", "login_id", "attempts"):
                setattr(row, name, getattr(flow, name))
            row.options = {**flow.options, VIEW: view}

    def _attempt_token(self, flow: tables.ConnectFlow, attempt: str) -> str:
        mac = hmac.new(
            self.ctx.spec.derive_key, f"connect-attempt|{flow.id}|{attempt}".encode(), hashlib.sha256
        ).digest()
        return str(uuid.UUID(bytes=mac[:16]))

    def _pending_prompts(self, flow: tables.ConnectFlow) -> list[str]:
        if flow.request_id is None:
            return []
        with self.ctx.store.read() as db:
            session = db.get(tables.Session, flow.request_id)
            return (
                list(session.challenge)
                if session is not None and session.state is SessionState.MFA_PENDING
                else []
            )

    def _screen(
        self,
        flow: tables.ConnectFlow,
        options: ConnectOptions,
        *,
        before: tuple[str, ...] = (),
        fresh: bool = True,
    ) -> Screen:
        """The flow's current screen; ``fresh``: it is being shown now, so its load event is posted."""
        screen = Screen(flow.screen, options, flow.id, institution=self._institution(flow))
        load: dict[str, Any] | None = None
        if flow.screen == CONSENT:
            load = self._event(options, "COMPONENT_LOAD_CONSENT", flow)
        elif flow.screen == INSTITUTIONS:
            screen.institutions = self._listed(options)
            load = self._event(options, "COMPONENT_LOAD_INSTITUTION_SELECTOR", flow)
        elif flow.screen == CREDENTIALS:
            load = self._event(options, "COMPONENT_LOAD_CREDENTIAL", flow)
        elif flow.screen == MFA:
            screen.prompts = self._pending_prompts(flow)
        elif flow.screen == ACCOUNTS:
            screen.accounts = self._choices(flow, options)
            load = self._event(
                options,
                "COMPONENT_LOAD_ACCOUNT_SELECTION",
                flow,
                totalAccounts=len(self._all_accounts(flow)),
                displayedAccounts=len(screen.accounts),
            )
        elif flow.screen == ERROR:
            screen.can_retry = True
        screen.events = [self._event(options, step, flow) for step in before]
        if fresh and load is not None:
            screen.events.append(load)
        return screen

    # -- what the end-user is offered ----------------------------------------------------------------

    def _listed(self, options: ConnectOptions) -> list[Institution]:
        """The country's catalogue; the test bank only with ``demo=true``, and then first."""
        listed = [i for i in catalogue(self.ctx.spec.country) if i.name != bank.INSTITUTION]
        test_bank = find_institution(self.ctx.spec.country, bank.INSTITUTION)
        return [test_bank, *listed] if options.demo and test_bank is not None else listed

    def _institution(self, flow: tables.ConnectFlow) -> Institution | None:
        return find_institution(self.ctx.spec.country, flow.institution) if flow.institution else None

    def _all_accounts(self, flow: tables.ConnectFlow) -> list[AccountChoice]:
        """The accounts the bank shows: the same ones, with the same ids, that aggregation saves."""
        if flow.login_id is None or flow.request_id is None:
            return []
        with self.ctx.store.read() as db:
            session = db.get(tables.Session, flow.request_id)
            username = session.username if session is not None else ""
        profile = generate_profile(
            username, self.ctx.spec.country, self.ctx.clock.now().date(), salt=flow.login_id
        )
        return [
            AccountChoice(
                id=a.id,
                title=a.title,
                masked_number="•••" + (a.last_four_digits or a.account_number)[-4:],
                type=a.type if a.category == "Operations" else f"{a.category}:{a.type}",
                currency=a.currency,
                balance_cents=a.balance_current_cents,
            )
            for a in profile.accounts
        ]

    def _choices(self, flow: tables.ConnectFlow, options: ConnectOptions) -> list[AccountChoice]:
        choices = self._all_accounts(flow)
        if not options.show_all_accounts:
            choices = [c for c in choices if ":" not in c.type]
        if options.account_selector_currency:
            choices = [c for c in choices if c.currency.lower() == options.account_selector_currency]
        return choices

    # -- events ----------------------------------------------------------------------------------------

    def _event(
        self, options: ConnectOptions, step: str, flow: tables.ConnectFlow | None = None, **data: Any
    ) -> dict[str, Any]:
        event: dict[str, Any] = {"step": step}
        if flow is not None and flow.institution and "institution" not in data:
            event["institution"] = flow.institution
        event.update(data)
        if options.tag is not None:
            event["tag"] = options.tag
        return event

    def _error_event(
        self,
        options: ConnectOptions,
        code: str,
        flow: tables.ConnectFlow | None = None,
        request_id: str | None = None,
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"flinksCode": code}
        if request_id is not None:
            data["requestId"] = request_id
        return self._event(options, code, flow, **data)


def _view(screen: Screen) -> dict[str, Any]:
    """What a screen shows that the flow's row does not say, as stored with the flow."""
    return {
        "name": str(screen.name),
        "query": screen.query,
        "username": screen.username,
        "error_code": screen.error_code,
        "retry": screen.retry,
        "can_retry": screen.can_retry,
        "can_go_back": screen.can_go_back,
        "prompts": list(screen.prompts),
        "redirect_url": screen.redirect_url,
        "login_id": screen.login_id,
        "restart_url": screen.restart_url,
        "events": [],
        "navigate": None,
    }


def _view_of(state: Mapping[str, Any]) -> dict[str, Any]:
    view = state.get(VIEW)
    return dict(view) if isinstance(view, dict) else {}


def _first(form: Mapping[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]


def _matching(institutions: list[Institution], query: str, language: str) -> list[Institution]:
    folded = query.strip().casefold()
    if not folded:
        return institutions
    return [
        i
        for i in institutions
        if folded in i.display_name.casefold()
        or folded in i.name.casefold()
        or folded in (i.name_fr or "").casefold()
    ]


def _with_query(url: str, params: dict[str, str]) -> str:
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))
