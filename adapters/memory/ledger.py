"""The ledger: append-only transfers and their entries, and the reads built on them.

Each entry is kept beside its transfer, so a wallet's lines need no join. A wallet's lines are its
entries newest first, ties broken by insertion order (newest first).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime

from attrs import frozen

from adapters.memory.session import Repository
from domain.ledger import Account, Entry, Transfer
from domain.records import Page, PageRequest, WalletTotals, WalletTransaction


@frozen
class Line:
    """One stored entry with the transfer it belongs to."""

    entry: Entry
    transfer: Transfer

    def transaction(self) -> WalletTransaction:
        amount, after = self.entry.amount, self.entry.balance_after
        after = after if after is not None else 0
        return WalletTransaction(
            self.transfer.id, "credit" if amount > 0 else "debit", abs(amount), after - amount, after,
            self.transfer.description, self.transfer.kind.value, self.transfer.reference,
            self.entry.created_at,
        )


def _is_credit(line: Line) -> bool:
    return line.entry.amount > 0


class MemoryLedgerRepository(Repository):
    async def append(self, transfer: Transfer, entries: Sequence[Entry]) -> None:
        tables = await self._tables()
        tables.append("transfers", transfer)
        tables.append("entries", *(Line(entry, transfer) for entry in entries))

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        lines = [line for line in await self._wallet_lines(account, since)
                 if type is None or ("credit" if _is_credit(line) else "debit") == type]
        newest_first = [line for _, line in sorted(
            enumerate(lines), key=lambda pair: (pair[1].entry.created_at, pair[0]), reverse=True
        )]
        chosen = newest_first[page.offset: page.offset + page.per_page]
        return Page(tuple(line.transaction() for line in chosen), len(lines), page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        lines = await self._wallet_lines(account, since)
        credits = [line.entry.amount for line in lines if _is_credit(line)]
        debits = [line.entry.amount for line in lines if not _is_credit(line)]
        return WalletTotals(sum(credits), -sum(debits), len(credits), len(debits))

    async def transfers_for(self, reference: str) -> list[Transfer]:
        return (await self._tables()).filed("transfers", reference)

    async def entry_sums(self) -> dict[Account, int]:
        sums: dict[Account, int] = defaultdict(int)
        for line in (await self._tables()).log("entries"):
            sums[line.entry.account] += line.entry.amount
        return dict(sums)

    async def transfer_count(self) -> int:
        return (await self._tables()).count("transfers")

    async def unbalanced_transfers(self) -> int:
        tables = await self._tables()
        counts: Counter[object] = Counter()
        sums: dict[object, int] = defaultdict(int)
        for line in tables.log("entries"):
            counts[line.entry.transfer_id] += 1
            sums[line.entry.transfer_id] += line.entry.amount
        return sum(1 for transfer in tables.log("transfers")
                   if counts[transfer.id] != 2 or sums[transfer.id] != 0)

    async def _wallet_lines(self, account: Account, since: datetime | None) -> list[Line]:
        return [line for line in (await self._tables()).filed("entries", account)
                if since is None or line.entry.created_at >= since]
