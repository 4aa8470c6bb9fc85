"""What the reports answer: wallet lines and totals, usage and payment summaries (the pages they
come in are ``domain.paging``). Read models only: nothing here is written back."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from attrs import frozen

from domain.ledger import TransferKind


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
    refunded_amount: int | None = None  # a charge's: what its refunds gave back; None for other kinds


# A hold's own lines (the amount reserved, then given back) move money within the user's reach,
# not into or out of the wallet: a hold of 50,000 captured at 30,000 is 30,000 out, not 80,000 out
# and 50,000 in.
RESERVATION_KINDS = frozenset({TransferKind.HOLD, TransferKind.RELEASE})


@frozen
class WalletFlows:
    """Money into and out of a wallet over its life (minor units): its lines but a hold's own
    (``RESERVATION_KINDS``), so money_in − money_out = balance + held. A capture made before
    2026-12-07 charged the revenue from the holds account, without a charge line of the wallet:
    its captured amount counts as money out."""

    money_in: int = 0
    money_out: int = 0


@frozen
class WalletTotals:
    """Money into and out of a wallet in a period, and how many lines moved it: its lines but a
    hold's own (``RESERVATION_KINDS``), as the billing summary shows them."""

    total_credited: int = 0
    total_debited: int = 0
    credit_transactions: int = 0
    debit_transactions: int = 0


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
