"""A wallet a Postgres unit has locked (or watched) already is answered by the unit the next time
it is locked, without a round trip, as the unit left it: a batch of one hot wallet's charges
(``application.lanes``) reads the wallet once. What the commit writes is unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.ledger import Account, Transfer, TransferKind, post
from domain.money import Currency, Money

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


def counting(session) -> list[str]:
    """Every statement the session sends from now on (both of its ways of sending one)."""
    sent: list[str] = []
    run, alone = session._run, session.run_alone

    async def in_unit(method, sql, args):
        sent.append(sql)
        return await run(method, sql, args)

    async def on_its_own(method, sql, *args):
        sent.append(sql)
        return await alone(method, sql, *args)

    session._run, session.run_alone = in_unit, on_its_own
    return sent


def debit(wallet, minor: int) -> Transfer:
    return Transfer(uuid4(), wallet.account, Account.revenue("consultation", Currency.UZS),
                    Money(minor, Currency.UZS), TransferKind.CHARGE, "a charge", "consultation:",
                    NOW)


@pytest.mark.parametrize("retried", [False, True], ids=["locked", "watched"])
async def test_a_second_lock_of_a_wallet_in_one_unit_costs_no_round_trip_and_sees_the_units_change(
        open_storage, retried):
    async with open_storage() as storage:
        await charge_twice(storage, retried)


async def charge_twice(pg_storage, retried: bool) -> None:
    async with pg_storage.unit_of_work() as uow:
        wallet = await uow.wallets.lock("hot", Currency.UZS, NOW)
        wallet.balance = Money(100_000, Currency.UZS)
        await uow.wallets.save(wallet)
        await uow.commit()

    async with pg_storage.unit_of_work(retried=retried) as uow:
        first = await uow.wallets.lock("hot", Currency.UZS, NOW)
        await uow.ledger.record(post(debit(first, 30_000), {first.account: first}))
        sent = counting(uow.session)
        again = await uow.wallets.lock("hot", Currency.UZS, NOW)
        assert sent == [] and again.balance == Money(70_000, Currency.UZS)
        again.balance = Money(1, Currency.UZS)  # a copy: what the unit knows is not changed by it
        third = await uow.wallets.lock("hot", Currency.UZS, NOW)
        assert third.balance.minor == 70_000
        await uow.ledger.record(post(debit(third, 20_000), {third.account: third}))
        await uow.commit()

    async with pg_storage.unit_of_work(write=False) as uow:
        assert (await uow.wallets.get("hot", Currency.UZS)).balance == Money(50_000, Currency.UZS)
