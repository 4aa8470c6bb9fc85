"""Property (SPEC §13): whatever sequence of holds, captures, releases, expiries, charges, refunds
of charges, top-ups and clock moves a wallet goes through, its spendable and held amounts equal a
plain model's, no wallet is ever negative, the refunds of a charge never pass it, and ``verify``
finds nothing wrong after every step.

The model writes an expiry down exactly when Hamyon does: on a step or a read of that hold, or the
sweep. Until then an overdue hold still counts as held (the answer says so, ``held_balance``).
Runs the real use cases on the memory adapter with the sandbox gateway and a manual clock.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from attrs import define, field
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from adapters.clock import ManualClock
from adapters.gateways.sandbox import SandboxGateway
from adapters.memory import MemoryStorage
from application.billing import ChargeRequest
from application.hamyon import Hamyon
from application.holds import HoldRequest
from application.payments import CreatePayment
from domain.billing import DOCTOR_VIEW, default_rules
from domain.errors import (
    BalanceLimitExceeded,
    DomainError,
    HoldExpired,
    HoldNotActive,
    InsufficientFunds,
    RefundExceedsCharge,
    ValidationError,
)
from domain.ledger import Account
from domain.money import Currency, Money
from entrypoints.bootstrap import bootstrap
from tests.properties.simulation import attempt

UZS = Currency.UZS
USERS = ("u1", "u2")
# Services with no free quota: their price is the rule's total, refused only for want of money.
RULES = {rule.service_type: rule for rule in default_rules() if rule.service_type != DOCTOR_VIEW}
MAX_BALANCE = 1_000_000_00  # the default settings, in tiyin
DEADLOCK = 60


@define
class HoldModel:
    id: UUID
    user: str
    amount: int
    expires_at: datetime
    status: str = "active"


@define
class ChargeModel:
    id: UUID
    user: str
    service: str
    amount: int
    refunded: int = 0


@define
class Model:
    balances: dict[str, int] = field(factory=lambda: dict.fromkeys(USERS, 0))
    holds: list[HoldModel] = field(factory=list)
    charges: list[ChargeModel] = field(factory=list)

    def held(self, user: str) -> int:
        return sum(h.amount for h in self.holds if h.user == user and h.status == "active")

    def move(self, user: str, minor: int) -> None:
        self.balances[user] += minor
        assert self.balances[user] >= 0, "the model itself overdrew a wallet"

    def expire(self, hold: HoldModel, now: datetime) -> bool:
        """What Hamyon writes down when it meets an overdue active hold: expired, money back."""
        if hold.status == "active" and now >= hold.expires_at:
            hold.status = "expired"
            self.move(hold.user, hold.amount)
            return True
        return False

    def revenue(self) -> dict[Account, int]:
        sums: dict[Account, int] = {}
        for charge in self.charges:
            account = Account.revenue(charge.service, UZS)
            sums[account] = sums.get(account, 0) + charge.amount - charge.refunded
        return sums


def part(whole: int, share: int) -> int | None:
    """``share`` tenths of ``whole`` (None: all of it; 11 tenths: more than there is)."""
    return None if share == 0 else max(1, whole * share // 10)


def in_uzs(minor: int | None) -> Decimal | None:
    """Tiyin as the use cases take an amount: in sums (None stays None: all of it, or the price)."""
    return None if minor is None else Money(minor, UZS).amount


class Run:
    def __init__(self, hamyon: Hamyon, storage: MemoryStorage, clock: ManualClock) -> None:
        self.hamyon, self.storage, self.clock = hamyon, storage, clock
        self.model = Model()

    async def topup(self, index: int, minor: int) -> None:
        who = USERS[index]
        created, refusal = await attempt(self.hamyon.payments.create(
            CreatePayment(who, "sandbox", Money(minor, UZS).amount)))
        if self.model.balances[who] + minor > MAX_BALANCE:
            assert isinstance(refusal, BalanceLimitExceeded), refusal
            return
        assert refusal is None, refusal
        await self.hamyon.settlement.complete_attempt("sandbox", created.payment.external_id)
        self.model.move(who, minor)

    async def hold(self, index: int, service: str, quantity: int, minor: int | None,
                   expires_in: int) -> None:
        who, rule = USERS[index], RULES[service]
        amount = rule.total(quantity).minor if minor is None else minor
        result, refusal = await attempt(self.hamyon.holds.create(HoldRequest(
            who, service, quantity, in_uzs(minor), expires_in=expires_in)))
        if self.model.balances[who] < amount:
            assert isinstance(refusal, InsufficientFunds), refusal
            return
        assert refusal is None, refusal
        assert result.hold.amount == Money(amount, UZS)
        self.model.holds.append(HoldModel(result.hold.id, who, amount, result.hold.expires_at))
        self.model.move(who, -amount)

    async def capture(self, pick: int, share: int) -> None:
        hold = self.pick(self.model.holds, pick)
        if hold is None:
            return
        taken = part(hold.amount, share)
        result, refusal = await attempt(self.hamyon.holds.capture(hold.user, hold.id, in_uzs(taken)))
        if await self.refused_step(hold, refusal):
            return
        if taken is not None and taken > hold.amount:
            assert isinstance(refusal, ValidationError), refusal
            return
        assert refusal is None, refusal
        captured = hold.amount if taken is None else taken
        hold.status = "captured"
        self.model.move(hold.user, hold.amount - captured)
        charge_id = result.hold.transaction_id
        self.model.charges.append(ChargeModel(charge_id, hold.user, result.hold.service_type,
                                              captured))
        event("capture: all" if taken is None else "capture: part")

    async def release(self, pick: int) -> None:
        hold = self.pick(self.model.holds, pick)
        if hold is None:
            return
        _, refusal = await attempt(self.hamyon.holds.release(hold.user, hold.id))
        if await self.refused_step(hold, refusal):
            return
        assert refusal is None, refusal
        hold.status = "released"
        self.model.move(hold.user, hold.amount)

    async def read(self, pick: int) -> None:
        hold = self.pick(self.model.holds, pick)
        if hold is None:
            return
        self.model.expire(hold, self.clock.now())
        found = await self.hamyon.holds.get(hold.user, hold.id)
        assert found.hold.status.value == hold.status

    async def refused_step(self, hold: HoldModel, refusal: DomainError | None) -> bool:
        """A step on an overdue hold writes the expiry down and refuses; one on a settled hold
        refuses. True when the step was (rightly) refused."""
        if self.model.expire(hold, self.clock.now()) or hold.status == "expired":
            assert isinstance(refusal, HoldExpired), refusal
            return True
        if hold.status != "active":
            assert isinstance(refusal, HoldNotActive), refusal
            return True
        return False

    async def charge(self, index: int, service: str, quantity: int) -> None:
        who = USERS[index]
        amount = RULES[service].total(quantity).minor
        result, refusal = await attempt(self.hamyon.billing.charge(ChargeRequest(who, service, quantity)))
        if self.model.balances[who] < amount:  # refused on the balance: overdue holds are expired
            self.expire_users_holds(who)       # and the charge decided again
        if self.model.balances[who] < amount:
            assert isinstance(refusal, InsufficientFunds), refusal
            return
        assert refusal is None, refusal
        assert result.amount_charged == Money(amount, UZS)
        self.model.move(who, -amount)
        self.model.charges.append(ChargeModel(result.transaction_id, who, service, amount))

    async def refund(self, pick: int, share: int) -> None:
        charge = self.pick(self.model.charges, pick)
        if charge is None:
            return
        wanted = part(charge.amount, share)
        result, refusal = await attempt(self.hamyon.charge_refunds.refund(
            charge.id, in_uzs(wanted), "property", actor="admin"))
        left = charge.amount - charge.refunded
        wanted = left if wanted is None else wanted
        if left == 0 or wanted > left:
            assert isinstance(refusal, RefundExceedsCharge), refusal
            return
        assert refusal is None, refusal
        charge.refunded += wanted
        assert result.refunded == Money(charge.refunded, UZS)
        self.model.move(charge.user, wanted)

    async def advance(self, minutes: int) -> None:
        self.clock.advance(minutes=minutes)

    async def sweep(self) -> None:
        now = self.clock.now()
        expected = sum(self.model.expire(hold, now) for hold in self.model.holds)
        assert await self.hamyon.holds.expire_due() == expected

    def expire_users_holds(self, who: str) -> int:
        """What reading the user's wallet (or a charge refused on the balance) writes down first."""
        return sum(self.model.expire(hold, self.clock.now()) for hold in self.model.holds if hold.user == who)

    @staticmethod
    def pick(items: list, index: int):
        return items[index % len(items)] if items else None

    async def check(self) -> None:
        report = await self.hamyon.admin.verify_ledger()
        assert report.ok, report.violations
        for who in USERS:
            info = await self.hamyon.wallets.overview(who)
            self.expire_users_holds(who)
            assert info.wallet.balance == Money(self.model.balances[who], UZS)
            assert info.held == Money(self.model.held(who), UZS)
        async with self.storage.unit_of_work(write=False) as uow:
            sums = await uow.reports.entry_sums()
        assert sums.get(Account.holds(UZS), 0) == sum(self.model.held(who) for who in USERS)
        for account, total in self.model.revenue().items():
            assert sums.get(account, 0) == total, account.code
        for who in USERS:
            assert sums.get(Account.wallet(who, UZS), 0) == self.model.balances[who] >= 0


