"""Wallets: the only stored balances, each one a row that a debit locks.

Locking a wallet raises its version (``UPDATE``, which also takes the row lock), so that a unit
that only watched the wallet (read it, version noted) sees at its commit that it changed. A unit
whose caller retries it watches the wallet instead of locking it while the session lets it
(``Session.watches``, ``adapters.postgres.session``)."""

from __future__ import annotations

from datetime import datetime

from adapters.postgres.contention import WalletKey
from adapters.postgres.pending import Watched
from adapters.postgres.session import Session
from adapters.sql.money_rows import WALLET_COLUMNS, wallet_from, wallet_row
from adapters.sql.values import NATIVE
from domain.ledger import Wallet
from domain.money import Currency

_ONE = f"SELECT {WALLET_COLUMNS} FROM wallets WHERE user_id = $1 AND currency = $2"
_LOCK = (f"UPDATE wallets SET version = version + 1 WHERE user_id = $1 AND currency = $2 "
         f"RETURNING {WALLET_COLUMNS}")
_WATCH = f"SELECT {WALLET_COLUMNS}, version FROM wallets WHERE user_id = $1 AND currency = $2"
# A concurrent insert of the same wallet waits on, then yields to, the first.
_CREATE = ("INSERT INTO wallets (user_id, currency, balance, is_blocked, created_at) "
           "VALUES ($1, $2, 0, FALSE, $3) ON CONFLICT DO NOTHING")


class PgWalletRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, currency: Currency) -> Wallet | None:
        row = await self._db.fetchrow(_ONE, user_id, currency.value)
        return wallet_from(row, NATIVE) if row else None

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The row, locked until the unit ends, or watched; a missing wallet is inserted first.
        The existing wallet, the common case, costs one round trip."""
        key = (user_id, currency.value)
        known = self._db.known(key)
        if known is not None:  # locked or watched by this unit already: no round trip
            return known
        wallet = await (self._watch(key, now) if self._db.watches(key) else self._lock(key, now))
        self._db.remember(key, wallet)
        return wallet

    async def save(self, wallet: Wallet) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold_wallet(wallet_row(wallet, NATIVE), wallet)

    async def for_user(self, user_id: str) -> list[Wallet]:
        rows = await self._db.fetch(
            f"SELECT {WALLET_COLUMNS} FROM wallets WHERE user_id = $1 ORDER BY created_at, currency", user_id
        )
        return [wallet_from(row, NATIVE) for row in rows]

    async def _lock(self, key: WalletKey, now: datetime) -> Wallet:
        row = await self._db.fetchrow(_LOCK, *key)
        if row is None:
            await self._db.execute(_CREATE, *key, now)
            row = await self._db.fetchrow(_LOCK, *key)
        assert row is not None
        return wallet_from(row, NATIVE)

    async def _watch(self, key: WalletKey, now: datetime) -> Wallet:
        """Read without a lock, each statement on its own (the unit stays without a transaction)."""
        row = await self._db.run_alone("fetchrow", _WATCH, *key)
        if row is None:
            await self._db.run_alone("execute", _CREATE, *key, now)
            row = await self._db.run_alone("fetchrow", _WATCH, *key)
        assert row is not None
        self._db.watch(key, Watched(row["version"], row["balance"], row["is_blocked"]))
        return wallet_from(row, NATIVE)
