"""The ledger: append-only transfers and their entries, and the reads built on them.

A transfer and its entries are held back and go in with the unit's next statement
(``adapters.postgres.pending``). Entries carry the wallet owner's user id (and a
transfer the id of the user whose wallet it touches), the key a distribution by user would use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import asyncpg

from adapters.postgres.pending import ENTRIES, TRANSFERS
from adapters.postgres.session import Session
from domain.ledger import Account, AccountKind, Entry, Transfer, TransferKind
from domain.money import Currency, Money
from domain.records import Page, PageRequest, WalletTotals, WalletTransaction

# The wallet's entries; $2 since (or NULL), $3 credit | debit (or NULL).
_WALLET_ENTRIES = """
e.account = $1 AND ($2::timestamptz IS NULL OR e.created_at >= $2)
AND ($3::text IS NULL OR (CASE WHEN e.amount > 0 THEN 'credit' ELSE 'debit' END) = $3)
"""
_TRANSACTIONS = f"""
SELECT e.transfer_id, e.amount, e.balance_after, e.created_at, t.description, t.kind, t.reference
FROM entries e JOIN transfers t ON t.id = e.transfer_id
WHERE {_WALLET_ENTRIES}
ORDER BY e.created_at DESC, e.seq DESC LIMIT $4 OFFSET $5
"""
_TOTALS = f"""
SELECT coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0)::bigint AS credited,
       coalesce(-sum(e.amount) FILTER (WHERE e.amount <= 0), 0)::bigint AS debited,
       count(*) FILTER (WHERE e.amount > 0) AS credits,
       count(*) FILTER (WHERE e.amount <= 0) AS debits
FROM entries e WHERE {_WALLET_ENTRIES}
"""
_TRANSFER_COLUMNS = "id, debit_account, credit_account, amount, currency, kind, description, reference, " \
                    "created_at"


def _owner(account: Account) -> str | None:
    return account.owner if account.kind is AccountKind.WALLET else None


def transfer_from(row: asyncpg.Record) -> Transfer:
    return Transfer(
        row["id"], Account.from_code(row["debit_account"]), Account.from_code(row["credit_account"]),
        Money(row["amount"], Currency(row["currency"])), TransferKind(row["kind"]),
        row["description"], row["reference"], row["created_at"],
    )


def _transaction_from(row: asyncpg.Record) -> WalletTransaction:
    amount, after = row["amount"], row["balance_after"]
    return WalletTransaction(
        row["transfer_id"], "credit" if amount > 0 else "debit", abs(amount), after - amount, after,
        row["description"], row["kind"], row["reference"], row["created_at"],
    )


class PgLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def append(self, transfer: Transfer, entries: Sequence[Entry]) -> None:
        owner = _owner(transfer.credit) or _owner(transfer.debit)
        currency = transfer.amount.currency.value
        await self._db.hold(TRANSFERS, [(
            transfer.id, owner, transfer.debit.code, transfer.credit.code, transfer.amount.minor,
            currency, transfer.kind.value, transfer.description, transfer.reference, transfer.created_at,
        )])
        if entries:
            await self._db.hold(ENTRIES, [
                (transfer.id, _owner(entry.account), entry.account.code, currency, entry.amount,
                 entry.balance_after, entry.created_at) for entry in entries
            ])

    async def wallet_transactions(
        self, account: Account, *, since: datetime | None, type: str | None, page: PageRequest
    ) -> Page[WalletTransaction]:
        args = (account.code, since, type)
        total = await self._db.fetchval(f"SELECT count(*) FROM entries e WHERE {_WALLET_ENTRIES}", *args)
        rows = await self._db.fetch(_TRANSACTIONS, *args, page.per_page, page.offset)
        return Page(tuple(_transaction_from(row) for row in rows), total, page)

    async def wallet_totals(self, account: Account, *, since: datetime | None) -> WalletTotals:
        row = await self._db.fetchrow(_TOTALS, account.code, since, None)
        assert row is not None
        return WalletTotals(row["credited"], row["debited"], row["credits"], row["debits"])

    async def transfers_for(self, reference: str) -> list[Transfer]:
        rows = await self._db.fetch(
            f"SELECT {_TRANSFER_COLUMNS} FROM transfers WHERE reference = $1 ORDER BY seq", reference
        )
        return [transfer_from(row) for row in rows]

    async def entry_sums(self) -> dict[Account, int]:
        rows = await self._db.fetch(
            "SELECT account, sum(amount)::bigint AS total FROM entries GROUP BY account"
        )
        return {Account.from_code(row["account"]): row["total"] for row in rows}

    async def transfer_count(self) -> int:
        return int(await self._db.fetchval("SELECT count(*) FROM transfers"))

    async def unbalanced_transfers(self) -> int:
        return int(await self._db.fetchval(
            "SELECT count(*) FROM (SELECT t.id FROM transfers t "
            "LEFT JOIN entries e ON e.transfer_id = t.id GROUP BY t.id "
            "HAVING count(e.transfer_id) <> 2 OR coalesce(sum(e.amount), 0) <> 0) AS unbalanced"
        ))
