"""A user's usage of the services, free or paid, and what the charge decision asks of it.

A storage keeps every access (``Usage``) and answers a ``UsageQuery`` with the few counts it names;
``UsageSnapshot.of`` turns those counts into what ``domain.billing.decide_charge`` reads, applying
the rules of counting here, so that every storage counts alike.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from uuid import UUID

from attrs import frozen

from domain.money import Currency

DOCTOR_VIEW = "doctor_view"


class FreeReason(enum.Enum):
    BILLING_DISABLED = "billing_disabled"
    REPEAT_VIEW = "repeat_view"
    DAILY_QUOTA = "daily_quota"
    NEW_USER = "new_user"
    FULL_DISCOUNT = "full_discount"  # the discounted total rounds to zero: nothing to debit


@frozen
class Usage:
    """One recorded access to a service, free or paid (free ones count against quotas too)."""

    id: UUID
    user_id: str
    service_type: str
    quantity: int
    currency: Currency
    local_date: date  # the platform's calendar day of ``created_at``
    created_at: datetime
    related_object_id: str = ""
    amount: int = 0  # minor units charged; 0 when free
    transfer_id: UUID | None = None
    free_reason: FreeReason | None = None

    @property
    def charged(self) -> bool:
        return self.transfer_id is not None

    @property
    def is_repeat(self) -> bool:
        return self.free_reason is FreeReason.REPEAT_VIEW


class UsageCount(enum.Enum):
    """One fact a storage counts of a user's past usage for the charge decision, named by the
    ``UsageSnapshot.of`` key it answers under."""

    VIEWED_TODAY = "viewed_this_doctor_today"
    NAMED_DOCTORS_TODAY = "named_doctors_today"  # distinct related_object_ids of the service today
    UNNAMED_TODAY = "unnamed_today"  # accesses of the service today that named no doctor
    VIEWS_EVER = "views_ever"
    DEBITS_LAST_HOUR = "debits_last_hour"
    SPENT_TODAY = "spent_today"


EVERY_COUNT = frozenset(UsageCount)
DOCTORS_TODAY = frozenset({UsageCount.NAMED_DOCTORS_TODAY, UsageCount.UNNAMED_TODAY})


def distinct_doctors(named: int, unnamed: int) -> int:
    """The distinct doctors a user saw today: each named doctor once, and each access that named
    no doctor as one more (it cannot be told apart from a new one, so it may not stretch the
    free quota)."""
    return named + unnamed


@frozen
class UsageSnapshot:
    """What the charge decision needs to know of a user's past usage, read in the same unit of work."""

    viewed_this_doctor_today: bool = False
    distinct_doctors_today: int = 0
    views_ever: int = 0  # every non-repeat doctor view, free or paid
    debits_last_hour: int = 0
    spent_today: int = 0  # minor units of the wallet's currency

    @classmethod
    def of(cls, counted: Mapping[UsageCount, int | bool]) -> UsageSnapshot:
        """The snapshot of the counts a storage counted (the others at zero)."""
        return cls(bool(counted.get(UsageCount.VIEWED_TODAY, False)),
                   distinct_doctors(int(counted.get(UsageCount.NAMED_DOCTORS_TODAY, 0)),
                                    int(counted.get(UsageCount.UNNAMED_TODAY, 0))),
                   int(counted.get(UsageCount.VIEWS_EVER, 0)),
                   int(counted.get(UsageCount.DEBITS_LAST_HOUR, 0)),
                   int(counted.get(UsageCount.SPENT_TODAY, 0)))


NOTHING_COUNTED = UsageSnapshot()  # the answer to a query that asks no count


@frozen
class UsageQuery:
    """What a charge decision asks of one user's past usage: ``counts`` of ``service_type`` (the
    doctor ``related_object_id`` for a repeat), on the platform's ``local_date`` (spending in
    ``currency``), and charges since ``hour_ago``. A storage answers only ``counts``."""

    user_id: str
    service_type: str
    related_object_id: str
    currency: Currency
    local_date: date
    hour_ago: datetime
    counts: frozenset[UsageCount] = EVERY_COUNT

    @classmethod
    def doctors_today(cls, user_id: str, currency: Currency, local_date: date,
                      now: datetime) -> UsageQuery:
        """Only the distinct doctors a user saw today (what is left of the free quota)."""
        return cls(user_id, DOCTOR_VIEW, "", currency, local_date, now - timedelta(hours=1),
                   DOCTORS_TODAY)
