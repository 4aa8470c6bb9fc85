"""The admin console's storage, alike on every backend: a sign-in link opens once and only within
its time, and the dashboard's per-day, per-service and per-gateway figures are added up right."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from domain.console import LINK_TTL, ConsoleLink, DailyTotal, GatewayOutcomes, ServiceRevenue, link_hash
from domain.ledger import Account, TransferKind
from domain.payments import PaymentStatus
from tests.contract.builders import NOW, UZS, charge, minutes, payment, record_transfer, topup, transfer
from tests.contract.seeding import seed

TASHKENT = 5 * 3600


def link(token: str = "tok", *, created=NOW) -> ConsoleLink:
    return ConsoleLink(link_hash(token), "admin-1", created, created + LINK_TTL)


async def redeem(s, token: str, at) -> ConsoleLink | None:
    async with s.unit_of_work() as uow:
        found = await uow.console_links.redeem(link_hash(token), at)
        await uow.commit()
        return found


async def test_a_link_is_redeemed_once_and_never_after_it_expires(storage):
    async with storage() as s:
        await seed(s, link("once"), link("late"))
        used = await redeem(s, "once", minutes(1))
        assert used is not None and used.admin_id == "admin-1" and used.used_at == minutes(1)
        assert await redeem(s, "once", minutes(2)) is None
        assert await redeem(s, "late", NOW + LINK_TTL) is None
        assert await redeem(s, "unknown", minutes(1)) is None


async def test_of_two_units_redeeming_one_link_one_gets_it(storage):
    async with storage() as s:
        await seed(s, link("race"))
        results = await asyncio.gather(redeem(s, "race", minutes(1)), redeem(s, "race", minutes(1)))
        assert sum(result is not None for result in results) == 1


async def test_a_redeemed_link_is_not_lost_when_its_unit_rolls_back(storage):
    async with storage() as s:
        await seed(s, link("kept"))
        async with s.unit_of_work() as uow:
            assert await uow.console_links.redeem(link_hash("kept"), minutes(1)) is not None
        assert await redeem(s, "kept", minutes(2)) is not None


async def test_daily_totals_count_topups_into_wallets_and_charges_by_local_day(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 9_000))
            await record_transfer(uow, topup("u2", 1_000, created_at=NOW + timedelta(hours=10)))
            await record_transfer(uow, transfer(Account.clearing("click", UZS), Account.commission(UZS), 90,
                                                kind=TransferKind.TOPUP))  # a commission: not a top-up
            await record_transfer(uow, charge("u1", 2_500))
            await record_transfer(uow, charge("u1", 500, created_at=NOW - timedelta(days=2)))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            totals = await uow.reports.daily_totals(NOW - timedelta(days=1), TASHKENT)
        assert totals == [DailyTotal(date(2026, 3, 1), "charge", UZS, 1, 2_500),
                          DailyTotal(date(2026, 3, 1), "topup", UZS, 1, 9_000),
                          DailyTotal(date(2026, 3, 2), "topup", UZS, 1, 1_000)]


async def test_service_revenue_adds_up_each_service_s_charges(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await record_transfer(uow, topup("u1", 9_000))
            await record_transfer(uow, topup("u2", 9_000))
            await record_transfer(uow, charge("u1", 2_500))
            await record_transfer(uow, charge("u2", 1_500))
            await record_transfer(uow, transfer(Account.wallet("u1", UZS), Account.revenue("ai_chat", UZS),
                                                700))
            await record_transfer(uow, charge("u1", 900, created_at=NOW - timedelta(days=3)))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            revenue = await uow.reports.service_revenue(NOW - timedelta(days=1))
        assert revenue == [ServiceRevenue("ai_chat", UZS, 1, 700),
                           ServiceRevenue("doctor_view", UZS, 2, 4_000)]


async def test_gateway_outcomes_count_payments_by_gateway_and_status(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            for made in (payment(status=PaymentStatus.COMPLETED), payment(status=PaymentStatus.COMPLETED),
                         payment(status=PaymentStatus.FAILED), payment(gateway="payme"),
                         payment(created_at=NOW - timedelta(days=5))):
                await uow.payments.add(made)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            outcomes = await uow.reports.gateway_outcomes(NOW - timedelta(days=1))
        assert outcomes == [GatewayOutcomes("click", {"completed": 2, "failed": 1}),
                            GatewayOutcomes("payme", {"pending": 1})]
        assert outcomes[0].success_rate == 2 / 3 and outcomes[1].success_rate is None


async def sign_out(s, session_hash: str, until, at) -> None:
    async with s.unit_of_work() as uow:
        await uow.console_links.sign_out(session_hash, until, at)
        await uow.commit()


async def signed_out(s, session_hash: str) -> bool:
    async with s.unit_of_work(write=False) as uow:
        return await uow.console_links.signed_out(session_hash)


async def test_a_signed_out_session_is_remembered_until_it_would_have_expired(storage):
    async with storage() as s:
        await sign_out(s, "gone", minutes(60), minutes(1))
        await sign_out(s, "gone", minutes(60), minutes(2))  # signed out twice: no conflict
        assert await signed_out(s, "gone") and not await signed_out(s, "other")
        await sign_out(s, "later", minutes(120), minutes(61))  # past the first's time: it is forgotten
        assert not await signed_out(s, "gone") and await signed_out(s, "later")


async def test_a_sign_out_whose_unit_rolls_back_is_not_kept(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await uow.console_links.sign_out("undone", minutes(60), minutes(1))
        assert not await signed_out(s, "undone")
