"""Errors raised by the client: one root, a subclass per FlinksCode, chosen by one table.

Hierarchy::

    FlinksAPIError                        any answer that is not the expected success, or a local refusal
    ├── OperationInProgressError          202: the work is still under way (poll the Async endpoint)
    │   ├── OperationPendingError         OPERATION_PENDING
    │   └── OperationDispatchedError      OPERATION_DISPATCHED
    ├── OperationPendingTimeout           polling gave up before a 200
    ├── PollingCancelled                  polling was cancelled by the caller
    ├── APIConnectionError                no answer: the connection failed (after any safe retries)
    ├── UnknownLoginError                 routing: no instance is known for this loginId (also LookupError)
    ├── InvalidRequestError, SessionNonexistentError, CardInUseError, MethodNotAvailableError     400
    ├── NotFoundError, MethodNotAllowedError                                                      404 / 405
    ├── AccessDeniedError, InvalidLoginError, InvalidPasswordError, ...                           401
    ├── DisabledInstitutionError                                                                  405
    ├── AggregationError                                                                          500
    └── WrongInstanceError                the identifier was minted by another instance
        ├── WrongInstanceLoginError       (also an InvalidLoginError)
        └── WrongInstanceRequestError     (also a SessionNonexistentError)

Every error carries ``http_status`` (``None`` when raised locally, before any request), ``flinks_code``,
``message``, ``request_id``, ``instance`` (the name of the :class:`InstanceConfig` that answered) and
``body`` (the decoded error document, or ``None``).
"""

from __future__ import annotations

from typing import Any


class FlinksAPIError(Exception):
    """Root of every error the client raises about an answer of the API."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None,
        flinks_code: str | None,
        request_id: str | None = None,
        instance: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        self.message = message
        self.http_status = http_status
        self.flinks_code = flinks_code
        self.request_id = request_id
        self.instance = instance
        self.body = body
        super().__init__(message)

    def __str__(self) -> str:
        status = "local" if self.http_status is None else str(self.http_status)
        where = f" on {self.instance}" if self.instance else ""
        rid = f" (RequestId {self.request_id})" if self.request_id else ""
        return f"[{status} {self.flinks_code}]{where}: {self.message}{rid}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(http_status={self.http_status!r}, flinks_code={self.flinks_code!r}, "
            f"message={self.message!r}, request_id={self.request_id!r}, instance={self.instance!r})"
        )


# -- 202 ------------------------------------------------------------------------------------------------


class OperationInProgressError(FlinksAPIError):
    """A data call answered 202: poll its Async endpoint with the same RequestId."""


class OperationPendingError(OperationInProgressError):
    pass


class OperationDispatchedError(OperationInProgressError):
    pass


class OperationPendingTimeout(FlinksAPIError):
    """Polling gave up: the operation was still in progress when the timeout ran out."""


class PollingCancelled(FlinksAPIError):
    """The caller cancelled polling (its cancel event was set) before a 200."""


class APIConnectionError(FlinksAPIError):
    """No answer was received: the connection failed or timed out. The transport error is the cause."""


class UnknownLoginError(FlinksAPIError, LookupError):
    """Routing found no instance for this loginId: not in the login store, and not minted by a known
    finstance instance. Record it with the instance that issued it first."""


# -- one class per FlinksCode ----------------------------------------------------------------------------


class InvalidRequestError(FlinksAPIError):
    pass


class SessionNonexistentError(FlinksAPIError):
    pass


class SessionExpiredError(FlinksAPIError):
    """Enrich: the RequestId's GetAccountsDetail was more than 8 minutes ago; authorize again."""


class CardInUseError(FlinksAPIError):
    pass


class MethodNotAvailableError(FlinksAPIError):
    pass


class NotFoundError(FlinksAPIError):
    pass


class MethodNotAllowedError(FlinksAPIError):
    pass


class AccessDeniedError(FlinksAPIError):
    pass


class InvalidLoginError(FlinksAPIError):
    pass


