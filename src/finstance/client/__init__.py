"""The finstance integrator SDK: typed sync and async clients of Flinks-compatible instances.

::

    from finstance.client import FlinksClient, flinks_toolbox

    with FlinksClient(flinks_toolbox()) as flinks:
        detail = flinks.fetch_accounts_detail(login_id)

Both clients share one sans-I/O core (request building, identifier checks, answer parsing, poll
decisions); every error is a :class:`FlinksAPIError` (see ``_errors`` for the hierarchy).
"""

from __future__ import annotations

from finstance.client._client import AsyncFlinksClient, FlinksClient
from finstance.client._core import APIRequest, ClientCore, Poller
from finstance.client._errors import (
    AccessDeniedError,
    AggregationError,
    AlreadyAuthorizedError,
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
    QuestionNotFoundError,
    RetryLaterError,
    SecurityResponsesIncompleteError,
    SessionNonexistentError,
    TooManyRequestsError,
    UnauthorizedError,
    UnknownChallengeKeyError,
    WrongInstanceError,
    WrongInstanceLoginError,
    WrongInstanceRequestError,
)
from finstance.client._instances import InstanceConfig, flinks_instance, flinks_toolbox, local

__all__ = [
    "APIRequest",
    "AccessDeniedError",
    "AggregationError",
    "AlreadyAuthorizedError",
    "AsyncFlinksClient",
    "CardInUseError",
    "ClientCore",
    "ConcurrentSessionError",
    "DisabledInstitutionError",
    "DisabledLoginError",
    "FlinksAPIError",
    "FlinksClient",
    "InstanceConfig",
    "InvalidLoginError",
    "InvalidPasswordError",
    "InvalidRequestError",
    "InvalidSecurityResponseError",
    "InvalidUsernameError",
    "MethodNotAllowedError",
    "MethodNotAvailableError",
    "NewAccountError",
    "NotFoundError",
    "OperationDispatchedError",
    "OperationInProgressError",
    "OperationPendingError",
    "OperationPendingTimeout",
    "Poller",
    "QuestionNotFoundError",
    "RetryLaterError",
    "SecurityResponsesIncompleteError",
    "SessionNonexistentError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UnknownChallengeKeyError",
    "WrongInstanceError",
    "WrongInstanceLoginError",
    "WrongInstanceRequestError",
    "flinks_instance",
    "flinks_toolbox",
    "local",
]
