"""Wallets: the only stored balances. A writing unit already holds the storage's writer lock, so
reading a wallet there is locking it."""

from __future__ import annotations

from datetime import datetime

import attrs

from adapters.memory.session import Repository
from adapters.memory.state import Tables
from domain.ledger import Wallet
from domain.money import Currency


def save_wallet(tables: Tables, wallet: Wallet) -> None:
    """Store balance and blocking; ``created_at`` stays what it was when the wallet exists."""
    wallets = tables.writable("wallets")
    key = (wallet.user_id, wallet.currency)
    stored = wallets.get(key)
    created_at = stored.created_at if stored is not None else wallet.created_at
    wallets[key] = attrs.evolve(wallet, created_at=created_at)


class MemoryWalletRepository(Repository):
    async def get(self, user_id: str, currency: Currency) -> Wallet | None:
        wallet = (await self._tables()).table("wallets").get((user_id, currency))
        return attrs.evolve(wallet) if wallet is not None else None

    async def lock(self, user_id: str, currency: Currency, now: datetime) -> Wallet:
        """The wallet, created at zero (``created_at=now``) when missing."""
        tables = await self._tables()
        wallet = tables.table("wallets").get((user_id, currency))
        if wallet is None:
            wallet = Wallet(user_id, currency, now)
            tables.writable("wallets")[(user_id, currency)] = wallet
        return attrs.evolve(wallet)

    async def save(self, wallet: Wallet) -> None:
        save_wallet(await self._tables(), wallet)

    async def for_user(self, user_id: str) -> list[Wallet]:
        wallets = [wallet for (owner, _), wallet in (await self._tables()).table("wallets").items()
                   if owner == user_id]
        wallets.sort(key=lambda wallet: (wallet.created_at, wallet.currency.value))
        return [attrs.evolve(wallet) for wallet in wallets]
