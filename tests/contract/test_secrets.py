"""Named secrets: the storage keeps the ciphertext it is given, and the last save wins."""

from __future__ import annotations

from tests.contract.builders import NOW, minutes


async def test_a_saved_secret_comes_back_as_given_and_is_replaced_by_the_next_save(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            assert await uow.secrets.get("payme_key") is None
            await uow.secrets.save("payme_key", "gAAAAA-first", NOW)
            await uow.secrets.save("payme_test_key", "gAAAAA-test", NOW)
            await uow.commit()
        async with s.unit_of_work() as uow:
            await uow.secrets.save("payme_key", "gAAAAA-second", minutes(5))
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.secrets.get("payme_key") == "gAAAAA-second"
            assert await uow.secrets.all() == {"payme_key": "gAAAAA-second",
                                               "payme_test_key": "gAAAAA-test"}


async def test_a_secret_saved_in_a_unit_left_without_commit_is_not_kept(storage):
    async with storage() as s:
        async with s.unit_of_work() as uow:
            await uow.secrets.save("payme_key", "gAAAAA-first", NOW)
        async with s.unit_of_work(write=False) as uow:
            assert await uow.secrets.get("payme_key") is None
            assert await uow.secrets.all() == {}
