"""GetStatement windows (Payme's time, both ends inclusive, ascending) and ChangePassword (the new
key works at once, the old one no longer does, and the stored key is encrypted)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest

from adapters.crypto import FernetCipher
from adapters.gateways.payme import StoredKeyStore
from application.units import Units
from tests.gateways.payme.conftest import KEY, TEST_KEY, account, tiyin

T = 1_768_460_000_000  # Payme's clock, in ms; the windows below are about these times


async def test_statement_lists_transactions_by_payme_time_inclusive_and_ascending(payme):
    async with payme() as world:
        created = {}
        for time in (T + 2000, T, T + 1000, T + 3000):  # created out of Payme-time order
            payment = await world.order()
            params = {"id": world.payme_id(), "time": time, "amount": tiyin(payment),
                      "account": account(payment)}
            created[time] = ((await world.rpc("CreateTransaction", params)).result, params, payment)
        await world.rpc("PerformTransaction", {"id": created[T + 1000][1]["id"]})
        await world.rpc("CancelTransaction", {"id": created[T + 2000][1]["id"], "reason": 2})
        windows = {}
        for start, end in ((T, T + 2000), (T + 1, T + 999), (T + 3000, T + 3000), (T + 5, T)):
            windows[(start, end)] = (await world.rpc("GetStatement", {"from": start, "to": end})).result
    times = {window: [line["time"] for line in found["transactions"]] for window, found in windows.items()}
    assert times == {(T, T + 2000): [T, T + 1000, T + 2000], (T + 1, T + 999): [],
                     (T + 3000, T + 3000): [T + 3000], (T + 5, T): []}
    performed, cancelled = windows[(T, T + 2000)]["transactions"][1:]
    result, params, payment = created[T + 1000]
    assert performed == {
        "id": params["id"], "time": T + 1000, "amount": tiyin(payment), "account": account(payment),
        "create_time": result["create_time"], "perform_time": world.now_ms, "cancel_time": 0,
        "transaction": result["transaction"], "state": 2, "reason": None, "receivers": None}
    assert (cancelled["state"], cancelled["reason"], cancelled["perform_time"]) == (-1, 2, 0)


async def test_change_password_replaces_the_key_that_authenticated_it(payme):
    async with payme() as world:
        changed = await world.rpc("ChangePassword", {"password": "brand-new-key"}, key=KEY)
        old = await world.rpc("CheckTransaction", {"id": "a"}, key=KEY)
        new = await world.rpc("CheckTransaction", {"id": "a"}, key="brand-new-key")
        sandbox = await world.rpc("CheckTransaction", {"id": "a"}, key=TEST_KEY)
        await world.rpc("ChangePassword", {"password": "new-sandbox-key"}, key=TEST_KEY)
        old_sandbox = await world.rpc("CheckTransaction", {"id": "a"}, key=TEST_KEY)
        new_sandbox = await world.rpc("CheckTransaction", {"id": "a"}, key="new-sandbox-key")
    assert changed.result == {"success": True}
    assert old.code == -32504 and old_sandbox.code == -32504
    assert new.code == sandbox.code == new_sandbox.code == -31003  # authenticated, then not found


class FakeSecrets:
    def __init__(self, rows):
        self.rows = rows

    async def get(self, name):
        return self.rows.get(name)

    async def save(self, name, ciphertext, updated_at):
        self.rows[name] = ciphertext

    async def all(self):
        return dict(self.rows)


def fake_units(rows):
    """A unit-of-work runner over a dict of secrets (what a storage's ``secrets`` keeps)."""
    class Unit:
        secrets = FakeSecrets(rows)

        async def commit(self):
            pass

    @asynccontextmanager
    async def unit(write=True, retried=False):
        yield Unit()

    return Units(unit)


class Clock:
    def now(self):
        return datetime(2026, 1, 15, tzinfo=UTC)


async def test_stored_keys_are_encrypted_and_seen_by_every_process():
    rows = {}
    cipher = FernetCipher("a-secret-key-long-enough-for-tests-000000")
    one, other = StoredKeyStore(fake_units(rows), cipher, Clock()), StoredKeyStore(
        fake_units(rows), cipher, Clock())
    await one.replace("payme_key", "brand-new-key")
    assert "brand-new-key" not in rows["payme_key"]
    assert await other.replacements() == {"payme_key": "brand-new-key"}


async def test_change_password_on_each_storage_backend(payme, backend):
    async with backend() as storage:
        async with storage.unit_of_work(write=False) as uow:
            if not hasattr(uow, "secrets"):
                pytest.skip("this storage adapter does not keep secrets yet")
        cipher = FernetCipher("a-secret-key-long-enough-for-tests-000000")
        async with payme(storage=storage, keys=lambda hamyon: StoredKeyStore.of(hamyon, cipher)) as world:
            await world.rpc("ChangePassword", {"password": "brand-new-key"})
            old = await world.rpc("CheckTransaction", {"id": "a"}, key=KEY)
            new = await world.rpc("CheckTransaction", {"id": "a"}, key="brand-new-key")
    assert (old.code, new.code) == (-32504, -31003)
