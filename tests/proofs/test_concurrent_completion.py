"""One payment confirmed eight times at once by two server processes is credited once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from application.payments import CreatePayment
from domain.ledger import TransferKind
from domain.money import Currency, Money
from domain.payments import PaymentStatus
from tests.proofs.databases import facade
from tests.proofs.ledger import assert_balanced
from tests.proofs.processes import run_alike

PROCESSES, TASKS_EACH = 2, 4


@pytest.mark.slow
async def test_a_payment_completed_8_times_from_two_processes_is_credited_once(database):
    async with database() as db, facade(db, first=True) as (hamyon, storage):
        created = await hamyon.payments.create(CreatePayment("u1", "sandbox", Decimal(50_000)))
        payment = created.payment

        answers = await run_alike(db, PROCESSES, scenario="completions", external_id=payment.external_id,
                                  tasks=TASKS_EACH)

        credited = [flag for a in answers for flag in a["credited"]]
        assert len(credited) == PROCESSES * TASKS_EACH and credited.count(True) == 1
        assert (await hamyon.admin.payment(payment.id)).status is PaymentStatus.COMPLETED
        assert (await hamyon.wallets.get("u1")).balance == Money.of(50_000, Currency.UZS)
        async with storage.unit_of_work(write=False) as uow:
            transfers = await uow.reports.transfers_for(str(payment.id))
        assert [t.kind for t in transfers] == [TransferKind.TOPUP]
        await assert_balanced(hamyon)
