"""Two server processes charging one wallet at once never overdraw it, nor give more free views than
the quotas allow."""

from __future__ import annotations

import pytest

from domain.money import Currency, Money
from tests.proofs.databases import facade
from tests.proofs.ledger import assert_balanced, fund
from tests.proofs.processes import run_alike, run_together

PROCESSES, TASKS_EACH = 2, 25  # 50 concurrent consultations of 50,000 UZS
AFFORDABLE = 10


@pytest.mark.slow
async def test_50_charges_from_two_processes_on_a_wallet_funded_for_10_exactly_10_succeed(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 50_000 * AFFORDABLE)

        answers = await run_alike(db, PROCESSES, scenario="charges", user="u1", service="consultation",
                                  tasks=TASKS_EACH)

        assert sum(a["charged"] for a in answers) == AFFORDABLE
        assert sum(a["insufficient"] for a in answers) == PROCESSES * TASKS_EACH - AFFORDABLE
        assert (await hamyon.wallets.get("u1")).balance == Money.zero(Currency.UZS)
        debits = await hamyon.wallets.transactions("u1", type="debit")
        assert debits.total_count == AFFORDABLE
        await assert_balanced(hamyon)


@pytest.mark.slow
async def test_40_views_of_distinct_doctors_from_two_processes_get_exactly_the_free_quota(database):
    # A new user: 3 free views a day, then free views while under 5 ever; the 35 others are paid.
    # A free view changes no balance: only the wallet's lock keeps two of them from both being free.
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 1_000_000)
        settings = await hamyon.admin.settings()
        free = settings.free_views_for_new_users
        assert settings.free_views_per_day < free

        answers = await run_together([  # each process views doctors of its own
            {"scenario": "charges", "database": db.as_json(), "user": "u1", "service": "doctor_view",
             "related_prefix": f"doctor-{process}", "tasks": 20} for process in range(PROCESSES)])

        assert [a["errors"] for a in answers] == [[], []]
        assert sum(a["free"] for a in answers) == free
        assert sum(a["charged"] for a in answers) == PROCESSES * 20 - free
        await assert_balanced(hamyon)
