"""The reports port: what is read for display or checking, apart from what use cases write through.

Rules every adapter guarantees (``tests/contract``):
- A report never locks and never writes. In a reading unit every report sees the unit's one
  committed moment (``verify`` compares several); in a writing unit, what that unit wrote as well.
- Listings come newest first unless said otherwise, paged by ``PageRequest``; a page past the end
  is empty and still carries the total.
- Money is in minor units; a wallet's lines are the wallet side of its transfers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from domain.console import DailyTotal, GatewayOutcomes, ServiceRevenue
from domain.doctors import Doctor
from domain.events import Delivery, Event
from domain.holds import Hold, HoldMoves, HoldStatus
from domain.journal import AuditEntry
from domain.ledger import Account, Transfer, Wallet
from domain.money import Currency
from domain.paging import Page, PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import Payment, PaymentLog
from domain.reports import (
    DailyUsage,
    PaymentSummary,
    ServiceSummary,
    WalletFlows,
    WalletTotals,
    WalletTransaction,
)


class Reports(Protocol):
    # What a wallet's owner sees.
    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        """The wallet's lines since ``since`` (all when None), only ``type`` (credit | debit) when
        given; ties in time come newest inserted first."""
        ...

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        """Money into and out of the wallet since ``since`` (all when None), and how many lines
        moved it: its lines but a hold's own (the amount reserved, then given back)."""
        ...

    async def wallet_flows(self, account: Account) -> WalletFlows:
        """Money into and out of the wallet over its life, read in constant time (a SQL storage
        keeps it on the wallet's row); zero for a wallet never seen."""
        ...

    async def payments_for_user(self, user_id: str, page: PageRequest, *,
                                gateway: str | None = None) -> Page[Payment]: ...

    async def payment_summary(self, user_id: str, since: datetime, currency: Currency) -> PaymentSummary:
        """Payments in ``currency`` created since ``since``: all, completed (and their amount), open,
        failed."""
        ...

    async def daily_usage(self, user_id: str, local_date: date, currency: Currency) -> DailyUsage:
        """Doctor views of the platform's day (free ones leave repeats out) and the day's spending in
        ``currency`` (another currency's is never added to it)."""
        ...

    async def service_summary(self, user_id: str, since: datetime, currency: Currency) -> ServiceSummary:
        """Doctor views since ``since``, repeats left out: how many, their charges in ``currency``,
        the free ones."""
        ...

    # What an admin reads.
    async def search_payments(self, search: PaymentSearch, page: PageRequest) -> Page[Payment]:
        """Newest first (by id at equal times), the payments that match every filter ``search``
        gives: created at or after ``created_from`` and before ``created_before``; ``payment_id``
        their id, ``reference`` their reference number, exactly. One payment named by id or
        reference is found through the primary key or the reference's unique index, never by
        reading them all."""
        ...

    async def payment_logs(self, payment_id: UUID) -> list[PaymentLog]:
        """Oldest first (in insertion order at equal times)."""
        ...

    async def recent_audit(self, limit: int) -> list[AuditEntry]:
        """Newest first (the later added first at equal times)."""
        ...

    async def wallets(self, page: PageRequest, *, user_prefix: str = "") -> Page[Wallet]:
        """Every wallet (of users whose id starts with ``user_prefix``), by user id then currency."""
        ...

    async def doctors(self, page: PageRequest) -> Page[Doctor]:
        """The doctor table: ASCII-digit ids first in numeric order, then the rest by code point."""
        ...

    async def transfer(self, transfer_id: UUID) -> Transfer | None:
        """One transfer by its id (a charge a refund names)."""
        ...

    async def transfers_for(self, reference: str) -> list[Transfer]:
        """The transfers of one reference (a payment, a charge), in the order they were recorded."""
        ...

    # The events to the platform (SPEC §12).
    async def events(self, page: PageRequest, *, type: str | None = None,
                     user_id: str | None = None) -> Page[Event]:
        """Newest first (the later recorded first at equal times)."""
        ...

    async def deliveries(self, endpoint_id: UUID, page: PageRequest) -> Page[Delivery]:
        """One endpoint's deliveries, newest first."""
        ...

    async def oldest_undelivered(self) -> datetime | None:
        """When the oldest event still waiting for an endpoint (pending delivery, or not yet
        queued) was recorded; None when nothing waits."""
        ...

    # Holds (SPEC §13).
    async def holds(self, user_id: str, page: PageRequest, *,
                    status: HoldStatus | None = None) -> Page[Hold]:
        """The user's holds, newest first."""
        ...

    async def active_holds(self) -> dict[Currency, int]:
        """What the active holds of each currency add up to (``verify`` compares it with the
        holds account's entries)."""
        ...

    # The console's dashboard (SPEC §16): aggregated by the storage, never row by row.
    async def daily_totals(self, since: datetime, utc_offset_seconds: int) -> list[DailyTotal]:
        """Top-ups (the topup transfers into wallets) and charges recorded since ``since``, by
        local day (UTC shifted by ``utc_offset_seconds``), kind and currency, in that order."""
        ...

    async def service_revenue(self, since: datetime) -> list[ServiceRevenue]:
        """Charges recorded since ``since``, by service and currency, in that order."""
        ...

    async def gateway_outcomes(self, since: datetime) -> list[GatewayOutcomes]:
        """Payments created since ``since``, counted by gateway (in name order) and status."""
        ...

    # What ``verify`` compares.
    async def entry_sums(self) -> dict[Account, int]:
        """The sum of every account's entries, system accounts included."""
        ...

    async def wallet_balances(self) -> dict[Account, int]:
        """Every wallet's stored balance."""
        ...

    async def transfer_count(self) -> int: ...

    async def unbalanced_transfers(self) -> int:
        """How many transfers do not have exactly two entries summing to zero."""
        ...

    async def wallet_flows_recounted(self) -> list[tuple[Account, WalletFlows, WalletFlows]]:
        """Every wallet's flows as kept (``wallet_flows``) next to what its lines add up to."""
        ...

    async def hold_moves(self) -> list[tuple[Hold, HoldMoves]]:
        """Every hold with what its own transfers add up to (``verify`` checks them against its
        state: ``domain.holds.moved_as_its_state_says``)."""
        ...
