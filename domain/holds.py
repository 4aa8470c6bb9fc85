"""Holds (SPEC §13): a consultation's price reserved when it starts, settled when it ends.

A hold moves its amount from the wallet to the currency's holds account at once (a ``hold``
transfer), so it is no longer spendable. Capturing gives all of it back to the wallet (``release``)
and charges what was used from the wallet to the service's revenue (a ``charge``, one of the
wallet's lines like any other); releasing, or expiring, sends all of it back. Each of those
happens once: a hold that is no longer active refuses with 409. (Captures recorded before
2026-12-07 moved what was used from the holds account to revenue directly: no wallet line.)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from uuid import UUID

from attrs import define, frozen

from domain.errors import HoldExpired, HoldNotActive, ValidationError
from domain.ledger import Account, AccountKind, Transfer, TransferKind, Violation
from domain.money import Currency, Money
from domain.text import is_ascii_whole

MIN_EXPIRES_IN, MAX_EXPIRES_IN, DEFAULT_EXPIRES_IN = 60, 604_800, 3_600


class HoldStatus(enum.Enum):
    ACTIVE = "active"
    CAPTURED = "captured"
    RELEASED = "released"
    EXPIRED = "expired"


@define
class Hold:
    id: UUID
    user_id: str
    service_type: str
    amount: Money
    related_object_id: str
    expires_at: datetime
    created_at: datetime
    status: HoldStatus = HoldStatus.ACTIVE
    captured_amount: Money | None = None
    transaction_id: UUID | None = None  # the capture's charge transfer
    updated_at: datetime | None = None

    @property
    def currency(self) -> Currency:
        return self.amount.currency

    def captured(self) -> Money:
        return self.captured_amount if self.captured_amount is not None \
            else Money.zero(self.amount.currency)

    def expire_if_due(self, now: datetime) -> bool:
        """Write down that an active hold's time is over (its money then goes back)."""
        if self.status is HoldStatus.ACTIVE and now >= self.expires_at:
            self.status, self.updated_at = HoldStatus.EXPIRED, now
            return True
        return False

    def capture(self, amount: Money | None, now: datetime) -> Money:
        """Capture ``amount`` (default all; at most the held amount); returns what goes back."""
        self._ensure_active(now)
        taken = self.amount if amount is None else amount
        if taken.currency is not self.amount.currency or not taken.is_positive or taken > self.amount:
            raise ValidationError(f"amount must be more than 0 and at most {self.amount.amount}",
                                  field="amount")
        self.status, self.captured_amount, self.updated_at = HoldStatus.CAPTURED, taken, now
        return self.amount - taken

    def release(self, now: datetime) -> None:
        self._ensure_active(now)
        self.status, self.updated_at = HoldStatus.RELEASED, now

    def _ensure_active(self, now: datetime) -> None:
        due = self.status is HoldStatus.ACTIVE and now >= self.expires_at
        if self.status is HoldStatus.EXPIRED or due:
            raise HoldExpired(status=self.status.value)
        if self.status is not HoldStatus.ACTIVE:
            raise HoldNotActive(status=self.status.value)


def expires_at(now: datetime, raw: object) -> datetime:
    """``expires_in`` seconds from now: a whole number from 60 to 604800 (default 3600)."""
    if raw is None or raw == "":
        return now + timedelta(seconds=DEFAULT_EXPIRES_IN)
    text = str(raw).strip() if isinstance(raw, (int, str)) and not isinstance(raw, bool) else ""
    if not is_ascii_whole(text, 7) or not MIN_EXPIRES_IN <= int(text) <= MAX_EXPIRES_IN:
        raise ValidationError(f"expires_in must be a whole number of seconds from {MIN_EXPIRES_IN} "
                              f"to {MAX_EXPIRES_IN}", field="expires_in")
    return now + timedelta(seconds=int(text))


def parse_hold_status(raw: object) -> HoldStatus | None:
    if raw in (None, ""):
        return None
    try:
        return HoldStatus(raw)
    except ValueError:
        raise ValidationError("status must be active, captured, released or expired",
                              field="status") from None


def verify_holds(entry_sums: Mapping[Account, int], active: Mapping[Currency, int]) -> list[Violation]:
    """Each currency's holds account holds exactly what its active holds add up to."""
    currencies = {account.currency for account in entry_sums if account.kind is AccountKind.HOLDS}
    found = []
    for currency in sorted(currencies | set(active), key=lambda c: c.value):
        booked, held = entry_sums.get(Account.holds(currency), 0), active.get(currency, 0)
        if booked != held:
            found.append(Violation("holds_mismatch", Account.holds(currency).code,
                                   f"holds account {booked} but active holds add up to {held}"))
    return found


@frozen
class HoldMoves:
    """What a hold's own transfers (those filed under ``hold:<id>``) add up to, by kind."""

    held: int = 0
    back: int = 0  # released
    charged: int = 0
    charges: int = 0
    names_its_charge: bool = False  # the hold's transaction_id is one of those charges

    @classmethod
    def of(cls, hold: Hold, moves: Sequence[Transfer]) -> HoldMoves:
        def total(kind: TransferKind) -> int:
            return sum(move.amount.minor for move in moves if move.kind is kind)

        charges = [move for move in moves if move.kind is TransferKind.CHARGE]
        return cls(total(TransferKind.HOLD), total(TransferKind.RELEASE), total(TransferKind.CHARGE),
                   len(charges), any(move.id == hold.transaction_id for move in charges))


def moved_as_its_state_says(hold: Hold, moved: HoldMoves) -> bool:
    """Whether a hold's own transfers are what its state names: its amount held once; active,
    nothing more; released or expired, all of it back and no charge; captured, exactly one
    charge of ``captured_amount`` (the hold's ``transaction_id``) and all of it back, or, as
    captures before 2026-12-07 were made, the rest back."""
    amount = hold.amount.minor
    if moved.held != amount:
        return False
    if hold.status is HoldStatus.ACTIVE:
        return moved.back == 0 and moved.charges == 0
    if hold.status is not HoldStatus.CAPTURED:
        return moved.back == amount and moved.charges == 0
    captured = hold.captured().minor
    return (moved.charges == 1 and moved.names_its_charge and moved.charged == captured
            and moved.back in (amount, amount - captured))
