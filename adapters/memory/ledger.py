"""The ledger: append-only transfers and their entries, each posting written with its wallets.

Each entry is kept beside its transfer (a ``Line``), so a wallet's lines need no join; what is read
of the ledger is in ``adapters.memory.reports``.
"""

from __future__ import annotations

from attrs import frozen

from adapters.memory.session import Repository
from adapters.memory.wallets import save_wallet
from domain.ledger import Entry, Posting, Transfer
from domain.reports import WalletTransaction


@frozen
class Line:
    """One stored entry with the transfer it belongs to."""

    entry: Entry
    transfer: Transfer

    @property
    def is_credit(self) -> bool:
        return self.entry.amount > 0

    def transaction(self, refunded: int | None = None) -> WalletTransaction:
        amount, after = self.entry.amount, self.entry.balance_after
        after = after if after is not None else 0
        return WalletTransaction(
            self.transfer.id, "credit" if amount > 0 else "debit", abs(amount), after - amount, after,
            self.transfer.description, self.transfer.kind.value, self.transfer.reference,
            self.entry.created_at, refunded_amount=refunded,
        )


class MemoryLedgerRepository(Repository):
    async def record(self, posting: Posting) -> None:
        tables = await self._tables()
        tables.append("transfers", posting.transfer)
        tables.append("entries", *(Line(entry, posting.transfer) for entry in posting.entries))
        for wallet in posting.wallets:
            save_wallet(tables, wallet)
