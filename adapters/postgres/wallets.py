"""Wallets: the only stored balances, each one a row that a debit locks.

Locking a wallet raises its version (``UPDATE``, which also takes the row lock), so that an
optimistic unit that read the wallet earlier sees, at its commit, that it changed. An optimistic
unit that has not begun its transaction only reads the wallet and watches its version
(``adapters.postgres.session``)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from adapters.postgres.pending import Watched
from adapters.postgres.session import Session
from domain.ledger import Account, Wallet
from domain.money import Currency, Money

_COLUMNS = "user_id, currency, balance, is_blocked, created_at"
_LOCK = (f"UPDATE wallets SET version = version + 1 WHERE user_id = $1 AND currency = $2 "
         f"RETURNING {_COLUMNS}")
_WATCH = f"SELECT {_COLUMNS}, version FROM wallets WHERE user_id = $1 AND currency = $2"
_CREATE = ("INSERT INTO wallets (user_id, currency, balance, is_blocked, created_at) "
           "VALUES ($1, $2, 0, FALSE, $3) ON CONFLICT DO NOTHING")


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
        """The row, locked until the unit ends (watched, in an optimistic unit that has not begun
        its transaction). A missing wallet is inserted first (a concurrent insert of the same one
        waits on, then yields to, ours): the existing wallet, the common case, costs one round trip."""
        watching = self._db.watching  # the statements below run alone then, and leave it so
        read = _WATCH if watching else _LOCK
        row = await self._db.run_alone("fetchrow", read, user_id, currency.value)
        if row is None:
            await self._db.run_alone("execute", _CREATE, user_id, currency.value, now)
            row = await self._db.run_alone("fetchrow", read, user_id, currency.value)
        assert row is not None
        if watching:
            self._db.watch((user_id, currency.value), Watched(row["version"], row["balance"],
                                                              row["is_blocked"]))
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
