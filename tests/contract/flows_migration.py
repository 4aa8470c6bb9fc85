"""What the ``wallet_flows`` migration (SQLite 10, Postgres 11) must count: a ledger recorded
before it, with a capture of the earlier form (the revenue charged from the holds account, part
of the amount given back), then a charge recorded after it (by its trigger)."""

from __future__ import annotations

import attrs

from domain.holds import HoldStatus
from domain.ledger import Account, TransferKind
from domain.money import Money
from domain.reports import WalletFlows
from ports.storage import Storage
from tests.contract.builders import UZS, charge, hold, topup, transfer
from tests.contract.seeding import seed

SQLITE_VERSION, POSTGRES_VERSION = 10, 11
WALLET, HOLDS = Account.wallet("u1", UZS), Account.holds(UZS)


async def record_before(storage: Storage) -> None:
    """+1,000; a charge of 50; a hold of 100 captured at 30 the earlier way: 70 back."""
    old_form = hold("u1", 100)
    old_charge = transfer(HOLDS, Account.revenue("consultation", UZS), 30, reference=f"hold:{old_form.id}")
    await seed(storage, attrs.evolve(old_form, status=HoldStatus.CAPTURED, captured_amount=Money(30, UZS),
                                     transaction_id=old_charge.id),
               topup("u1", 1_000), charge("u1", 50),
               transfer(WALLET, HOLDS, 100, kind=TransferKind.HOLD, reference=f"hold:{old_form.id}"),
               old_charge,
               transfer(HOLDS, WALLET, 70, kind=TransferKind.RELEASE, reference=f"hold:{old_form.id}"))


async def check_after(storage: Storage) -> None:
    await seed(storage, charge("u1", 20))
    async with storage.unit_of_work(write=False) as uow:
        # in 1,000; out 50 + 30 (the earlier capture) + 20; 900 left, nothing held
        assert await uow.reports.wallet_flows(WALLET) == WalletFlows(money_in=1_000, money_out=100)
        assert [(kept, counted) for _, kept, counted in await uow.reports.wallet_flows_recounted()] \
            == [(WalletFlows(1_000, 100), WalletFlows(1_000, 100))]
        assert (await uow.wallets.get("u1", UZS)).balance.minor == 900
