"""Two server processes charging one wallet at once never overdraw it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.money import Currency, Money
from tests.proofs.databases import facade
from tests.proofs.processes import run_together

PROCESSES, TASKS_EACH = 2, 25  # 50 concurrent consultations of 50,000 UZS
AFFORDABLE = 10


@pytest.mark.slow
async def test_50_charges_from_two_processes_on_a_wallet_funded_for_10_exactly_10_succeed(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await hamyon.adjust_wallet("u1", Decimal(50_000 * AFFORDABLE), "UZS", "proof funding",
                                   actor="proof")

        answers = await run_together([
            {"scenario": "charges", "database": db.as_json(), "user": "u1", "service": "consultation",
             "tasks": TASKS_EACH} for _ in range(PROCESSES)])

        assert [a["errors"] for a in answers] == [[], []]
        assert sum(a["charged"] for a in answers) == AFFORDABLE
        assert sum(a["insufficient"] for a in answers) == PROCESSES * TASKS_EACH - AFFORDABLE
        assert (await hamyon.wallet("u1")).balance == Money.zero(Currency.UZS)
        debits = await hamyon.wallet_transactions("u1", type="debit")
        assert debits.total_count == AFFORDABLE
        report = await hamyon.verify_ledger()
        assert report.ok, report.violations
