"""The ledger: append-only transfers and their entries, each posting written with its wallets.

A posting's rows are held back and go in with the unit's next statement (``adapters.postgres.
pending``): a charge's transfer, entries, wallet balance and usage travel as one statement. Entries
carry the wallet owner's user id (and a transfer the id of the user whose wallet it touches), the
key a distribution by user would use. What is read of the ledger is in ``adapters.postgres.reports``.
"""

from __future__ import annotations

from adapters.postgres.pending import ENTRIES, TRANSFERS
from adapters.postgres.session import Session
from adapters.sql.money_rows import entry_row, transfer_row, wallet_row
from adapters.sql.values import NATIVE
from domain.ledger import Posting


class PgLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def record(self, posting: Posting) -> None:
        await self._db.hold(TRANSFERS, [transfer_row(posting.transfer, NATIVE)])
        if posting.entries:
            await self._db.hold(ENTRIES, [entry_row(entry, NATIVE) for entry in posting.entries])
        for wallet in posting.wallets:
            await self._db.hold_wallet(wallet_row(wallet, NATIVE), wallet)
