"""The outgoing gateway port: what a use case asks of a payment gateway."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from domain.fiscal import FiscalStep, FiscalSubmission, ReceiptLine
from domain.gateways import CheckoutSession, Probe, Verification
from domain.payments import Payment


class PaymentGateway(Protocol):
    name: str

    async def checkout(self, payment: Payment) -> CheckoutSession:
        """Open a checkout for the payment. Raises GatewayError when the gateway refuses."""
        ...

    def payment_url(self, payment: Payment) -> str:
        """Where the payer goes to pay this payment (recomputed, never stored)."""
        ...

    async def probe(self) -> Probe:
        """A cheap request with a short timeout, to report availability."""
        ...


@runtime_checkable
class RedirectGateway(PaymentGateway, Protocol):
    """A gateway that sends the payer back to us with a callback (medogram, the sandbox, and later
    Uzum Bank, ATMOS, Multicard, Octo): nothing is credited until ``verify`` says so."""

    async def verify(self, payment: Payment, callback: Mapping[str, str]) -> Verification:
        """The gateway's own account of the payment named by a callback (its fields as received):
        a verification call, or a signature check. Raises GatewayError when the gateway cannot be
        asked, Forbidden when the callback is not authentic (a forged one changes nothing)."""
        ...


@runtime_checkable
class Reconciler(Protocol):
    """A gateway that can be asked, without a callback, what became of a payment (Click's
    ``status_by_mti``). Adapters implement it when their gateway offers such a call."""

    async def reconcile(self, payment: Payment) -> Verification | None:
        """The gateway's account of a processing payment, or None when it cannot tell yet. A paid
        verification carries the ``amount`` collected (the payment's total) and ``order_id`` (the
        payment's id); one that does not match the payment changes nothing. Raises GatewayError when
        the gateway cannot be asked."""
        ...


class GatewayRegistry(Protocol):
    def get(self, name: str) -> PaymentGateway | None:
        """The adapter for a gateway name, or None when the gateway has no working adapter."""
        ...


class FiscalRegistrar(Protocol):
    """A gateway's fiscal API on our side of the call (Click's ``ofd_data``): the items of a paid
    payment are submitted, then its registered receipt is read. Neither call raises."""

    name: str

    async def submit(self, submission: FiscalSubmission, lines: tuple[ReceiptLine, ...],
                     tin: str) -> FiscalStep: ...

    async def fetch_receipt(self, submission: FiscalSubmission) -> FiscalStep: ...
