"""What gateways do to payments: open attempts, complete them (crediting exactly once), cancel
them, refund, and the expiry sweep; and what the gateways' inbound protocols look up and note
besides (the payment a gateway's own id names, its tracking code, a payment's attempts, the
processing payments reconciliation asks about). Every gateway settles through these, so the money
rules live in one place. Only a refused checkout
fails a payment (``create_payment``): no later gateway answer does, since a callback may be forged."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from attrs import frozen

from application.dependencies import UseCases
from application.units import CommitAndRaise
from domain.errors import InvalidTransition, PaymentExpired, PaymentNotFound
from domain.fiscal import ReceiptType, simulated_receipt
from domain.ledger import Account, Transfer, TransferKind, Wallet, post
from domain.money import Money
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus
from ports.storage import UnitOfWork


@frozen
class Settlement:
    """The payment and attempt after a gateway step; ``credited`` is True only for the step that
    actually moved the money (a repeat sees False and the same final states)."""

    payment: Payment
    attempt: Attempt
    credited: bool = False


class SettlementUseCases(UseCases):
    async def open_attempt(self, gateway: str, payment_id: UUID, external_id: str,
                           external_time: int | None = None) -> Settlement:
        """A gateway takes the payment (Click prepare, Payme create). Repeats return the same
        attempt; an expired payment is written down as expired and refused."""
        async def body(uow: UnitOfWork) -> Settlement:
            payment = await self._locked_payment(uow, payment_id)
            # Read under the payment's lock, so a concurrent duplicate sees the winner's attempt.
            existing = await uow.payments.attempt(gateway, external_id)
            if existing is not None:
                # A repeat: the same attempt, unless the payment's time ran out meanwhile (written
                # down here, the attempt cancelled, then refused: SPEC §3, every gateway call).
                if existing.status is AttemptStatus.OPEN and await self._write_down_expiry(uow, payment):
                    raise CommitAndRaise(PaymentExpired())
                return Settlement(payment, existing)
            await self._ensure_open(uow, payment)
            now = self._now()
            payment.start_processing(now)
            attempt = Attempt(self._deps.ids.new_id(), payment.id, gateway, external_id, now,
                              external_time=external_time)
            await uow.payments.save(payment)
            await uow.payments.add_attempt(attempt)
            await self._log(uow, payment.id, "state_change", f"{gateway} attempt {external_id} opened")
            return Settlement(payment, attempt)

        return await self._units.write(body)

    async def complete_attempt(self, gateway: str, external_id: str) -> Settlement:
        """The gateway took the money: credit the wallet exactly once. A repeat credits nothing
        and returns the same states; a cancelled, failed or expired payment is refused."""
        async def body(uow: UnitOfWork) -> Settlement:
            attempt = await self._attempt(uow, gateway, external_id)
            payment = await self._locked_payment(uow, attempt.payment_id)
            attempt = await self._attempt(uow, gateway, external_id)  # re-read under the lock
            if attempt.status is AttemptStatus.COMPLETED:
                return Settlement(payment, attempt)
            if attempt.status is not AttemptStatus.OPEN:
                raise InvalidTransition(f"Attempt is {attempt.status.value}")
            if payment.status is PaymentStatus.COMPLETED:
                raise InvalidTransition("Payment was already paid through another attempt")
            await self._ensure_open(uow, payment)
            await self._credit(uow, payment)
            attempt.complete(self._now())
            await uow.payments.save_attempt(attempt)
            await self._cancel_open_attempts(uow, payment.id)
            return Settlement(payment, attempt, credited=True)

        return await self._units.write(body)

    async def cancel_attempt(self, gateway: str, external_id: str,
                             reason: int | None = None) -> Settlement:
        """An attempt ends before money moved: the payment goes back to pending for a new try."""
        async def body(uow: UnitOfWork) -> Settlement:
            attempt = await self._attempt(uow, gateway, external_id)
            payment = await self._locked_payment(uow, attempt.payment_id)
            attempt = await self._attempt(uow, gateway, external_id)
            if attempt.status is AttemptStatus.OPEN:
                now = self._now()
                attempt.cancel(now, reason)
                await uow.payments.save_attempt(attempt)
                if not any(a.status is AttemptStatus.OPEN for a in await uow.payments.attempts(payment.id)):
                    payment.release(now)
                    await uow.payments.save(payment)
                await self._log(uow, payment.id, "state_change",
                                f"{gateway} attempt {external_id} cancelled (reason {reason})")
            return Settlement(payment, attempt)

        return await self._units.write(body)

    async def refund(self, payment_id: UUID, *, reason: int | None = None,
                     actor: str = "gateway") -> Settlement:
        """Reverse a completed payment: wallet → clearing for the amount, commission → clearing.
        Refused (402) when the wallet no longer holds the amount."""
        async def body(uow: UnitOfWork) -> Settlement:
            payment = await self._locked_payment(uow, payment_id)
            attempt = next((a for a in await uow.payments.attempts(payment.id)
                            if a.status in (AttemptStatus.COMPLETED, AttemptStatus.REFUNDED)), None)
            if attempt is None or payment.status is not PaymentStatus.COMPLETED:
                raise InvalidTransition(f"Payment is {payment.status.value}, not completed",
                                        status=payment.status.value)
            now = self._now()
            wallet = await uow.wallets.lock(payment.user_id, payment.currency, now)
            clearing = Account.clearing(payment.gateway, payment.currency)
            before = wallet.balance.minor
            await self._move(uow, wallet, wallet.account, clearing, payment, TransferKind.REFUND)
            await self._debited(uow, wallet, before)
            if payment.commission.is_positive:
                await self._move(uow, wallet, Account.commission(payment.currency), clearing,
                                 payment, TransferKind.REVERSAL, payment.commission)
            payment.refund(now)
            attempt.refund(now, reason)
            await uow.payments.save(payment)
            await uow.payments.save_attempt(attempt)
            await self._log(uow, payment.id, "state_change", f"refunded by {actor}")
            await self._payment_event(uow, "refunded", payment)
            await self._simulated_receipt(uow, payment, ReceiptType.REFUND)
            if actor != "gateway":
                await self._audit(uow, actor, "refund", f"payment:{payment.id}", str(payment.amount))
            self._units.emit("payment_refunded", payment_id=str(payment.id), gateway=payment.gateway,
                             actor=actor)
            return Settlement(payment, attempt)

        return await self._units.write(body)

    async def attempt(self, gateway: str, external_id: str) -> Attempt | None:
        """A gateway's attempt by the gateway's own id (a read; None when unknown)."""
        return await self._units.read(lambda uow: uow.payments.attempt(gateway, external_id))

    async def log_step(self, payment_id: UUID, type: str, message: str, *,
                       payload: str = "", http_status: int | None = None) -> None:
        """Record what a gateway sent us or answered (SPEC §8); the payload is stored encrypted."""
        async def body(uow: UnitOfWork) -> None:
            await self._log(uow, payment_id, type, message, payload=payload, http_status=http_status)

        await self._units.write(body)

    async def expire_due(self, limit: int = 500) -> int:
        """The sweeper: write down expiry of payments past their TTL. Returns how many."""
        return await self._expire_due_payments(limit)

    async def by_gateway_id(self, gateway: str, external_id: str) -> Payment | None:
        """The payment a redirect gateway's session id belongs to (the id it gave at checkout)."""
        if not external_id:
            return None
        return await self._units.read(lambda uow: uow.payments.by_external_id(gateway, external_id))

    async def keep_tracking_code(self, payment_id: UUID, tracking_code: str) -> Payment:
        """Store the gateway's tracking code on the payment (the first one given is kept)."""
        async def body(uow: UnitOfWork) -> Payment:
            payment = await self._locked_payment(uow, payment_id)
            if tracking_code and not payment.tracking_code:
                payment.tracking_code = tracking_code
                await uow.payments.save(payment)
            return payment

        return await self._units.write(body)

    async def attempts(self, payment_id: UUID) -> list[Attempt]:
        return await self._units.read(lambda uow: uow.payments.attempts(payment_id))

    async def stale_processing(self, limit: int = 100) -> list[UUID]:
        """Processing payments untouched for ``reconcile_after_seconds``: their gateway is asked."""
        older_than = self._now() - timedelta(seconds=self.config.reconcile_after_seconds)
        return await self._units.read(lambda uow: uow.payments.stale_processing(older_than, limit))

    async def _attempt(self, uow: UnitOfWork, gateway: str, external_id: str) -> Attempt:
        attempt = await uow.payments.attempt(gateway, external_id)
        if attempt is None:
            raise PaymentNotFound("Transaction not found")
        return attempt

    async def _ensure_open(self, uow: UnitOfWork, payment: Payment) -> None:
        """Refuse a gateway step on a payment that is no longer open; an expiry discovered here is
        written down (and the attempt cancelled, reason 4) before the refusal."""
        if await self._write_down_expiry(uow, payment):
            raise CommitAndRaise(PaymentExpired())
        payment.ensure_open_for_gateway(self._now())

    async def _credit(self, uow: UnitOfWork, payment: Payment) -> None:
        now = self._now()
        wallet = await uow.wallets.lock(payment.user_id, payment.currency, now)
        clearing = Account.clearing(payment.gateway, payment.currency)
        await self._move(uow, wallet, clearing, wallet.account, payment, TransferKind.TOPUP)
        if payment.commission.is_positive:
            await self._move(uow, wallet, clearing, Account.commission(payment.currency), payment,
                             TransferKind.TOPUP, payment.commission)
        payment.complete(now)
        await uow.payments.save(payment)
        await self._log(uow, payment.id, "state_change", "completed; wallet credited")
        await self._payment_event(uow, "completed", payment)
        await self._simulated_receipt(uow, payment, ReceiptType.SALE)
        self._units.emit("payment_completed", payment_id=str(payment.id),
                               gateway=payment.gateway, amount=str(payment.amount))

    async def _simulated_receipt(self, uow: UnitOfWork, payment: Payment, kind: ReceiptType) -> None:
        """A gateway that simulates payments (the sandbox says so) registers their receipts at
        once too, so that the demo shows the whole flow; real gateways register their own."""
        if getattr(self._deps.gateways.get(payment.gateway), "simulates_receipts", False):
            await self._register_receipt(uow, simulated_receipt(payment, kind, self._now()),
                                         payment.user_id)

    async def _move(self, uow: UnitOfWork, wallet: Wallet, debit: Account, credit: Account,
                    payment: Payment, kind: TransferKind, amount: Money | None = None) -> None:
        transfer = Transfer(self._deps.ids.new_id(), debit, credit, amount or payment.amount, kind,
                            _description(payment, kind), str(payment.id), self._now())
        await uow.ledger.record(post(transfer, {wallet.account: wallet}))


def _description(payment: Payment, kind: TransferKind) -> str:
    if kind is TransferKind.TOPUP:
        return f"Hamyon to'ldirish - {payment.gateway.capitalize()}"
    return f"Qaytarish - {payment.reference_number}"
