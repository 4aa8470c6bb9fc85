"""Drives the real use cases and the model side by side, one operation at a time, and checks them
against each other after every step: balances, payment and attempt states, the ledger's entries."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from hypothesis import event

from adapters.clock import ManualClock
from adapters.memory import MemoryStorage
from application.billing import ChargeRequest
from application.hamyon import Hamyon
from application.payments import CreatePayment
from application.settlement import Settlement
from domain.billing import (
    DOCTOR_VIEW,
    BillingRule,
    BillingSettings,
    FreeReason,
    decide_charge,
    default_rules,
)
from domain.errors import (
    AmountOutOfRange,
    BalanceLimitExceeded,
    DomainError,
    InsufficientFunds,
    InvalidTransition,
    WalletBlocked,
)
from domain.ledger import Account, Wallet
from domain.money import Currency, Money, round_half_up
from tests.properties.model import OPEN, Model, PaymentModel, UsageModel, local_date

UZS = Currency.UZS
USERS = ("u1", "u2")
# Beside the seeded rules, two whose totals reach zero: 100 % off from 5, and 99.99 % off 1.00 from
# 2 (rounds to 0.00), so charges cross into a full discount and back.
FULLY_DISCOUNTED = (
    BillingRule("lab_test", Money.of(5_000, UZS), {"uz": "Tahlil"}, Decimal(100), 5),
    BillingRule("sms_ping", Money.of(1, UZS), {"uz": "SMS"}, Decimal("99.99"), 2),
)
RULES = {rule.service_type: rule for rule in (*default_rules(), *FULLY_DISCOUNTED)}
MIN_TOPUP, MAX_BALANCE = 10_000_00, 1_000_000_00  # the default settings, in tiyin
COMMISSION = {"commission_type": "combined", "commission_percentage": "2.5", "commission_fixed": "100"}


async def attempt(call) -> tuple[object, DomainError | None]:
    """The use case's answer, or the business refusal it raised."""
    try:
        return await call, None
    except DomainError as refusal:
        event(f"refused: {refusal.code}")
        return None, refusal


async def answer_or_refusal(call) -> object:
    try:
        return await call
    except DomainError as refusal:
        return refusal


