"""A Prepare that Click sends again (GATEWAYS.md, Click SHOP-API check order): after the payment's
time ran out it is -9 and the payment is written down as expired; with Click's own error < 0 the
attempt it names is cancelled and the payment goes back to pending."""

from __future__ import annotations

from tests.gateways.click.conftest import uzs


async def test_repeated_prepare_after_the_payment_expired_is_cancelled_not_success(click):
    # GATEWAYS.md check order: "... -2 (|Δ| > 0.01) → -9 (the attempt or the payment is cancelled
    # or expired) → 0"; SPEC §3: expiry "is enforced on every read and every gateway call".
    async with click() as w:
        order = await w.topup()
        assert (await w.prepare(order, "9101"))["error"] == 0
        w.clock.advance(seconds=1801)  # past the 30-minute TTL; no sweeper has run
        again = await w.prepare(order, "9101")  # Click re-sends the same Prepare
        assert (again["error"], again["error_note"]) == (-9, "Transaction cancelled")
        assert await w.status(order) == "expired"
        assert await w.balance() == uzs("0")


async def test_prepare_with_clicks_own_error_cancels_the_attempt_it_names(click):
    # GATEWAYS.md check order: "Click's own `error < 0` (answer -9; an attempt not yet completed
    # is cancelled and the payment goes back to pending ...)".
    async with click() as w:
        order = await w.topup()
        prepared = await w.prepare(order, "9201")
        assert prepared["error"] == 0
        refused = await w.prepare(order, "9201", error="-5017")
        attempt = await w.hamyon.settlement.attempt("click", "9201")
        assert refused["error"] == -9
        assert attempt.status.value == "cancelled"
        assert await w.status(order) == "pending"
