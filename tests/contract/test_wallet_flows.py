"""Money into and out of a wallet (``wallet_flows``), alike on every backend: every line of the
wallet but a hold's own, read without adding up the lines (the SQL storages keep it on the
wallet's row as each transfer is recorded), and the recount ``hamyon verify`` compares it with."""

from __future__ import annotations

from domain.ledger import Account, TransferKind
from domain.money import Currency
from domain.reports import WalletFlows
from tests.contract.builders import UZS, charge, record_transfer, topup, transfer
from tests.contract.seeding import seed

WALLET, HOLDS = Account.wallet("u1", UZS), Account.holds(UZS)
REVENUE = Account.revenue("consultation", UZS)


async def test_a_wallets_flows_leave_out_its_holds_own_lines(storage):
    async with storage() as s:
        await seed(
            s, topup("u1", 1_000), topup("u2", 5_000, reference="PAY-2"),
            transfer(WALLET, HOLDS, 100, kind=TransferKind.HOLD, reference="hold:a"),  # still active
            transfer(WALLET, HOLDS, 200, kind=TransferKind.HOLD, reference="hold:b"),  # captured at 60:
            transfer(HOLDS, WALLET, 200, kind=TransferKind.RELEASE, reference="hold:b"),  # all back,
            transfer(WALLET, REVENUE, 60, reference="hold:b"),  # then charged
            charge("u1", 50),
            transfer(REVENUE, WALLET, 20, kind=TransferKind.REFUND, reference="refund:x"),
            transfer(WALLET, Account.adjustments(UZS), 10, kind=TransferKind.ADJUSTMENT))
        async with s.unit_of_work(write=False) as uow:
            flows = await uow.reports.wallet_flows(WALLET)
            assert flows == WalletFlows(money_in=1_020, money_out=120)
            balance = (await uow.wallets.get("u1", UZS)).balance.minor
            assert flows.money_in - flows.money_out == balance + 100  # + what the active hold keeps
            assert await uow.reports.wallet_flows(Account.wallet("u2", UZS)) == WalletFlows(5_000, 0)
            assert await uow.reports.wallet_flows(Account.wallet("nobody", UZS)) == WalletFlows()
            assert await uow.reports.wallet_flows(Account.wallet("u1", Currency.USD)) == WalletFlows()
            recounted = await uow.reports.wallet_flows_recounted()
        assert {account: (kept, counted) for account, kept, counted in recounted} == {
            WALLET: (flows, flows), Account.wallet("u2", UZS): (WalletFlows(5_000, 0),) * 2}


async def test_a_rolled_back_unit_leaves_the_flows_as_they_were(storage):
    async with storage() as s:
        await seed(s, topup("u1", 1_000))
        async with s.unit_of_work() as uow:
            await record_transfer(uow, charge("u1", 300))
            await uow.rollback()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.reports.wallet_flows(WALLET) == WalletFlows(1_000, 0)
