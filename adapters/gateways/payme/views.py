"""Payme's view of our attempts: states, times in milliseconds, and each method's result shape.

A Payme transaction is one ``Attempt`` (gateway ``payme``): Payme's id is its ``external_id``,
Payme's ``time`` its ``external_time``, and ``transaction`` (our id) is the attempt's id. Every
answer is computed from the stored attempt, so a repeat answers exactly what the first call did.
"""

from __future__ import annotations

from typing import Any

from adapters.gateways.payme.wire import to_ms
from domain.fiscal import ReceiptLine
from domain.payments import Attempt, AttemptStatus, Payment

CREATED, PERFORMED, CANCELLED, CANCELLED_AFTER_PERFORM = 1, 2, -1, -2
TIMEOUT_MS = 43_200_000  # Payme's 12 hours, counted from our create time
REASON_TIMEOUT = 4

STATES = {
    AttemptStatus.OPEN: CREATED,
    AttemptStatus.COMPLETED: PERFORMED,
    AttemptStatus.CANCELLED: CANCELLED,
    AttemptStatus.FAILED: CANCELLED,
    AttemptStatus.REFUNDED: CANCELLED_AFTER_PERFORM,
}


def receipt_detail(lines: tuple[ReceiptLine, ...]) -> dict[str, Any]:
    """CheckPerformTransaction's ``detail``: a sale receipt (type 0) whose items' ``price × count``
    add up to what Payme collects."""
    return {"receipt_type": 0, "items": [
        {"title": line.title, "price": line.price, "count": line.count, "code": line.code,
         "package_code": line.package_code, "vat_percent": line.vat_percent} for line in lines]}


def state(attempt: Attempt) -> int:
    return STATES[attempt.status]


def holds_order(attempt: Attempt) -> bool:
    """A transaction in state 1 or 2 keeps its order from any other Payme transaction."""
    return state(attempt) in (CREATED, PERFORMED)


def timed_out(attempt: Attempt, now_ms: int) -> bool:
    return now_ms - to_ms(attempt.created_at) > TIMEOUT_MS


def created(attempt: Attempt) -> dict[str, Any]:
    return {"create_time": to_ms(attempt.created_at), "transaction": str(attempt.id),
            "state": state(attempt), "receivers": None}


def performed(attempt: Attempt) -> dict[str, Any]:
    return {"transaction": str(attempt.id), "perform_time": to_ms(attempt.completed_at),
            "state": state(attempt)}


def cancelled(attempt: Attempt) -> dict[str, Any]:
    return {"transaction": str(attempt.id), "cancel_time": to_ms(attempt.cancelled_at),
            "state": state(attempt)}


def checked(attempt: Attempt) -> dict[str, Any]:
    """CheckTransaction: unset times are 0, an unset reason is null."""
    return {"create_time": to_ms(attempt.created_at), "perform_time": to_ms(attempt.completed_at),
            "cancel_time": to_ms(attempt.cancelled_at), "transaction": str(attempt.id),
            "state": state(attempt), "reason": attempt.cancel_reason}


def statement_line(attempt: Attempt, payment: Payment) -> dict[str, Any]:
    """One GetStatement transaction: Payme's id and time, the order's total in tiyin, our view."""
    line = {"id": attempt.external_id, "time": attempt.external_time,
            "amount": payment.total_amount.minor, "account": {"order_id": str(payment.id)}}
    line.update(checked(attempt))
    line["receivers"] = None
    return line
