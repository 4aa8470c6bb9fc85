"""An admin's payment search (SPEC §16) on every store: by when the payments were created (at or
after the start, before the end, compared as moments whatever the offset they are written in),
and for one payment by its id or its exact reference number, with the other filters and the
paging as before."""

from __future__ import annotations

import uuid
from datetime import timedelta, timezone

from domain.paging import PageRequest
from domain.payment_search import PaymentSearch
from domain.payments import Payment, PaymentStatus
from tests.contract.builders import minutes, payment

S = PaymentStatus
TASHKENT = timezone(timedelta(hours=5))


async def _add(s, *payments: Payment) -> None:
    async with s.unit_of_work() as uow:
        for each in payments:
            await uow.payments.add(each)
        await uow.commit()


async def _search(s, page: PageRequest | None = None, **filters) -> tuple[list[uuid.UUID], int]:
    async with s.unit_of_work(write=False) as uow:
        found = await uow.reports.search_payments(PaymentSearch(**filters), page or PageRequest())
    return [p.id for p in found.items], found.total_count


async def test_a_period_takes_payments_from_its_start_up_to_but_not_at_its_end(storage):
    async with storage() as s:
        before, at_start, inside, at_end = (payment(created_at=minutes(n)) for n in (-1, 0, 5, 10))
        await _add(s, before, at_start, inside, at_end)
        period = await _search(s, created_from=minutes(0), created_before=minutes(10))
        since = await _search(s, created_from=minutes(5))
        until = await _search(s, created_before=minutes(0))
    assert period == ([inside.id, at_start.id], 2)
    assert since == ([at_end.id, inside.id], 2)
    assert until == ([before.id], 1)


async def test_a_period_compares_moments_whatever_their_offset(storage):
    async with storage() as s:
        early, late = payment(created_at=minutes(0)), payment(created_at=minutes(1))
        await _add(s, early, late)
        in_tashkent = minutes(1).astimezone(TASHKENT)  # 14:31 there is 09:31 UTC
        found = await _search(s, created_from=in_tashkent)
        kept_out = await _search(s, created_before=in_tashkent)
    assert found == ([late.id], 1) and kept_out == ([early.id], 1)


async def test_a_period_pages_and_counts_only_its_payments_with_the_other_filters(storage):
    async with storage() as s:
        inside = [payment(created_at=minutes(n), status=S.COMPLETED) for n in range(5)]
        pending = payment(created_at=minutes(2))
        other_user = payment("u2", created_at=minutes(3), status=S.COMPLETED)
        outside = payment(created_at=minutes(9), status=S.COMPLETED)
        await _add(s, *inside, pending, other_user, outside)
        filters = {"created_from": minutes(0), "created_before": minutes(5), "status": S.COMPLETED,
                   "user_id": "u1"}
        first = await _search(s, PageRequest(1, 2), **filters)
        last = await _search(s, PageRequest(3, 2), **filters)
    assert first == ([inside[4].id, inside[3].id], 5)
    assert last == ([inside[0].id], 5)


async def test_one_payment_is_found_by_its_id(storage):
    async with storage() as s:
        wanted, other = payment(created_at=minutes(1)), payment(created_at=minutes(2))
        await _add(s, wanted, other)
        found = await _search(s, payment_id=wanted.id)
        unknown = await _search(s, payment_id=uuid.uuid4())
    assert found == ([wanted.id], 1)
    assert unknown == ([], 0)


async def test_one_payment_is_found_by_its_exact_reference_number(storage):
    async with storage() as s:
        wanted, other = payment(created_at=minutes(1)), payment(created_at=minutes(2))
        await _add(s, wanted, other)
        found = await _search(s, reference=wanted.reference_number)
        other_case = await _search(s, reference=wanted.reference_number.lower())
        a_part = await _search(s, reference=wanted.reference_number[:-1])
    assert found == ([wanted.id], 1)
    assert other_case == ([], 0) and a_part == ([], 0)  # the use case writes it upper-case


async def test_a_payment_found_by_its_key_must_match_the_other_filters_too(storage):
    async with storage() as s:
        wanted = payment(created_at=minutes(1), status=S.COMPLETED, gateway="payme")
        other = payment(created_at=minutes(2))
        await _add(s, wanted, other)
        matching = await _search(s, payment_id=wanted.id, reference=wanted.reference_number,
                                 status=S.COMPLETED, gateway="payme", user_id="u1",
                                 created_from=minutes(1), created_before=minutes(2))
        misses = [await _search(s, payment_id=wanted.id, **filters) for filters in (
            {"status": S.PENDING}, {"gateway": "click"}, {"user_id": "u2"},
            {"created_from": minutes(2)}, {"created_before": minutes(1)},
            {"reference": other.reference_number})]
        other_id = await _search(s, reference=wanted.reference_number, payment_id=other.id)
    assert matching == ([wanted.id], 1)
    assert misses == [([], 0)] * 6 and other_id == ([], 0)
