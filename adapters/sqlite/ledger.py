"""The ledger: append-only transfers and their entries, and the reads built on them.

Entries carry the wallet owner's user id (and a transfer the id of the user whose wallet it touches),
as on Postgres. A wallet's lines are its entries, newest first, ties in insertion order (``seq``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from adapters.sqlite.session import Session
from adapters.sqlite.values import optional_time_text, time_from, time_text, uuid_from, uuid_text
from domain.ledger import Account, AccountKind, Entry, Transfer, TransferKind
from domain.money import Currency, Money
from domain.records import Page, PageRequest, WalletTotals, WalletTransaction

_TRANSFER_COLUMNS = "id, user_id, debit_account, credit_account, amount, currency, kind, description, " \
                    "reference, created_at"
_ENTRY_COLUMNS = "transfer_id, user_id, account, currency, amount, balance_after, created_at"
# Named parameters: :account, :since (or NULL), :type ('credit' | 'debit' or NULL).
_WALLET_ENTRIES = """
e.account = :account AND (:since IS NULL OR e.created_at >= :since)
AND (:type IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = :type)
"""
_TRANSACTIONS = f"""
SELECT e.transfer_id, e.amount, e.balance_after, e.created_at, t.description, t.kind, t.reference
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {_WALLET_ENTRIES}
ORDER BY e.created_at DESC, e.seq DESC LIMIT :limit OFFSET :offset
"""
_TOTALS = f"""
SELECT coalesce(sum(CASE WHEN e.amount > 0 THEN e.amount END), 0) AS credited,
       coalesce(-sum(CASE WHEN e.amount <= 0 THEN e.amount END), 0) AS debited,
       count(CASE WHEN e.amount > 0 THEN 1 END) AS credits,
       count(CASE WHEN e.amount <= 0 THEN 1 END) AS debits
FROM entries e WHERE {_WALLET_ENTRIES}
"""
_UNBALANCED = """
SELECT count(*) FROM (
    SELECT t.id FROM transfers t LEFT JOIN entries e ON e.transfer_id = t.id GROUP BY t.id
    HAVING count(e.transfer_id) <> 2 OR coalesce(sum(e.amount), 0) <> 0
)
"""


def _owner(account: Account) -> str | None:
    return account.owner if account.kind is AccountKind.WALLET else None


def transfer_from(row: sqlite3.Row) -> Transfer:
    return Transfer(
        uuid_from(row["id"]), Account.from_code(row["debit_account"]),
        Account.from_code(row["credit_account"]), Money(row["amount"], Currency(row["currency"])),
        TransferKind(row["kind"]), row["description"], row["reference"], time_from(row["created_at"]),
    )


def _transaction_from(row: sqlite3.Row) -> WalletTransaction:
    amount, after = row["amount"], row["balance_after"]
    return WalletTransaction(
        uuid_from(row["transfer_id"]), "credit" if amount > 0 else "debit", abs(amount), after - amount,
        after, row["description"], row["kind"], row["reference"], time_from(row["created_at"]),
    )


def _wallet_filter(account: Account, since: datetime | None, type: str | None) -> dict[str, object]:
    return {"account": account.code, "since": optional_time_text(since), "type": type}


class SqliteLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def append(self, transfer: Transfer, entries: Sequence[Entry]) -> None:
        t = transfer
        await self._db.hold(
            f"INSERT INTO transfers ({_TRANSFER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid_text(t.id), _owner(t.credit) or _owner(t.debit), t.debit.code, t.credit.code,
             t.amount.minor, t.amount.currency.value, t.kind.value, t.description, t.reference,
             time_text(t.created_at)),
        )
        await self._db.hold(
            f"INSERT INTO entries ({_ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(uuid_text(e.transfer_id), _owner(e.account), e.account.code, e.currency.value, e.amount,
              e.balance_after, time_text(e.created_at)) for e in entries], many=True,
        )

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        where = _wallet_filter(account, since, type)
        total = await self._db.fetchval(f"SELECT count(*) FROM entries e WHERE {_WALLET_ENTRIES}", where)
        rows = await self._db.fetch(_TRANSACTIONS, {**where, "limit": page.per_page, "offset": page.offset})
        return Page(tuple(_transaction_from(row) for row in rows), total, page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        row = await self._db.fetchone(_TOTALS, _wallet_filter(account, since, None))
        assert row is not None
        return WalletTotals(row["credited"], row["debited"], row["credits"], row["debits"])

    async def transfers_for(self, reference: str) -> list[Transfer]:
        rows = await self._db.fetch(
            f"SELECT {_TRANSFER_COLUMNS} FROM transfers WHERE reference = ? ORDER BY seq", (reference,)
        )
        return [transfer_from(row) for row in rows]

    async def entry_sums(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT account, sum(amount) AS total FROM entries GROUP BY account")
        return {Account.from_code(row["account"]): row["total"] for row in rows}

    async def transfer_count(self) -> int:
        return int(await self._db.fetchval("SELECT count(*) FROM transfers"))

    async def unbalanced_transfers(self) -> int:
        return int(await self._db.fetchval(_UNBALANCED))
