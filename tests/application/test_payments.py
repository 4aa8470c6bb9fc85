"""Top-ups through the use cases: limits, commission, crediting exactly once, expiry, refunds."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.payments import CreatePayment
from domain.errors import (
    AmountOutOfRange,
    BalanceLimitExceeded,
    GatewayError,
    GatewayNotFound,
    InsufficientFunds,
    InvalidTransition,
    PaymentExpired,
    PaymentNotFound,
    WalletBlocked,
)
from domain.ledger import Account
from domain.money import Currency
from domain.paging import PageRequest
from domain.payments import AttemptStatus, PaymentStatus
from tests.application.conftest import uzs


async def test_estimate_rounds_commission_half_up_once(world):
    async with world() as w:
        estimate = await w.hamyon.payments.estimate("u1", "click", "10001.00")
        assert estimate.commission == uzs("250.03")
        assert estimate.total_amount == uzs("10251.03")


async def test_create_payment_computes_commission_and_reference(world):
    async with world() as w:
        created = await w.hamyon.payments.create(CreatePayment("u1", "click", Decimal("50000.00")))
        payment = created.payment
        assert (payment.amount, payment.commission, payment.total_amount) == (
            uzs("50000"), uzs("1250"), uzs("51250"))
        assert payment.status is PaymentStatus.PENDING
        assert payment.reference_number.startswith("PAY-")
        assert created.payment_url.endswith(str(payment.id))
        assert (payment.expires_at - payment.created_at).total_seconds() == 1800


@pytest.mark.parametrize("amount", ["999.99", "10000000.01"])
async def test_amounts_outside_gateway_limits_are_refused(world, amount):
    async with world() as w:
        with pytest.raises(AmountOutOfRange):
            await w.topup("u1", amount)


async def test_topup_below_min_wallet_topup_is_refused(world):
    async with world() as w:
        with pytest.raises(AmountOutOfRange):
            await w.topup("u1", "9999.99")


async def test_topup_that_would_pass_max_balance_is_refused_at_creation(world):
    async with world() as w:
        await w.paid_topup("u1", "990000")
        with pytest.raises(BalanceLimitExceeded):
            await w.topup("u1", "10001")


async def test_inactive_or_unknown_gateway_is_not_found(world):
    async with world() as w:
        for name in ("humo", "nonexistent", 42):
            with pytest.raises(GatewayNotFound):
                await w.hamyon.payments.create(CreatePayment("u1", name, "50000"))


async def test_completion_credits_amount_and_commission_exactly_once(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("click", payment.id, "c-1")
        first = await w.hamyon.settlement.complete_attempt("click", "c-1")
        again = await w.hamyon.settlement.complete_attempt("click", "c-1")
        assert first.credited and not again.credited
        assert again.payment.status is PaymentStatus.COMPLETED
        assert await w.balance("u1") == uzs("50000")
        sums = await w.hamyon.units.read(lambda uow: uow.reports.entry_sums())
        assert sums[Account.commission(Currency.UZS)] == 125000
        assert sums[Account.clearing("click", Currency.UZS)] == -5125000
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_expired_payment_is_refused_and_credits_nothing(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("click", payment.id, "c-1")
        w.clock.advance(seconds=1801)
        with pytest.raises(PaymentExpired):
            await w.hamyon.settlement.complete_attempt("click", "c-1")
        assert await w.balance("u1") == uzs("0")
        assert await w.status("u1", payment.id) == "expired"
        attempts = await w.hamyon.units.read(lambda uow: uow.payments.attempts(payment.id))
        assert [(a.status, a.cancel_reason) for a in attempts] == [(AttemptStatus.CANCELLED, 4)]


async def test_expiry_is_enforced_on_read_and_written_by_the_sweeper(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        w.clock.advance(seconds=1800)
        history = await w.hamyon.payments.history("u1", PageRequest())
        assert history.items[0].status is PaymentStatus.EXPIRED
        assert await w.hamyon.settlement.expire_due() == 1
        stored = await w.hamyon.admin.payment(payment.id)
        assert stored.status is PaymentStatus.EXPIRED


async def test_cancelled_payment_refuses_later_confirmation(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("click", payment.id, "c-1")
        cancelled = await w.hamyon.payments.cancel("u1", payment.id)
        assert cancelled.status is PaymentStatus.CANCELLED
        with pytest.raises(InvalidTransition):
            await w.hamyon.settlement.complete_attempt("click", "c-1")
        with pytest.raises(InvalidTransition):
            await w.hamyon.settlement.open_attempt("click", payment.id, "c-2")
        assert await w.balance("u1") == uzs("0")


async def test_cancelled_attempt_lets_a_new_attempt_pay(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("payme", payment.id, "p-1")
        released = await w.hamyon.settlement.cancel_attempt("payme", "p-1", reason=3)
        assert released.payment.status is PaymentStatus.PENDING
        await w.hamyon.settlement.open_attempt("payme", payment.id, "p-2")
        assert (await w.hamyon.settlement.complete_attempt("payme", "p-2")).credited
        assert await w.balance("u1") == uzs("50000")


async def test_refund_takes_the_money_back_or_is_refused(world):
    async with world() as w:
        payment = await w.paid_topup("u1", "50000")
        refunded = await w.hamyon.settlement.refund(payment.id, actor="admin")
        assert refunded.payment.status is PaymentStatus.REFUNDED
        assert refunded.attempt.status is AttemptStatus.REFUNDED
        assert await w.balance("u1") == uzs("0")
        with pytest.raises(InvalidTransition):
            await w.hamyon.settlement.refund(payment.id, actor="admin")
        spent = await w.paid_topup("u2", "50000")
        await w.fund("u2", "-10000")
        with pytest.raises(InsufficientFunds):
            await w.hamyon.settlement.refund(spent.id, actor="admin")
        assert await w.balance("u2") == uzs("40000")
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_another_users_payment_is_not_found(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        with pytest.raises(PaymentNotFound):
            await w.hamyon.payments.get("u2", payment.id)
        with pytest.raises(PaymentNotFound):
            await w.hamyon.payments.cancel("u2", payment.id)


async def test_gateway_refusal_leaves_payment_failed_and_logged(world):
    async with world() as w:
        with pytest.raises(GatewayError):
            await w.topup("u1", "50000", gateway="uzcard")
        page = await w.hamyon.admin.search_payments(PageRequest(), gateway="uzcard")
        assert [p.status for p in page.items] == [PaymentStatus.FAILED]
        logs = await w.hamyon.admin.payment_logs(page.items[0].id)
        assert [log.type for log in logs] == ["state_change", "error"]


async def test_blocked_wallet_takes_no_new_topup_but_created_payment_still_lands(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        await w.hamyon.wallets.set_blocked("u1", True, actor="admin")
        with pytest.raises(WalletBlocked):
            await w.topup("u1", "50000")
        await w.hamyon.settlement.open_attempt("click", payment.id, "c-1")
        assert (await w.hamyon.settlement.complete_attempt("click", "c-1")).credited
        assert await w.balance("u1") == uzs("50000")


async def test_sandbox_checkout_opens_an_attempt_at_creation(world):
    async with world() as w:
        created = await w.hamyon.payments.create(CreatePayment("u1", "sandbox", "20000"))
        assert created.payment.status is PaymentStatus.PROCESSING
        assert "/sandbox/pay/" in created.payment_url
        settled = await w.hamyon.settlement.complete_attempt("sandbox", created.payment.external_id)
        assert settled.credited and await w.balance("u1") == uzs("20000")
