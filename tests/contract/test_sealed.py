"""Encryption at rest (SPEC §7) on the SQL backends: what the database holds is ciphertext, a
fallback key still opens old rows, and rotation re-encrypts every sealed value with the current key.

The memory backend keeps objects, never ciphertext: its rotation has nothing to do.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from adapters.crypto import DecryptionError, FernetCipher
from adapters.memory import MemoryStorage
from adapters.sealed import GATEWAY_SECRET, is_sealed
from tests.contract.builders import doctor, payment, payment_log, webhook

KEY_A = "first-secret-key-of-at-least-thirty-two-chars"
KEY_B = "second-secret-key-of-at-least-thirty-two-chars"
TRACKING = "TRK-5566778899"
CARD = "8600123456789012"
PHONE = "+998901234567"
HOOK_SECRET, OLD_HOOK_SECRET = "whsec_current0123456789", "whsec_previous0123456789"


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[ModuleType, object]:
    module = importlib.import_module(f"tests.backends.{request.param}")
    return module, module.storage_factory(tmp_path)


async def _write_sensitive_rows(s, secret_cipher: FernetCipher):
    paid = payment(tracking_code=TRACKING)
    async with s.unit_of_work() as uow:
        await uow.payments.add(paid)
        await uow.payment_logs.add(payment_log(paid, "callback", payload=f'{{"cardNum": "{CARD}"}}'))
        await uow.doctors.save(doctor("1", extra={"phone": PHONE}))
        await uow.secrets.save("payme_key", secret_cipher.encrypt(GATEWAY_SECRET, "merchant-key"),
                               paid.created_at)
        await uow.webhooks.add(webhook(secret=OLD_HOOK_SECRET).rotated(HOOK_SECRET, paid.created_at))
        await uow.commit()
    return paid


async def _read_back(s, paid, secret_cipher: FernetCipher) -> tuple[str, ...]:
    async with s.unit_of_work(write=False) as uow:
        found = await uow.payments.get(paid.id)
        logs = await uow.reports.payment_logs(paid.id)
        card = await uow.doctors.get("1")
        secret = await uow.secrets.get("payme_key")
        [hook] = await uow.webhooks.all()
    return (found.tracking_code, logs[0].payload, card.extra["phone"],
            secret_cipher.decrypt(GATEWAY_SECRET, secret), hook.secret, *(old for old, _ in hook.previous))


EVERYTHING = (TRACKING, f'{{"cardNum": "{CARD}"}}', PHONE, "merchant-key", HOOK_SECRET, OLD_HOOK_SECRET)


async def test_the_database_holds_no_sensitive_value_in_plain_text(backend):
    module, storage = backend
    cipher = FernetCipher(KEY_A)
    async with storage(cipher=cipher) as s:
        paid = await _write_sensitive_rows(s, cipher)
        assert await _read_back(s, paid, cipher) == EVERYTHING
        stored = await module.stored_bytes(s)
        assert str(paid.id).encode() in stored  # the dump does hold the rows
        for plain in (TRACKING, CARD, PHONE, "merchant-key", HOOK_SECRET, OLD_HOOK_SECRET):
            assert plain.encode() not in stored


async def test_rotation_moves_every_sealed_value_to_the_current_key(backend):
    module, storage = backend
    old, both, new = FernetCipher(KEY_A), FernetCipher(KEY_B, [KEY_A]), FernetCipher(KEY_B)
    async with storage(cipher=old) as s:
        paid = await _write_sensitive_rows(s, old)
        async with module.reopened(s, both) as rotating:
            assert await _read_back(rotating, paid, both) == EVERYTHING
            seen: list[tuple[int, int]] = []
            assert await rotating.rotate_keys(progress=lambda done, total: seen.append((done, total))) == 6
            assert seen[-1] == (6, 6)
        async with module.reopened(s, new) as rotated:
            assert await _read_back(rotated, paid, new) == EVERYTHING
        async with module.reopened(s, old) as stale:
            with pytest.raises(DecryptionError):
                await _read_back(stale, paid, old)


async def test_rotation_seals_rows_written_before_encryption_was_on(backend):
    module, storage = backend
    cipher = FernetCipher(KEY_A)
    async with storage() as s:
        paid = payment(tracking_code=TRACKING)
        async with s.unit_of_work() as uow:
            await uow.payments.add(paid)
            await uow.payment_logs.add(payment_log(paid, payload=CARD))
            await uow.commit()
        async with module.reopened(s, cipher) as sealing:
            async with sealing.unit_of_work(write=False) as uow:
                assert (await uow.payments.get(paid.id)).tracking_code == TRACKING
            assert await sealing.rotate_keys(cipher) == 2
        async with s.unit_of_work(write=False) as uow:  # no cipher: sees what is stored
            assert is_sealed((await uow.payments.get(paid.id)).tracking_code)
            assert is_sealed((await uow.reports.payment_logs(paid.id))[0].payload)


async def test_rotation_with_neither_a_given_nor_an_own_cipher_is_refused(backend):
    _, storage = backend
    async with storage() as s:
        with pytest.raises(ValueError, match="cipher"):
            await s.rotate_keys()


async def test_the_memory_storage_has_nothing_to_rotate():
    storage = MemoryStorage()
    assert await storage.rotate_keys(FernetCipher(KEY_A), progress=print) == 0


async def test_rotation_walks_every_table_batch_by_batch(backend):
    module, storage = backend
    old, new = FernetCipher(KEY_A), FernetCipher(KEY_B, [KEY_A])
    async with storage(cipher=old) as s:
        paid = [payment(tracking_code=f"TRK-{n}") for n in range(5)]
        async with s.unit_of_work() as uow:
            for one in paid:
                await uow.payments.add(one)
                await uow.payment_logs.add(payment_log(one, payload=f"log {one.id}"))
            for n in range(3):
                await uow.doctors.save(doctor(f"d{n}"))
            await uow.commit()
        async with module.reopened(s, new) as rotating:
            seen: list[tuple[int, int]] = []
            assert await rotating.rotate_keys(progress=lambda *step: seen.append(step), batch=2) == 13
        assert [done for done, _ in seen] == [2, 4, 5, 7, 9, 10, 12, 13]
        assert {total for _, total in seen} == {13}
        async with module.reopened(s, FernetCipher(KEY_B)) as rotated, \
                rotated.unit_of_work(write=False) as uow:
            assert {(await uow.payments.get(one.id)).tracking_code for one in paid} == \
                {f"TRK-{n}" for n in range(5)}
            assert [len(await uow.reports.payment_logs(one.id)) for one in paid] == [1] * 5
            assert (await uow.doctors.get("d2")).extra == {"phone": "+998901234567"}
