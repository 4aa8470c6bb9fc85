"""The doctor-directory table: cards come back whole, are listed in one order on every backend,
saved again to change them, deleted once."""

from __future__ import annotations

from decimal import Decimal

from domain.paging import PageRequest
from tests.contract.builders import doctor
from tests.contract.seeding import seed


async def test_a_saved_doctor_comes_back_whole(storage):
    async with storage() as s:
        card = doctor("7", first_name="Дилноза", last_name="Karimova", rating=Decimal("4.75"),
                      extra={"phone": "+998901112233", "photo_url": "https://cdn.example/7.jpg"})
        await seed(s, card, doctor("8", rating=None, extra={}, is_active=False, specialization=""))
        async with s.unit_of_work(write=False) as uow:
            assert await uow.doctors.get("7") == card
            assert await uow.doctors.get("8") == doctor("8", rating=None, extra={}, is_active=False,
                                                        specialization="")
            assert await uow.doctors.get("9") is None


async def test_saving_a_doctor_again_replaces_the_card(storage):
    async with storage() as s:
        await seed(s, doctor("1"))
        await seed(s, doctor("1", specialization="Neurologist", rating=Decimal("5.0"), extra={},
                             is_active=False))
        async with s.unit_of_work(write=False) as uow:
            found = await uow.doctors.get("1")
            page = await uow.reports.doctors(PageRequest())
        assert (found.specialization, found.rating, found.extra, found.is_active) == \
            ("Neurologist", Decimal("5.0"), {}, False)
        assert page.total_count == 1


async def test_doctors_are_listed_numbers_first_in_numeric_order_then_by_id(storage):
    async with storage() as s:
        await seed(s, *(doctor(doctor_id) for doctor_id in
                        ("b-2", "10", "9", "A_1", "100", "a", "2", "dr-10", "Z")))
        async with s.unit_of_work(write=False) as uow:
            first = await uow.reports.doctors(PageRequest(1, 4))
            second = await uow.reports.doctors(PageRequest(2, 4))
            third = await uow.reports.doctors(PageRequest(3, 4))
        listed = [d.id for page in (first, second, third) for d in page.items]
        assert listed == ["2", "9", "10", "100", "A_1", "Z", "a", "b-2", "dr-10"]
        assert (first.total_count, third.total_count, len(third.items)) == (9, 9, 1)


async def test_a_deleted_doctor_is_gone_and_deleting_twice_says_so(storage):
    async with storage() as s:
        await seed(s, doctor("1"), doctor("2"))
        async with s.unit_of_work() as uow:
            assert await uow.doctors.delete("1") is True
            assert await uow.doctors.delete("1") is False
            assert await uow.doctors.delete("404") is False
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            assert await uow.doctors.get("1") is None
            assert [d.id for d in (await uow.reports.doctors(PageRequest())).items] == ["2"]


async def test_doctor_changes_are_kept_only_when_committed(storage):
    async with storage() as s:
        await seed(s, doctor("1"))
        async with s.unit_of_work() as uow:
            await uow.doctors.save(doctor("2"))
            await uow.doctors.delete("1")
        async with s.unit_of_work(write=False) as uow:
            assert await uow.doctors.get("1") is not None
            assert await uow.doctors.get("2") is None


async def test_a_returned_doctor_is_a_copy(storage):
    async with storage() as s:
        await seed(s, doctor("1"))
        async with s.unit_of_work() as uow:
            found = await uow.doctors.get("1")
            found.first_name = "Changed"
            found.extra["phone"] = "+000"
            again = await uow.doctors.get("1")
        assert (again.first_name, again.extra) == ("John", {"phone": "+998901234567"})