user = st.integers(0, len(USERS) - 1)
pick = st.integers(0, 10_000)
service = st.sampled_from(sorted(RULES))
quantity = st.sampled_from([1, 1, 2, 5, 10])
share = st.sampled_from([0, 0, 3, 10, 11])  # all, a part, exactly all, more than all
operations = st.one_of(
    st.tuples(st.just("topup"), user, st.integers(10_000_00, 400_000_00)),
    st.tuples(st.just("topup"), user, st.integers(10_000_00, 400_000_00)),
    st.tuples(st.just("hold"), user, service, quantity,
              st.one_of(st.none(), st.integers(1, 120_000_00)), st.sampled_from([60, 600, 3_600])),
    st.tuples(st.just("hold"), user, service, quantity, st.none(), st.just(60)),
    st.tuples(st.just("capture"), pick, share),
    st.tuples(st.just("capture"), pick, share),
    st.tuples(st.just("release"), pick),
    st.tuples(st.just("read"), pick),
    st.tuples(st.just("charge"), user, service, quantity),
    st.tuples(st.just("refund"), pick, share),
    st.tuples(st.just("refund"), pick, share),
    st.tuples(st.just("advance"), st.sampled_from([1, 5, 11, 61])),
    st.tuples(st.just("sweep")),
)


async def run(steps: list[tuple]) -> None:
    clock = ManualClock()
    storage = MemoryStorage()
    hamyon = await bootstrap("memory://", storage=storage, clock=clock, gateways=[SandboxGateway()],
                             active_gateways={"sandbox"})
    try:
        checker = Run(hamyon, storage, clock)
        for index in range(len(USERS)):  # a start to spend from; more top-ups come among the steps
            await checker.topup(index, 500_000_00)
        for name, *arguments in steps:
            await getattr(checker, name)(*arguments)
            await checker.check()
    finally:
        await hamyon.close()


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(operations, min_size=10, max_size=50))
def test_holds_charges_and_refunds_keep_balance_and_held_amounts_equal_to_the_model(steps) -> None:
    note(f"steps={steps!r}")
    asyncio.run(asyncio.wait_for(run(steps), timeout=DEADLOCK))

