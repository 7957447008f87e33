"""The finstance integrator SDK: typed sync and async clients of Flinks-compatible instances.

::

    from finstance.client import Flinks, LoginStore, load_instances

    with Flinks(load_instances("flinks.toml").values(), logins=LoginStore()) as flinks:
        url = flinks.connect_url("US", redirect_url="https://example.com/done")
        ...
        detail = flinks.for_login(login_id).fetch_accounts_detail(login_id)

Both clients share one sans-I/O core (request building, identifier checks, retry decisions, answer
parsing, poll decisions); every error is a :class:`FlinksAPIError` (see ``_errors`` for the hierarchy).
Routing (``_routing``), the login store (``_logins``), Connect URLs (``_connect``) and webhook
verification (``_webhooks``) are written once for both. See docs/sdk.md.
"""

from __future__ import annotations

from finstance.client._client import (
    AsyncFlinksClient,
    FlinksClient,
)
from finstance.client._config import (
    load_instances,
)
from finstance.client._connect import (
    ConnectOptions,
    connect_url,
)
from finstance.client._core import (
    APIRequest,
    AuthorizeAnswer,
    ClientCore,
    Poller,
)
from finstance.client._enrich import (
    AttributeLibrary,
    CategoryTree,
    upload_transaction,
)
from finstance.client._errors import (
    AccessDeniedError,
    AggregationError,
    AlreadyAuthorizedError,
    APIConnectionError,
    CardInUseError,
    ConcurrentSessionError,
    DisabledInstitutionError,
    DisabledLoginError,
    FlinksAPIError,
    InvalidLoginError,
    InvalidPasswordError,
    InvalidRequestError,
    InvalidSecurityResponseError,
    InvalidUsernameError,
    MethodNotAllowedError,
    MethodNotAvailableError,
    NewAccountError,
    NotFoundError,
    OperationDispatchedError,
    OperationInProgressError,
    OperationPendingError,
    OperationPendingTimeout,
    PollingCancelled,
    QuestionNotFoundError,
    RetryLaterError,
    SecurityResponsesIncompleteError,
    SessionExpiredError,
    SessionNonexistentError,
    TooManyRequestsError,
    UnauthorizedError,
    UnknownChallengeKeyError,
    UnknownLoginError,
    WrongInstanceError,
    WrongInstanceLoginError,
    WrongInstanceRequestError,
)
from finstance.client._instances import (
    InstanceConfig,
    flinks_instance,
    flinks_toolbox,
    local,
    local_embedded,
    local_region,
)
from finstance.client._logins import (
    LoginRecord,
    LoginStore,
)
from finstance.client._outbound import (
    AsyncOutboundClient,
    FdxAPIError,
    OutboundClient,
    OutboundOAuthError,
    OutboundToken,
    pkce_pair,
)
from finstance.client._pay import (
    AsyncPayClient,
    PayClient,
)
from finstance.client._retry import (
    RetryPolicy,
)
from finstance.client._routing import (
    AsyncFlinks,
    Flinks,
)
from finstance.client._upload import (
    AsyncUploadClient,
    UploadClient,
)
from finstance.client._webhooks import (
    AccountsDetailEvent,
    KYCEvent,
    PayEvent,
    PaymentStatusEvent,
    SessionStatusEvent,
    TestEvent,
    Webhook,
    WebhookEvent,
    WebhookReceiver,
    WebhookVerificationError,
    parse_event,
    verify_webhook,
)

__all__ = [
    "APIConnectionError",
    "APIRequest",
    "AccessDeniedError",
    "AccountsDetailEvent",
    "AggregationError",
    "AlreadyAuthorizedError",
    "AsyncFlinks",
    "AsyncFlinksClient",
    "AsyncOutboundClient",
    "AsyncPayClient",
    "AsyncUploadClient",
    "AttributeLibrary",
    "AuthorizeAnswer",
    "CardInUseError",
    "CategoryTree",
    "ClientCore",
    "ConcurrentSessionError",
    "ConnectOptions",
    "DisabledInstitutionError",
    "DisabledLoginError",
    "FdxAPIError",
    "Flinks",
    "FlinksAPIError",
    "FlinksClient",
    "InstanceConfig",
    "InvalidLoginError",
    "InvalidPasswordError",
    "InvalidRequestError",
    "InvalidSecurityResponseError",
    "InvalidUsernameError",
    "KYCEvent",
    "LoginRecord",
    "LoginStore",
    "MethodNotAllowedError",
    "MethodNotAvailableError",
    "NewAccountError",
    "NotFoundError",
    "OperationDispatchedError",
    "OperationInProgressError",
    "OperationPendingError",
    "OperationPendingTimeout",
    "OutboundClient",
    "OutboundOAuthError",
    "OutboundToken",
    "PayClient",
    "PayEvent",
    "PaymentStatusEvent",
    "Poller",
    "PollingCancelled",
    "QuestionNotFoundError",
    "RetryLaterError",
    "RetryPolicy",
    "SecurityResponsesIncompleteError",
    "SessionExpiredError",
    "SessionNonexistentError",
    "SessionStatusEvent",
    "TestEvent",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnknownChallengeKeyError",
    "UnknownLoginError",
    "UploadClient",
    "Webhook",
    "WebhookEvent",
    "WebhookReceiver",
    "WebhookVerificationError",
    "WrongInstanceError",
    "WrongInstanceLoginError",
    "WrongInstanceRequestError",
    "connect_url",
    "flinks_instance",
    "flinks_toolbox",
    "load_instances",
    "local",
    "local_embedded",
    "local_region",
    "parse_event",
    "pkce_pair",
    "upload_transaction",
    "verify_webhook",
]