class InvalidUsernameError(FlinksAPIError):
    pass


class InvalidPasswordError(FlinksAPIError):
    pass


class InvalidSecurityResponseError(FlinksAPIError):
    pass


class UnknownChallengeKeyError(FlinksAPIError):
    pass


class SecurityResponsesIncompleteError(FlinksAPIError):
    pass


class QuestionNotFoundError(FlinksAPIError):
    pass


class RetryLaterError(FlinksAPIError):
    pass


class TooManyRequestsError(FlinksAPIError):
    pass


class UnauthorizedError(FlinksAPIError):
    pass


class NewAccountError(FlinksAPIError):
    pass


class DisabledLoginError(FlinksAPIError):
    pass


class ConcurrentSessionError(FlinksAPIError):
    pass


class AlreadyAuthorizedError(FlinksAPIError):
    pass


class DisabledInstitutionError(FlinksAPIError):
    pass


class AggregationError(FlinksAPIError):
    pass


# -- identifiers of another instance ---------------------------------------------------------------------


class WrongInstanceError(FlinksAPIError):
    """The loginId or RequestId was minted by another instance: use the client of the instance that
    minted it. Raised locally before any request when the client can tell, or mapped from an answer
    carrying ``"WrongInstance": true``."""


class WrongInstanceLoginError(WrongInstanceError, InvalidLoginError):
    pass


class WrongInstanceRequestError(WrongInstanceError, SessionNonexistentError):
    pass


ERRORS_BY_CODE: dict[str, type[FlinksAPIError]] = {
    "OPERATION_PENDING": OperationPendingError,
    "OPERATION_DISPATCHED": OperationDispatchedError,
    "INVALID_REQUEST": InvalidRequestError,
    "SESSION_NONEXISTENT": SessionNonexistentError,
    "SESSION_EXPIRED": SessionExpiredError,
    "CARD_IN_USE": CardInUseError,
    "METHOD_NOT_AVAILABLE": MethodNotAvailableError,
    "NOT_FOUND": NotFoundError,
    "METHOD_NOT_ALLOWED": MethodNotAllowedError,
    "ACCESS_DENIED": AccessDeniedError,
    "INVALID_LOGIN": InvalidLoginError,
    "INVALID_USERNAME": InvalidUsernameError,
    "INVALID_PASSWORD": InvalidPasswordError,
    "INVALID_SECURITY_RESPONSE": InvalidSecurityResponseError,
    "UNKNOWN_CHALLENGE_KEY": UnknownChallengeKeyError,
    "SECURITYRESPONSES_INCOMPLETE": SecurityResponsesIncompleteError,
    "QUESTION_NOT_FOUND": QuestionNotFoundError,
    "RETRY_LATER": RetryLaterError,
    "TOO_MANY_REQUESTS": TooManyRequestsError,
    "UNAUTHORIZED": UnauthorizedError,
    "NEW_ACCOUNT": NewAccountError,
    "DISABLED_LOGIN": DisabledLoginError,
    "CONCURRENT_SESSION": ConcurrentSessionError,
    "ALREADY_AUTHORIZED": AlreadyAuthorizedError,
    "DISABLED_INSTITUTION": DisabledInstitutionError,
    "AGGREGATION_ERROR": AggregationError,
}

WRONG_INSTANCE_BY_CODE: dict[str, type[FlinksAPIError]] = {
    "INVALID_LOGIN": WrongInstanceLoginError,
    "SESSION_NONEXISTENT": WrongInstanceRequestError,
}


def error_class(flinks_code: str | None, *, wrong_instance: bool = False) -> type[FlinksAPIError]:
    """The class for a FlinksCode; the root for a code this client does not know."""
    if flinks_code is None:
        return WrongInstanceError if wrong_instance else FlinksAPIError
    if wrong_instance:
        return WRONG_INSTANCE_BY_CODE.get(flinks_code, WrongInstanceError)
    return ERRORS_BY_CODE.get(flinks_code, FlinksAPIError)
