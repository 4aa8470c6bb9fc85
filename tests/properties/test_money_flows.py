"""Property: whatever sequence of top-ups, completions (repeated, even concurrently), cancellations,
refunds, charges, admin adjustments and clock moves Hamyon goes through, the ledger stays
balanced, every wallet equals its entries and the model's balance, no wallet is ever negative, and
a repeated completion never credits twice.

Runs the real use cases on the memory adapter with the sandbox gateway and a manual clock.
"""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from adapters.memory import MemoryStorage
from domain.money import Currency
from entrypoints.bootstrap import bootstrap
from tests.properties.simulation import COMMISSION, FULLY_DISCOUNTED, RULES, USERS, Simulation

UZS, IRR = Currency.UZS, Currency.IRR
DOCTORS = ("", "d1", "d2", "d3", "d4", "d5", "d6", "d7")
DEADLOCK = 60  # seconds: an example takes milliseconds, so only a deadlock gets anywhere near this

user = st.integers(0, len(USERS) - 1)
pick = st.integers(0, 10_000)  # an index into what exists, taken modulo its length


def signed(top: int) -> st.SearchStrategy[int]:
    return st.tuples(st.integers(1, top), st.booleans()).map(lambda pair: -pair[0] if pair[1] else pair[0])


# A top-up may be completed right away (0 = left open), that many times at once.
topups = st.tuples(st.just("topup"), user, st.integers(9_000_00, 900_000_00),
                   st.sampled_from([0, 1, 1, 2, 3]))
completions = st.tuples(st.just("complete"), pick, st.integers(1, 4))
quantities = st.sampled_from([1, 1, 1, 2, 4, 5, 9, 10, 12])  # around the discount thresholds
services = st.sampled_from(sorted(RULES))
charges = st.tuples(st.just("charge"), user, services, quantities,
                    st.sampled_from(DOCTORS))
# A user browsing doctors' profiles: doctor views one after the other (quotas, repeats, new users).
browsing = st.tuples(st.just("browse"), user, st.lists(st.sampled_from(DOCTORS), min_size=1, max_size=8))
operations = st.one_of(
    topups, topups, completions, completions, charges, charges, browsing,
    st.tuples(st.just("cancel_attempt"), pick),
    st.tuples(st.just("reopen"), pick),
    st.tuples(st.just("cancel_payment"), pick),
    st.tuples(st.just("refund"), pick),
    st.tuples(st.just("adjust"), user, st.just(UZS), signed(300_000_00)),
    st.tuples(st.just("adjust"), user, st.just(IRR), signed(50_000)),
    st.tuples(st.just("advance"), st.sampled_from([1, 10, 29, 31, 120, 60 * 9, 60 * 24, 60 * 24 * 3])),
    st.tuples(st.just("sweep")),
    st.tuples(st.just("block"), user, st.booleans()),
)


async def run(steps: list[tuple], commission: bool) -> None:
    clock = ManualClock()
    storage = MemoryStorage()
    hamyon = await bootstrap("memory://", storage=storage, clock=clock, gateways=[SandboxGateway()],
                             active_gateways={"sandbox"})
    try:
        if commission:
            await hamyon.admin.update_gateway("sandbox", COMMISSION, actor="admin")
        for rule in FULLY_DISCOUNTED:
            await hamyon.admin.save_rule(rule.service_type, {
                "price": rule.price.amount, "discount_percentage": rule.discount_percentage,
                "min_quantity_for_discount": rule.min_quantity_for_discount}, actor="admin",
                create=True)
        for who in USERS:  # every user's wallet springs into being now: "new user" counts from here
            assert (await hamyon.wallets.get(who)).created_at == clock.now()
        checker = Simulation(hamyon, storage, clock, commission)
        for name, *arguments in steps:
            checker.model.expire_due(clock.now())
            await getattr(checker, name)(*arguments)
            checker.model.expire_due(clock.now())
            await checker.check_states()
            await checker.check_ledger()
    finally:
        await hamyon.close()


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(operations, min_size=15, max_size=60), st.booleans())
def test_any_sequence_keeps_the_ledger_balanced_and_matches_the_model(steps, commission) -> None:
    note(f"steps={steps!r} commission={commission}")
    asyncio.run(asyncio.wait_for(run(steps, commission), timeout=DEADLOCK))
