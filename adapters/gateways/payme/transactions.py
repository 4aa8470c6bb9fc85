"""Payme's transaction methods on Hamyon's settlement use cases, with Payme's rules on top.

Every method that may change something runs in one writing unit of work that first locks the
payment, then re-reads the transaction: two deliveries of the same call (Payme may send them at
once) run one after the other, and the second answers from what the first stored. The settlement
use cases called inside join that unit, so the checks and the change commit together.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

import attrs

from adapters.gateways.payme import views
from adapters.gateways.payme.errors import (
    CANNOT_CANCEL,
    CANNOT_PERFORM,
    ORDER_BUSY,
    ORDER_NOT_FOUND,
    ORDER_NOT_PAYABLE,
    TRANSACTION_NOT_FOUND,
    WRONG_AMOUNT,
    PaymeError,
    account_error,
)
from adapters.gateways.payme.wire import EPOCH, to_ms
from application.hamyon import Hamyon
from domain.errors import InsufficientFunds, InvalidTransition, PaymentNotFound, WalletBlocked
from domain.fiscal import FiscalReceipt, ReceiptType
from domain.money import Currency
from domain.payments import Attempt, AttemptStatus, Payment, PaymentStatus
from ports.storage import Conflict, UnitOfWork

GATEWAY = "payme"
Answer = dict[str, Any]


class PaymeTransactions:
    def __init__(self, hamyon: Hamyon) -> None:
        self._hamyon = hamyon
        # The facade's own unit-of-work runner and clock: use cases called inside a unit run
        # here join it instead of opening their own.
        self._units = hamyon.units
        self._clock = hamyon.clock

    async def check_perform(self, amount: int, order: UUID | None) -> Answer:
        async def body(uow: UnitOfWork) -> Answer:
            payment = await uow.payments.get(order) if order is not None else None
            payment = await self._ensure_payable(uow, payment, amount)
            lines = await self._hamyon.fiscal.topup_lines(uow, payment)
            return {"allow": True, **({"detail": views.receipt_detail(lines)} if lines else {})}

        return await self._units.read(body)

    async def create(self, external_id: str, time: int, amount: int, order: UUID | None) -> Answer:
        """A new transaction opens an attempt; a known one answers what it answered (or -31008
        once it has left state 1 or timed out, cancelling it with reason 4)."""
        async def body(uow: UnitOfWork) -> Answer | PaymeError:
            known = await uow.payments.attempt(GATEWAY, external_id)
            payment = await self._lock(uow, known.payment_id if known else order)
            known = known or await uow.payments.attempt(GATEWAY, external_id)  # a twin won the lock
            if payment is not None:
                await self._record(payment.id, "CreateTransaction", external_id,
                                   {"id": external_id, "time": time, "amount": amount})
            if known is not None:
                return await self._repeat_create(known)
            payment = await self._ensure_payable(uow, payment, amount)
            if to_ms(self._clock.now()) - time > views.TIMEOUT_MS:
                raise PaymeError(CANNOT_PERFORM)
            opened = await self._hamyon.settlement.open_attempt(GATEWAY, payment.id, external_id, time)
            return views.created(opened.attempt)

        try:
            return await self._write(body)
        except Conflict:  # Payme's id was taken by a concurrent create for another order
            return await self._write(body)

    async def perform(self, external_id: str) -> Answer:
        """State 1 in time: credit the wallet once. State 2: the stored answer. Otherwise -31008,
        cancelling a timed-out transaction (reason 4) first."""
        async def body(uow: UnitOfWork) -> Answer | PaymeError:
            attempt = await self._known(uow, external_id)
            await self._record(attempt.payment_id, "PerformTransaction", external_id, {"id": external_id})
            if attempt.status is AttemptStatus.COMPLETED:
                return views.performed(attempt)
            if attempt.status is not AttemptStatus.OPEN:
                raise PaymeError(CANNOT_PERFORM)
            if views.timed_out(attempt, to_ms(self._clock.now())):
                await self._hamyon.settlement.cancel_attempt(GATEWAY, external_id, views.REASON_TIMEOUT)
                return PaymeError(CANNOT_PERFORM)
            settled = await self._hamyon.settlement.complete_attempt(GATEWAY, external_id)
            return views.performed(settled.attempt)

        try:
            return await self._write(body)
        except InvalidTransition:  # the payment expired (its attempt now cancelled, reason 4)
            raise PaymeError(CANNOT_PERFORM) from None  # or was paid through another attempt

    async def cancel(self, external_id: str, reason: int) -> Answer:
        """State 1 → -1. State 2 → -2, taking the credited money back from the wallet (or -31007
        when it is no longer there). Cancelled: the stored answer."""
        async def body(uow: UnitOfWork) -> Answer:
            attempt = await self._known(uow, external_id)
            await self._record(attempt.payment_id, "CancelTransaction", external_id,
                               {"id": external_id, "reason": reason})
            if attempt.status is AttemptStatus.OPEN:
                attempt = (await self._hamyon.settlement.cancel_attempt(GATEWAY, external_id, reason)).attempt
            elif attempt.status is AttemptStatus.COMPLETED:
                attempt = (await self._hamyon.settlement.refund(attempt.payment_id, reason=reason)).attempt
            return views.cancelled(attempt)

        try:
            return await self._write(body)
        except (InsufficientFunds, WalletBlocked, InvalidTransition):
            raise PaymeError(CANNOT_CANCEL) from None

    async def set_fiscal_data(self, external_id: str, kind: ReceiptType, receipt: FiscalReceipt) -> Answer:
        if receipt.registered_at == EPOCH:  # Payme sent no date we can read
            receipt = attrs.evolve(receipt, registered_at=self._clock.now())
        try:
            await self._hamyon.fiscal.register(GATEWAY, external_id, kind, receipt)
        except PaymentNotFound:
            raise PaymeError(TRANSACTION_NOT_FOUND) from None
        return {"success": True}

    async def check(self, external_id: str) -> Answer:
        async def body(uow: UnitOfWork) -> Answer:
            attempt = await uow.payments.attempt(GATEWAY, external_id)
            if attempt is None:
                raise PaymeError(TRANSACTION_NOT_FOUND)
            return views.checked(attempt)

        return await self._units.read(body)

    async def statement(self, start_ms: int, end_ms: int) -> Answer:
        """Transactions whose Payme ``time`` lies in [start_ms, end_ms], ascending."""
        async def body(uow: UnitOfWork) -> Answer:
            payments: dict[UUID, Payment | None] = {}
            lines = []
            for attempt in await uow.payments.attempts_between(GATEWAY, start_ms, end_ms):
                if attempt.payment_id not in payments:
                    payments[attempt.payment_id] = await uow.payments.get(attempt.payment_id)
                payment = payments[attempt.payment_id]
                if payment is not None:
                    lines.append(views.statement_line(attempt, payment))
            return {"transactions": lines}

        return await self._units.read(body)

    async def cancel_stale(self) -> int:
        """The sweeper: cancel state-1 transactions older than 12 hours (reason 4)."""
        before = self._clock.now() - timedelta(milliseconds=views.TIMEOUT_MS)
        stale = await self._units.read(lambda uow: uow.payments.open_attempts_before(GATEWAY, before))
        cancelled = 0
        for attempt in stale:
            async def body(uow: UnitOfWork, external_id: str = attempt.external_id) -> bool:
                current = await self._known(uow, external_id)
                if current.status is not AttemptStatus.OPEN:
                    return False
                await self._hamyon.settlement.cancel_attempt(GATEWAY, external_id, views.REASON_TIMEOUT)
                return True

            cancelled += await self._units.write(body)
        return cancelled

    async def _write(self, body: Callable[[UnitOfWork], Awaitable[Answer | PaymeError]]) -> Answer:
        """Run a body whose returned error keeps what it wrote (a timeout cancel) before refusing."""
        outcome = await self._units.write(body)
        if isinstance(outcome, PaymeError):
            raise outcome
        return outcome

    async def _record(self, payment_id: UUID, method: str, external_id: str,
                      params: dict[str, object]) -> None:
        """What Payme sent, in the payment's log (kept when the unit commits)."""
        await self._hamyon.settlement.log_step(payment_id, "callback", f"Payme {method} {external_id}",
                                            payload=json.dumps(params, sort_keys=True))

    async def _lock(self, uow: UnitOfWork, payment_id: UUID | None) -> Payment | None:
        return await uow.payments.lock(payment_id) if payment_id is not None else None

    async def _known(self, uow: UnitOfWork, external_id: str) -> Attempt:
        """The transaction, read again once its payment is locked."""
        attempt = await uow.payments.attempt(GATEWAY, external_id)
        if attempt is None:
            raise PaymeError(TRANSACTION_NOT_FOUND)
        await uow.payments.lock(attempt.payment_id)
        return await uow.payments.attempt(GATEWAY, external_id) or attempt

    async def _repeat_create(self, known: Attempt) -> Answer | PaymeError:
        if known.status is not AttemptStatus.OPEN:
            raise PaymeError(CANNOT_PERFORM)
        if views.timed_out(known, to_ms(self._clock.now())):
            await self._hamyon.settlement.cancel_attempt(GATEWAY, known.external_id, views.REASON_TIMEOUT)
            return PaymeError(CANNOT_PERFORM)
        return views.created(known)

    async def _ensure_payable(self, uow: UnitOfWork, payment: Payment | None, amount: int) -> Payment:
        """Payme's account checks, in order: -31050 unknown order, -31051 not in UZS, -31001 wrong
        amount, -31099 another transaction in state 1 or 2, -31051 no longer payable."""
        if payment is None or payment.gateway != GATEWAY:
            raise account_error(ORDER_NOT_FOUND)
        if payment.currency is not Currency.UZS:
            raise account_error(ORDER_NOT_PAYABLE)
        if payment.total_amount.minor != amount:
            raise PaymeError(WRONG_AMOUNT)
        if any(views.holds_order(a) for a in await uow.payments.attempts(payment.id)
               if a.gateway == GATEWAY):
            raise account_error(ORDER_BUSY)
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.PROCESSING) \
                or payment.is_due_to_expire(self._clock.now()):
            raise account_error(ORDER_NOT_PAYABLE)
        return payment
