"""One idempotency key sent at once by tasks of two server processes: one effect, one answer."""

from __future__ import annotations

import json

import pytest

from domain.money import Currency, Money
from tests.proofs.databases import facade
from tests.proofs.ledger import assert_balanced, fund
from tests.proofs.processes import run_alike

PROCESSES, TASKS_EACH = 2, 4


@pytest.mark.slow
async def test_one_key_sent_concurrently_from_two_processes_charges_once_and_answers_alike(database):
    async with database() as db, facade(db, first=True) as (hamyon, _):
        await fund(hamyon, "u1", 200_000)

        answers = await run_alike(db, PROCESSES, scenario="idempotent", user="u1", key="proof-key",
                                  tasks=TASKS_EACH)

        replies = [reply for a in answers for reply in a["answers"]]
        assert len(replies) == PROCESSES * TASKS_EACH
        assert {(status, body) for status, body, _ in replies} == {(replies[0][0], replies[0][1])}
        assert [replayed for *_, replayed in replies].count(False) == 1  # the one that ran it
        stored = json.loads(replies[0][1])
        assert stored["balance_after"] == Money.of(150_000, Currency.UZS).minor
        assert (await hamyon.wallets.get("u1")).balance == Money.of(150_000, Currency.UZS)
        debits = await hamyon.wallets.transactions("u1", type="debit")
        assert [str(line.id) for line in debits.items] == [stored["transaction_id"]]
        await assert_balanced(hamyon)
