"""The admin console (SPEC §16): one-time sign-in links, signed-out sessions, and what its
dashboard reads.

A link's token is shown once (in the URL ``hamyon admin-link`` prints); only its SHA-256 is kept,
so a copy of the database signs nobody in. A link opens one session, within ten minutes. A
session signed out is remembered (by the SHA-256 of its id) until it would have expired, so that
its cookie, even copied before the sign-out, opens nothing more.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from attrs import frozen

from domain.money import Currency

LINK_TTL = timedelta(minutes=10)


def link_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@frozen
class ConsoleLink:
    token_hash: str
    admin_id: str  # who the session it opens acts as (named in the audit log)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@frozen
class DailyTotal:
    """One local day's money of one kind (``topup``: what reached wallets; ``charge``)."""

    day: date
    kind: str
    currency: Currency
    count: int
    amount: int  # minor units


@frozen
class ServiceRevenue:
    """What the charges of one service brought, in one currency."""

    service_type: str
    currency: Currency
    count: int
    amount: int  # minor units


@frozen
class GatewayOutcomes:
    """How many payments a gateway saw in each status."""

    gateway: str
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def success_rate(self) -> float | None:
        """Completed (refunded ones too) out of those that ended; None when none ended yet."""
        succeeded = self.by_status.get("completed", 0) + self.by_status.get("refunded", 0)
        ended = succeeded + sum(self.by_status.get(s, 0) for s in ("failed", "cancelled", "expired"))
        return succeeded / ended if ended else None
