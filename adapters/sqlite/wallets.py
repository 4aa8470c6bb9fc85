"""Wallets: the only stored balances. In a writing unit the whole database is held by the unit's
``BEGIN IMMEDIATE``, so reading a wallet there is already locking it."""

from __future__ import annotations

from datetime import datetime

from adapters.sql.money_rows import WALLET_COLUMNS, wallet_from, wallet_row
from adapters.sqlite.ledger import SAVE_WALLET
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text
from domain.ledger import Wallet
from domain.money import Currency

_ONE = f"SELECT {WALLET_COLUMNS} FROM wallets WHERE user_id = ? AND currency = ?"
_CREATE = f"INSERT INTO wallets ({WALLET_COLUMNS}) VALUES (?, ?, 0, 0, ?) " \
          f"ON CONFLICT (user_id, currency) DO UPDATE SET balance = balance RETURNING {WALLET_COLUMNS}"


class SqliteWalletRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, currency: Currency) -> Wallet | None:
        row = await self._db.fetchone(_ONE, (user_id, currency.value))
        return wallet_from(row, STORED) if row else None

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The wallet, created at zero when missing; the common case (it exists) is one query."""
        row = await self._db.fetchone(_ONE, (user_id, currency.value))
        if row is None:
            row = await self._db.fetchone(_CREATE, (user_id, currency.value, time_text(now)))
        assert row is not None
        return wallet_from(row, STORED)

    async def save(self, wallet: Wallet) -> None:
        await self._db.hold(SAVE_WALLET, wallet_row(wallet, STORED))

    async def for_user(self, user_id: str) -> list[Wallet]:
        rows = await self._db.fetch(
            f"SELECT {WALLET_COLUMNS} FROM wallets WHERE user_id = ? ORDER BY created_at, currency",
            (user_id,))
        return [wallet_from(row, STORED) for row in rows]
