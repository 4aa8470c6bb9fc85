"""Two server processes holding one wallet at once never reserve more than it holds, a hold
captured many times at once from both is captured once, and the refunds of one charge made at
once from both never add up to more than it (SPEC §13)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.billing import ChargeRequest
from application.holds import HoldRequest
from domain.holds import HoldStatus
from domain.money import Currency, Money
from tests.proofs.databases import facade
from tests.proofs.ledger import assert_balanced, fund
from tests.proofs.processes import run_alike

PROCESSES, TASKS_EACH = 2, 20  # 40 concurrent holds of 50,000 UZS
AFFORDABLE = 7


@pytest.mark.slow
async def test_40_holds_from_two_processes_on_a_wallet_funded_for_7_exactly_7_succeed(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 50_000 * AFFORDABLE)
        answers = await run_alike(db, PROCESSES, scenario="holds", user="u1", tasks=TASKS_EACH)
        assert sum(a["done"] for a in answers) == AFFORDABLE
        assert sum(a["insufficient"] for a in answers) == PROCESSES * TASKS_EACH - AFFORDABLE
        assert (await hamyon.wallets.get("u1")).balance == Money.zero(Currency.UZS)
        [held] = await hamyon.wallets.held([await hamyon.wallets.get("u1")])
        assert held == Money.of(Decimal(50_000 * AFFORDABLE), Currency.UZS)
        await assert_balanced(hamyon)


@pytest.mark.slow
async def test_one_hold_captured_16_times_from_two_processes_is_captured_once(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 50_000)
        hold = (await hamyon.holds.create(HoldRequest("u1", "consultation"))).hold
        answers = await run_alike(db, PROCESSES, scenario="holds", user="u1", hold=str(hold.id), tasks=8)
        assert sum(a["done"] for a in answers) == 1
        assert sum(a["not_active"] for a in answers) == 15
        found = await hamyon.holds.get("u1", hold.id)
        assert found.hold.status is HoldStatus.CAPTURED and found.held_balance == Money.zero(Currency.UZS)
        await assert_balanced(hamyon)


@pytest.mark.slow
async def test_16_refunds_of_one_charge_from_two_processes_never_give_back_more_than_it(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 50_000)
        charged = await hamyon.billing.charge(ChargeRequest("u1", "consultation", 1))
        answers = await run_alike(db, PROCESSES, scenario="refunds", charge=str(charged.transaction_id),
                                  amount="10000", tasks=8)
        assert sum(a["refunded"] for a in answers) == 5 and sum(a["refused"] for a in answers) == 11
        assert (await hamyon.wallets.get("u1")).balance == Money.of(Decimal(50_000), Currency.UZS)
        await assert_balanced(hamyon)