class Simulation:
    """Drives Hamyon and the model side by side, checking them against each other after every step."""

    def __init__(self, hamyon: Hamyon, storage: MemoryStorage, clock: ManualClock,
                 commission: bool) -> None:
        self.hamyon, self.storage, self.clock = hamyon, storage, clock
        self.model = Model(clock.now())
        self.commission = commission
        self.opened = 0

    # --- payments -------------------------------------------------------------------------

    async def topup(self, index: int, minor: int, completions: int) -> None:
        who = USERS[index]
        amount = Money(minor, UZS)
        created, refusal = await attempt(self.hamyon.payments.create(
            CreatePayment(who, "sandbox", amount.amount)))
        if minor < MIN_TOPUP:
            assert isinstance(refusal, AmountOutOfRange), refusal
        elif who in self.model.blocked:
            assert isinstance(refusal, WalletBlocked), refusal
        elif self.model.balance(who) + minor > MAX_BALANCE:
            assert isinstance(refusal, BalanceLimitExceeded), refusal
        else:
            assert refusal is None, refusal
            payment = created.payment
            commission = round_half_up(amount.amount * Decimal("2.5") / 100 + 100, UZS) \
                if self.commission else Money.zero(UZS)
            assert (payment.amount, payment.commission) == (amount, commission)
            assert payment.status.value == "processing" and payment.external_id
            self.model.payments.append(PaymentModel(payment.id, who, minor, commission.minor,
                                                    payment.expires_at, attempts=[payment.external_id]))
            self.model.attempts[payment.external_id] = "open"
            if completions:
                await self.complete(sorted(self.model.attempts).index(payment.external_id), completions)

    async def complete(self, index: int, repeats: int) -> None:
        """Completes one attempt ``repeats`` times at once, then once more: at most one credits."""
        if not self.model.attempts:
            return
        external_id = sorted(self.model.attempts)[index % len(self.model.attempts)]
        payment = self.model.payment_of(external_id)
        credits = self.model.attempts[external_id] == "open" and payment.status in OPEN
        already = self.model.attempts[external_id] == "completed"
        before = await self.transfers(payment)
        calls = [self.hamyon.settlement.complete_attempt("sandbox", external_id) for _ in range(repeats)]
        results = await asyncio.gather(*calls, return_exceptions=True)
        completing = self.hamyon.settlement.complete_attempt("sandbox", external_id)
        results.append(await answer_or_refusal(completing))
        if credits or already:
            assert all(isinstance(result, Settlement) for result in results), results
            assert sum(result.credited for result in results) == (1 if credits else 0)
            assert {result.payment.status.value for result in results} == {"completed"}
        else:
            assert all(isinstance(result, InvalidTransition) for result in results), results
        event(f"completion: {'credits' if credits else 'repeat' if already else 'refused'}")
        if credits:
            self.model.move(payment.user, payment.amount)
            payment.status = "completed"
            self.model.cancel_open_attempts(payment)
            self.model.attempts[external_id] = "completed"
        moved = (1 + bool(payment.commission)) if credits else 0  # clearing → wallet (→ commission)
        assert len(await self.transfers(payment)) == len(before) + moved

    async def cancel_attempt(self, index: int) -> None:
        if not self.model.attempts:
            return
        external_id = sorted(self.model.attempts)[index % len(self.model.attempts)]
        _, refusal = await attempt(self.hamyon.settlement.cancel_attempt("sandbox", external_id, reason=3))
        assert refusal is None, refusal
        payment = self.model.payment_of(external_id)
        if self.model.attempts[external_id] == "open":
            self.model.attempts[external_id] = "cancelled"
            if payment.status == "processing" and \
                    not any(self.model.attempts[a] == "open" for a in payment.attempts):
                payment.status = "pending"

    async def reopen(self, index: int) -> None:
        payment = self.payment(index)
        if payment is None:
            return
        self.opened += 1
        external_id = f"sbx-{payment.id}-{self.opened}"
        _, refusal = await attempt(self.hamyon.settlement.open_attempt("sandbox", payment.id, external_id))
        if payment.status in OPEN:
            assert refusal is None, refusal
            payment.status = "processing"
            payment.attempts.append(external_id)
            self.model.attempts[external_id] = "open"
        else:
            assert isinstance(refusal, InvalidTransition), refusal

    async def cancel_payment(self, index: int) -> None:
        await self.close_payment(index, "cancelled", lambda p: self.hamyon.payments.cancel(p.user, p.id))

    async def close_payment(self, index: int, status: str, call) -> None:
        payment = self.payment(index)
        if payment is None:
            return
        _, refusal = await attempt(call(payment))
        if payment.status in OPEN:
            assert refusal is None, refusal
            payment.status = status
            self.model.cancel_open_attempts(payment)
        else:
            assert isinstance(refusal, InvalidTransition), refusal

    async def refund(self, index: int) -> None:
        payment = self.payment(index)
        if payment is None:
            return
        _, refusal = await attempt(self.hamyon.settlement.refund(payment.id, actor="admin"))
        if payment.status != "completed":
            assert isinstance(refusal, InvalidTransition), refusal
        elif self.model.balance(payment.user) < payment.amount:
            assert isinstance(refusal, InsufficientFunds), refusal
        else:
            assert refusal is None, refusal
            event("refund: done")
            self.model.move(payment.user, -payment.amount)
            payment.status = "refunded"
            self.model.attempts[next(a for a in payment.attempts
                                     if self.model.attempts[a] == "completed")] = "refunded"

    # --- charges and adjustments ------------------------------------------------------------

    async def charge(self, index: int, service: str, quantity: int, doctor: str) -> None:
        who, now = USERS[index], self.clock.now()
        wallet = Wallet(who, UZS, self.model.created_at, Money(self.model.balance(who), UZS),
                        who in self.model.blocked)
        snapshot = self.model.snapshot(who, service, doctor, now)
        expected, expected_refusal = None, None
        try:
            expected = decide_charge(RULES[service], BillingSettings(), wallet, snapshot,
                                     quantity=quantity, now=now)
        except DomainError as refusal:
            expected_refusal = refusal
        charging = self.hamyon.billing.charge(ChargeRequest(who, service, quantity, doctor))
        result, refusal = await attempt(charging)
        if expected_refusal is not None:
            assert type(refusal) is type(expected_refusal), (refusal, expected_refusal)
            return
        assert refusal is None, refusal
        assert (result.charged, result.amount_charged, result.free_reason) == (
            not expected.is_free, expected.amount, expected.free_reason)
        event(f"charge: {expected.free_reason.value if expected.free_reason else 'paid'}")
        spent = expected.amount.minor if expected.amount else 0
        self.model.move(who, -spent)
        self.model.revenue[service] = self.model.revenue.get(service, 0) + spent
        self.model.usages.append(UsageModel(who, service, doctor, local_date(now), now, spent,
                                            bool(spent), expected.free_reason is FreeReason.REPEAT_VIEW))
        assert result.balance_after == Money(self.model.balance(who), UZS)

    async def browse(self, index: int, doctors: list[str]) -> None:
        for doctor in doctors:
            await self.charge(index, DOCTOR_VIEW, 1, doctor)

    async def adjust(self, index: int, currency: Currency, minor: int) -> None:
        who = USERS[index]
        amount = Money(minor, currency).amount
        _, refusal = await attempt(self.hamyon.wallets.adjust(who, amount, currency.value, "property",
                                                             actor="admin"))
        if self.model.balance(who, currency) + minor < 0:
            assert isinstance(refusal, InsufficientFunds), refusal
            return
        assert refusal is None, refusal
        self.model.move(who, minor, currency)
        self.model.adjustments[currency] = self.model.adjustments.get(currency, 0) + minor

    async def block(self, index: int, blocked: bool) -> None:
        """An admin blocks or unblocks the user: no charges or new top-ups, but money for payments
        already created still lands, and refunds and adjustments still work (SPEC §2)."""
        who = USERS[index]
        wallets = await self.hamyon.wallets.set_blocked(who, blocked, actor="admin")
        assert all(wallet.is_blocked is blocked for wallet in wallets)
        (self.model.blocked.add if blocked else self.model.blocked.discard)(who)

    async def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    async def sweep(self) -> None:
        await self.hamyon.settlement.expire_due()

    # --- checks -----------------------------------------------------------------------------

    def payment(self, index: int) -> PaymentModel | None:
        payments = self.model.payments
        return payments[index % len(payments)] if payments else None

    async def transfers(self, payment: PaymentModel) -> list[object]:
        async with self.storage.unit_of_work(write=False) as uow:
            return list(await uow.reports.transfers_for(str(payment.id)))

    async def check_states(self) -> None:
        """Balances and (effective) payment and attempt states equal the model's."""
        now = self.clock.now()
        for (who, currency), balance in self.model.balances.items():
            assert (await self.hamyon.wallets.get(who, currency.value)).balance == Money(balance, currency)
        async with self.storage.unit_of_work(write=False) as uow:
            for modelled in self.model.payments:
                stored = await uow.payments.get(modelled.id)
                due = stored.is_due_to_expire(now)  # expired, but not written down yet
                assert ("expired" if due else stored.status.value) == modelled.status
                for found in await uow.payments.attempts(modelled.id):
                    effective = "cancelled" if due and found.status.value == "open" \
                        else found.status.value
                    assert effective == self.model.attempts[found.external_id], found

    async def check_ledger(self) -> None:
        report = await self.hamyon.admin.verify_ledger()
        assert report.ok, report.violations
        async with self.storage.unit_of_work(write=False) as uow:
            sums = await uow.reports.entry_sums()
            balances = await uow.reports.wallet_balances()
        expected = self.model.entry_sums("sandbox")
        for account in set(sums) | set(expected):
            assert sums.get(account, 0) == expected.get(account, 0), account.code
        assert all(balance >= 0 for balance in balances.values())
        for who in USERS:
            info = await self.hamyon.wallets.overview(who)
            assert info.flows.money_in - info.flows.money_out \
                == info.wallet.balance.minor + info.held.minor
            assert Account.wallet(who, UZS) in balances
