"""Flinks errors: one root type, a subclass per FlinksCode, mapped to the wire in one handler.

Every error the API returns is one of these. The HTTP status follows the current Flinks documentation
(reference 8.4); where the reference has no status for a code, the choice is documented on the class.

Hierarchy::

    FlinksError
    ├── OperationPending / OperationDispatched       202, not failures: the Async link is attached
    ├── SessionNonexistent / CardInUse / InvalidRequest / MethodNotAvailable    400
    ├── NotFound / PayloadTooLarge / UnsupportedMediaType / MethodNotAllowed     404 / 413 / 415 / 405
    ├── AccessDenied, InvalidLogin, InvalidUsername, ...                      401
    ├── DisabledInstitution                                                   405
    ├── AggregationError                                                      500
    └── StoreUnavailable (RETRY_LATER)                                        503
"""

from __future__ import annotations

from typing import Any, ClassVar


class FlinksError(Exception):
    """Root of every error the API reports. Carries what the Flinks error body needs."""

    http_status: ClassVar[int] = 400
    flinks_code: ClassVar[str] = "INVALID_REQUEST"
    default_message: ClassVar[str] = "The request is invalid."

    def __init__(
        self,
        message: str | None = None,
        *,
        request_id: str | None = None,
        institution: str | None = None,
        links: list[dict[str, Any]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.request_id = request_id
        self.institution = institution
        self.links = links
        self.extra = extra or {}
        self.headers = headers or {}
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"HttpStatusCode": self.http_status}
        if self.links is not None:
            body["Links"] = self.links
        body["FlinksCode"] = self.flinks_code
        body["Message"] = self.message
        if self.institution is not None:
            body["Institution"] = self.institution
        if self.request_id is not None:
            body["RequestId"] = self.request_id
        body.update(self.extra)
        return body


# -- 202: work still under way (not failures, but they share the body shape) ---------------------------


class OperationPending(FlinksError):
    http_status = 202
    flinks_code = "OPERATION_PENDING"
    default_message = "Your operation is still processing."


class OperationDispatched(FlinksError):
    http_status = 202
    flinks_code = "OPERATION_DISPATCHED"
    default_message = "Your operations had been dispatched to background process for long running jobs"


# -- 400 ------------------------------------------------------------------------------------------------


class InvalidRequest(FlinksError):
    """Malformed JSON, wrong types, missing fields. The reference lists 401 and 400; 400 is what clients
    of a malformed request expect, and what the help article documents."""

    http_status = 400
    flinks_code = "INVALID_REQUEST"
    default_message = "The request is invalid."


class SessionNonexistent(FlinksError):
    http_status = 400
    flinks_code = "SESSION_NONEXISTENT"
    default_message = "Inputs session id or card if were not found."


class SessionExpired(FlinksError):
    """Enrich: the attributes of a RequestId are asked more than 8 minutes after its GetAccountsDetail."""

    http_status = 400
    flinks_code = "SESSION_EXPIRED"
    default_message = "RequestId is invalid or session has ended."


class CardInUse(FlinksError):
    http_status = 400
    flinks_code = "CARD_IN_USE"
    default_message = "The account is still being processed. Try again once the operation is complete."


class MethodNotAvailable(FlinksError):
    """The reference gives no status; 400, the status of the other 'cannot do this here' codes."""

    http_status = 400
    flinks_code = "METHOD_NOT_AVAILABLE"
    default_message = "This method is not available on this instance."


# -- transport-level errors, still in the Flinks body shape ---------------------------------------------


class NotFound(FlinksError):
    http_status = 404
    flinks_code = "NOT_FOUND"
    default_message = "The requested resource does not exist."


class MethodNotAllowed(FlinksError):
    http_status = 405
    flinks_code = "METHOD_NOT_ALLOWED"
    default_message = "The HTTP method is not allowed on this resource."


class PayloadTooLarge(FlinksError):
    http_status = 413
    flinks_code = "INVALID_REQUEST"
    default_message = "The request body is too large."


class UnsupportedMediaType(FlinksError):
    http_status = 415
    flinks_code = "INVALID_REQUEST"
    default_message = "The request body must be JSON (Content-Type: application/json)."


# -- 401 ------------------------------------------------------------------------------------------------


class AccessDenied(FlinksError):
    http_status = 401
    flinks_code = "ACCESS_DENIED"
    default_message = "Authentication failed."


class InvalidLogin(FlinksError):
    http_status = 401
    flinks_code = "INVALID_LOGIN"
    default_message = "The LoginId provided is either invalid or does not belong to the CustomerId"


class InvalidUsername(FlinksError):
    http_status = 401
    flinks_code = "INVALID_USERNAME"
    default_message = "The username provided was rejected by the institution."


class InvalidPassword(FlinksError):
    http_status = 401
    flinks_code = "INVALID_PASSWORD"
    default_message = "The password provided was rejected by the institution."


class InvalidSecurityResponse(FlinksError):
    http_status = 401
    flinks_code = "INVALID_SECURITY_RESPONSE"
    default_message = "The security response provided is invalid."


class UnknownChallengeKey(FlinksError):
    http_status = 401
    flinks_code = "UNKNOWN_CHALLENGE_KEY"
    default_message = "A security response answers a question that was not asked."


class SecurityResponsesIncomplete(FlinksError):
    http_status = 401
    flinks_code = "SECURITYRESPONSES_INCOMPLETE"
    default_message = "Every security challenge must be answered."


class QuestionNotFound(FlinksError):
    http_status = 401
    flinks_code = "QUESTION_NOT_FOUND"
    default_message = "A security question was asked for which no answer is stored."


class RetryLater(FlinksError):
    http_status = 401
    flinks_code = "RETRY_LATER"
    default_message = "The institution could not be reached. Please retry later."


class StoreUnavailable(FlinksError):
    """The instance's own store cannot be reached (a database restart, a failover): nothing was done.

    Not a Flinks code of its own: RETRY_LATER, which clients already retry, with HTTP 503 and Retry-After
    so that load balancers and HTTP clients treat it as the transient outage it is.
    """

    http_status = 503
    flinks_code = "RETRY_LATER"
    default_message = "The service is briefly unavailable. Please retry in a moment."

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": "1"})
        super().__init__(message, **kwargs)


class TooManyRequests(FlinksError):
    http_status = 401
    flinks_code = "TOO_MANY_REQUESTS"
    default_message = "The endpoint has received too many requests in a given amount of time."


class Unauthorized(FlinksError):
    http_status = 401
    flinks_code = "UNAUTHORIZED"
    default_message = "The institution did not authorize the connection."


class NewAccount(FlinksError):
    http_status = 401
    flinks_code = "NEW_ACCOUNT"
    default_message = "The user must complete an action on the institution's website first."


class DisabledLogin(FlinksError):
    http_status = 401
    flinks_code = "DISABLED_LOGIN"
    default_message = "The account has been deactivated by the institution."


class ConcurrentSession(FlinksError):
    http_status = 401
    flinks_code = "CONCURRENT_SESSION"
    default_message = "Another session is already opened with this LoginId."


class AlreadyAuthorized(FlinksError):
    http_status = 401
    flinks_code = "ALREADY_AUTHORIZED"
    default_message = "This session is already authorized."


# -- 405 / 500 ------------------------------------------------------------------------------------------


class DisabledInstitution(FlinksError):
    http_status = 405
    flinks_code = "DISABLED_INSTITUTION"
    default_message = "The institution is not available."


class AggregationError(FlinksError):
    http_status = 500
    flinks_code = "AGGREGATION_ERROR"
    default_message = "An unexpected error occurred while retrieving the data."


def all_error_types() -> list[type[FlinksError]]:
    """Every concrete error class, for documentation and tests."""
    found: list[type[FlinksError]] = []
    stack: list[type[FlinksError]] = [FlinksError]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            found.append(sub)
            stack.append(sub)
    return sorted(found, key=lambda c: (c.http_status, c.flinks_code))
