"""Platform keys, alike on every backend: found by their hash only, listed oldest first, a save
keeps when it was last used and when it was revoked."""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs

from domain.api_keys import ApiKey, key_hash
from tests.contract.builders import NOW


def key(name: str, plaintext: str, minutes: int = 0) -> ApiKey:
    return ApiKey(uuid.uuid4(), name, frozenset({"charges", "read"}), key_hash(plaintext),
                  NOW + timedelta(minutes=minutes))


async def test_a_key_is_found_by_its_hash_and_a_save_keeps_its_use_and_revocation(storage):
    async with storage() as s:
        first, second = key("backend", "hk_one"), key("reports", "hk_two", minutes=1)
        async with s.unit_of_work() as uow:
            await uow.api_keys.add(second)
            await uow.api_keys.add(first)
            await uow.commit()
        used = attrs.evolve(first, last_used_at=NOW + timedelta(minutes=5),
                            revoked_at=NOW + timedelta(minutes=6))
        async with s.unit_of_work() as uow:
            assert await uow.api_keys.by_hash(key_hash("hk_one")) == first
            assert await uow.api_keys.by_hash(key_hash("hk_three")) is None
            await uow.api_keys.save(used)
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.api_keys.get(first.id) == used
            assert await uow.api_keys.get(uuid.uuid4()) is None
            assert [k.name for k in await uow.api_keys.all()] == ["reports", "backend"]
