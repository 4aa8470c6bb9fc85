"""Wallets: the only stored balances, each one a row that a debit locks."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from adapters.postgres.session import Session
from domain.ledger import Account, Wallet
from domain.money import Currency, Money

_COLUMNS = "user_id, currency, balance, is_blocked, created_at"
_LOCK = f"SELECT {_COLUMNS} FROM wallets WHERE user_id = $1 AND currency = $2 FOR UPDATE"


def wallet_from(row: asyncpg.Record) -> Wallet:
    currency = Currency(row["currency"])
    return Wallet(row["user_id"], currency, row["created_at"], Money(row["balance"], currency),
                  row["is_blocked"])


class PgWalletRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, currency: Currency) -> Wallet | None:
        row = await self._db.fetchrow(
            f"SELECT {_COLUMNS} FROM wallets WHERE user_id = $1 AND currency = $2",
            user_id, currency.value,
        )
        return wallet_from(row) if row else None

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The row, locked until the unit ends. A missing wallet is inserted (a concurrent insert of
        the same one waits on, then yields to, ours) and then locked: the existing wallet, the common
        case, costs one round trip."""
        row = await self._db.fetchrow(_LOCK, user_id, currency.value)
        if row is None:
            await self._db.execute(
                "INSERT INTO wallets (user_id, currency, balance, is_blocked, created_at) "
                "VALUES ($1, $2, 0, FALSE, $3) ON CONFLICT DO NOTHING",
                user_id, currency.value, now,
            )
            row = await self._db.fetchrow(_LOCK, user_id, currency.value)
        assert row is not None
        return wallet_from(row)

    async def save(self, wallet: Wallet) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold_wallet((wallet.user_id, wallet.currency.value, wallet.balance.minor,
                                    wallet.is_blocked, wallet.created_at))

    async def for_user(self, user_id: str) -> list[Wallet]:
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM wallets WHERE user_id = $1 ORDER BY created_at, currency", user_id
        )
        return [wallet_from(row) for row in rows]

    async def balances(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT user_id, currency, balance FROM wallets")
        return {Account.wallet(row["user_id"], Currency(row["currency"])): row["balance"] for row in rows}
