"""The console's use cases: a sign-in link signs its admin in once within ten minutes, and the
dashboard adds up the last 30 local days' top-ups and charges, per service and per gateway."""

from __future__ import annotations

from datetime import timedelta

from application.billing import ChargeRequest
from application.console import DASHBOARD_DAYS


async def test_a_link_signs_its_admin_in_once_and_not_after_ten_minutes(world):
    async with world() as w:
        first, late = await w.hamyon.console.make_link("ops-1"), await w.hamyon.console.make_link()
        once = await w.hamyon.console.redeem_link(first.token)
        twice = await w.hamyon.console.redeem_link(first.token)
        w.clock.advance(minutes=10)
        expired = await w.hamyon.console.redeem_link(late.token)
    assert first.token != late.token and first.expires_at - w.clock.now() <= timedelta(0)
    assert (once, twice, expired) == ("ops-1", None, None)


async def test_the_dashboard_counts_today_s_topups_charges_and_gateway_outcomes(world):
    async with world() as w:
        await w.paid_topup("alice", "50000")
        await w.topup("alice", "20000")
        await w.hamyon.billing.charge(ChargeRequest("alice", "consultation", quantity=1))
        figures = await w.hamyon.console.dashboard()
    today = figures.days[-1]
    assert len(figures.days) == DASHBOARD_DAYS and today == w.clock.now().astimezone(
        w.hamyon.config.zone).date()
    assert [(t.day, t.kind, t.count) for t in figures.daily] == [(today, "charge", 1), (today, "topup", 1)]
    assert [r.service_type for r in figures.revenue] == ["consultation"]
    assert [(o.gateway, o.total, o.success_rate) for o in figures.outcomes] == [("click", 2, 1.0)]


async def test_the_dashboards_ledger_check_runs_again_only_when_a_minute_old():
    from decimal import Decimal

    from entrypoints.bootstrap import bootstrap
    from entrypoints.console.pages import recent_ledger_check

    hamyon = await bootstrap("memory://")
    now = [0.0]
    try:
        first = await recent_ledger_check(hamyon, clock=lambda: now[0])
        await hamyon.wallets.adjust("u1", Decimal("100"), "UZS", "test", actor="admin")
        now[0] = 59.0
        cached = await recent_ledger_check(hamyon, clock=lambda: now[0])
        now[0] = 60.0
        fresh = await recent_ledger_check(hamyon, clock=lambda: now[0])
    finally:
        await hamyon.close()
    assert cached is first and fresh is not first
    assert fresh.transfers == first.transfers + 1
