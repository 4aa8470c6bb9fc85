"""Wallets: the only stored balances. In a writing unit the whole database is held by the unit's
``BEGIN IMMEDIATE``, so reading a wallet there is already locking it."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from adapters.sqlite.session import Session
from adapters.sqlite.values import time_from, time_text
from domain.ledger import Account, Wallet
from domain.money import Currency, Money

_COLUMNS = "user_id, currency, balance, is_blocked, created_at"
_ONE = f"SELECT {_COLUMNS} FROM wallets WHERE user_id = ? AND currency = ?"


def wallet_from(row: sqlite3.Row) -> Wallet:
    currency = Currency(row["currency"])
    return Wallet(row["user_id"], currency, time_from(row["created_at"]), Money(row["balance"], currency),
                  bool(row["is_blocked"]))


class SqliteWalletRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, currency: Currency) -> Wallet | None:
        row = await self._db.fetchone(_ONE, (user_id, currency.value))
        return wallet_from(row) if row else None

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The wallet, created at zero when missing; the common case (it exists) is one query."""
        row = await self._db.fetchone(_ONE, (user_id, currency.value))
        if row is None:
            row = await self._db.fetchone(
                f"INSERT INTO wallets ({_COLUMNS}) VALUES (?, ?, 0, 0, ?) "
                f"ON CONFLICT (user_id, currency) DO UPDATE SET balance = balance RETURNING {_COLUMNS}",
                (user_id, currency.value, time_text(now)),
            )
        assert row is not None
        return wallet_from(row)

    async def save(self, wallet: Wallet) -> None:
        await self._db.hold(
            f"INSERT INTO wallets ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, currency) "
            "DO UPDATE SET balance = excluded.balance, is_blocked = excluded.is_blocked",
            (wallet.user_id, wallet.currency.value, wallet.balance.minor, int(wallet.is_blocked),
             time_text(wallet.created_at)),
        )

    async def for_user(self, user_id: str) -> list[Wallet]:
        rows = await self._db.fetch(
            f"SELECT {_COLUMNS} FROM wallets WHERE user_id = ? ORDER BY created_at, currency", (user_id,)
        )
        return [wallet_from(row) for row in rows]

    async def balances(self) -> dict[Account, int]:
        rows = await self._db.fetch("SELECT user_id, currency, balance FROM wallets")
        return {Account.wallet(row["user_id"], Currency(row["currency"])): row["balance"] for row in rows}
