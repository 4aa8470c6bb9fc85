"""The one place that turns errors into HTTP answers.

Domain errors map by class (the most specific class listed wins) to a status code; their
``details`` become extra body fields, money as JSON numbers. Anything unexpected is a 500 that
carries the request id and never a traceback.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from domain import errors as domain
from ports.storage import CommitOutcomeUnknown, Conflict, TransientStorageError

STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (domain.ValidationError, 400),
    (domain.InsufficientFunds, 402),
    (domain.WalletBlocked, 403),
    (domain.Forbidden, 403),
    (domain.NotFound, 404),
    (domain.InvalidTransition, 409),
    (domain.IdempotencyConflict, 409),
    (domain.BillingLimitExceeded, 429),
    (domain.GatewayNotImplemented, 501),
    (domain.GatewayError, 502),
    (domain.BillingMaintenance, 503),
    (domain.DomainError, 400),
)

# Tornado's own refusals (unknown route, wrong method, ...) answered in the same shape.
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Authentication credentials were not provided or are invalid"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    413: ("body_too_large", "Request body is too large"),
    429: ("rate_limited", "Too many requests"),
    500: ("internal_error", "Internal server error"),
    501: ("not_implemented", "Not implemented yet"),
    503: ("service_unavailable", "Service temporarily unavailable"),
}


class HttpError(Exception):
    """A refusal made at the HTTP edge itself (auth, body size, rate limits)."""

    def __init__(self, status: int, code: str | None = None, message: str | None = None,
                 **details: Any) -> None:
        default_code, default_message = HTTP_CODES.get(status, ("error", "Error"))
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.details = details
        super().__init__(self.message)


@frozen
class ErrorAnswer:
    status: int
    body: dict[str, Any]


def answer_for(error: BaseException, request_id: str) -> ErrorAnswer:
    """The status and JSON body for an error; unknown errors become a bare 500."""
    if isinstance(error, domain.DomainError):
        return ErrorAnswer(status_for(error), _body(error.message, error.code, error.details))
    if isinstance(error, HttpError):
        return ErrorAnswer(error.status, _body(error.message, error.code, error.details))
    if isinstance(error, Conflict):
        return ErrorAnswer(409, _body("The request conflicts with another one; retry it",
                                      "conflict", {}))
    if isinstance(error, CommitOutcomeUnknown):
        return ErrorAnswer(503, _body(
            "The database's answer was lost while the change was being committed: it may or may "
            "not have been made. Repeat the request with the same Idempotency-Key, or look the "
            "change up before trying again", "outcome_unknown", {"request_id": request_id}))
    if isinstance(error, TransientStorageError):
        return ErrorAnswer(503, _body(HTTP_CODES[503][1], "service_unavailable",
                                      {"request_id": request_id}))
    return internal_error(request_id)


def status_for(error: domain.DomainError) -> int:
    for error_class, status in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return 400


def internal_error(request_id: str) -> ErrorAnswer:
    return ErrorAnswer(500, _body("Internal server error", "internal_error",
                                  {"request_id": request_id}))


def committed_anyway(answer: ErrorAnswer, events: list[str]) -> ErrorAnswer:
    """An unexpected failure after the request already committed a change (its business events
    were published) must not read as "nothing happened", or the client would do it again."""
    if answer.body.get("code") != "internal_error":
        return answer
    return ErrorAnswer(answer.status, {
        **answer.body, "code": "answer_failed", "committed": True, "events": events,
        "error": "The request was carried out, but its answer could not be written; "
                 "read the result before retrying"})


def http_status_answer(status: int, request_id: str, message: str | None = None) -> ErrorAnswer:
    if status == 500:
        return internal_error(request_id)
    code, default = HTTP_CODES.get(status, ("error", "Error"))
    return ErrorAnswer(status, _body(message or default, code, {}))


def _body(message: str, code: str, details: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"success": False, "error": message, "code": code}
    for name, value in details.items():
        body.setdefault(name, value)
    return body
