"""The ledger: append-only transfers and their entries, each posting written with its wallets.

Entries carry the wallet owner's user id (and a transfer the id of the user whose wallet it touches),
as on Postgres. The rows wait for the unit's next read or its commit (``Session.hold``); what is
read of the ledger is in ``adapters.sqlite.reports``.
"""

from __future__ import annotations

from adapters.sql.money_rows import (
    ENTRY_COLUMNS,
    TRANSFER_COLUMNS,
    WALLET_COLUMNS,
    entry_row,
    transfer_row,
    wallet_row,
)
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED
from domain.ledger import Posting

_TRANSFER = f"INSERT INTO transfers ({TRANSFER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
_ENTRY = f"INSERT INTO entries ({ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
# The wallet was locked (and so created) in this unit: only its balance and block change.
SAVE_WALLET = f"INSERT INTO wallets ({WALLET_COLUMNS}) VALUES (?, ?, ?, ?, ?) " \
              "ON CONFLICT (user_id, currency) DO UPDATE SET balance = excluded.balance, " \
              "is_blocked = excluded.is_blocked"


class SqliteLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def record(self, posting: Posting) -> None:
        await self._db.hold(_TRANSFER, transfer_row(posting.transfer, STORED))
        await self._db.hold(_ENTRY, [entry_row(entry, STORED) for entry in posting.entries], many=True)
        for wallet in posting.wallets:
            await self._db.hold(SAVE_WALLET, wallet_row(wallet, STORED))
