"""Read models and records the use cases return or keep: wallet lines, totals, pages,
idempotency records and admin audit entries."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from attrs import frozen

from domain.errors import ValidationError

T = TypeVar("T")
MAX_PER_PAGE = 100


@frozen
class WalletTransaction:
    """The wallet side of a transfer, as users see it."""

    id: UUID
    type: str  # credit | debit
    amount: int  # minor units, positive
    balance_before: int
    balance_after: int
    description: str
    kind: str  # the transfer kind: topup, charge, refund, reversal, adjustment
    reference: str
    created_at: datetime
    status: str = "completed"


@frozen
class WalletTotals:
    total_credited: int = 0
    total_debited: int = 0
    credit_transactions: int = 0
    debit_transactions: int = 0


@frozen
class PageRequest:
    page: int = 1
    per_page: int = 20

    def __attrs_post_init__(self) -> None:
        for name, value, top in (("page", self.page, 1_000_000), ("per_page", self.per_page,
                                                                  MAX_PER_PAGE)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValidationError(f"{name} must be a whole number from 1 to {top}", field=name)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@frozen
class Page(Generic[T]):
    items: tuple[T, ...]
    total_count: int
    request: PageRequest

    @property
    def total_pages(self) -> int:
        return (self.total_count + self.request.per_page - 1) // self.request.per_page

    @property
    def has_next(self) -> bool:
        return self.request.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1


@frozen
class IdempotencyRecord:
    """A stored answer to a money-moving request, committed with the request's effect."""

    user_id: str
    key: str
    method: str
    path: str
    fingerprint: str
    status_code: int
    body: str  # the JSON response body
    created_at: datetime


def fingerprint(payload: Any) -> str:
    """A request body's fingerprint: parsed JSON compared with key order ignored."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str,
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@frozen
class AuditEntry:
    """An admin write, recorded with who did it."""

    id: UUID
    actor: str
    action: str
    target: str
    details: str
    created_at: datetime


@frozen
class DailyUsage:
    free_views_used: int
    paid_views: int
    total_views: int
    spent_today: int  # minor units


@frozen
class ServiceSummary:
    doctor_views: int
    doctor_view_charges: int  # minor units
    free_doctor_views: int


@frozen
class PaymentSummary:
    total_payments: int
    completed_payments: int
    total_amount: int  # minor units of completed payments
    pending_payments: int
    failed_payments: int
