"""An admin's payment search (SPEC §16): dates are the platform's days (Asia/Tashkent, UTC+5),
both ends inclusive, or ISO 8601 moments; ``q`` finds one payment by its id or its reference
number in any case; a bad filter is refused naming it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import ValidationError
from domain.paging import PageRequest
from domain.payments import Payment


async def _topup_at(w, moment: datetime, user_id: str = "u1") -> Payment:
    w.clock.set(moment)
    return await w.topup(user_id, "50000")


async def _found(w, **filters) -> list[str]:
    page = await w.hamyon.admin.search_payments(PageRequest(), **filters)
    return [p.reference_number for p in page.items]


async def test_a_day_is_the_platforms_calendar_day_from_its_first_to_its_last_moment(world):
    async with world() as w:
        late_on_the_14th = await _topup_at(w, datetime(2026, 1, 14, 18, 59, 59, 999999, tzinfo=UTC))
        first_of_the_15th = await _topup_at(w, datetime(2026, 1, 14, 19, tzinfo=UTC))  # 00:00 there
        last_of_the_15th = await _topup_at(w, datetime(2026, 1, 15, 18, 59, 59, 999999, tzinfo=UTC))
        first_of_the_16th = await _topup_at(w, datetime(2026, 1, 15, 19, tzinfo=UTC))
        the_15th = await _found(w, created_from="2026-01-15", created_to="2026-01-15")
        from_the_15th = await _found(w, created_from="2026-01-15")
        to_the_14th = await _found(w, created_to="2026-01-14")
    assert the_15th == [last_of_the_15th.reference_number, first_of_the_15th.reference_number]
    assert from_the_15th == [first_of_the_16th.reference_number, *the_15th]
    assert to_the_14th == [late_on_the_14th.reference_number]


async def test_iso_moments_bound_the_period_inclusively_and_without_an_offset_are_the_platforms(world):
    async with world() as w:
        before = await _topup_at(w, datetime(2026, 1, 15, 6, 59, tzinfo=UTC))
        at_seven = await _topup_at(w, datetime(2026, 1, 15, 7, tzinfo=UTC))
        after = await _topup_at(w, datetime(2026, 1, 15, 7, 0, 1, tzinfo=UTC))
        exactly = await _found(w, created_from="2026-01-15T07:00:00Z", created_to="2026-01-15T07:00:00Z")
        in_tashkent = await _found(w, created_from="2026-01-15T12:00:00",
                                   created_to="2026-01-15 12:00:00+05:00")
        until_seven = await _found(w, created_to="2026-01-15T07:00:00+00:00")
    assert exactly == in_tashkent == [at_seven.reference_number]
    assert until_seven == [at_seven.reference_number, before.reference_number]
    assert after.reference_number not in exactly + until_seven


async def test_q_finds_one_payment_by_its_id_or_its_reference_in_any_case(world):
    async with world() as w:
        wanted = await w.topup("u1", "50000")
        w.clock.advance(minutes=1)
        other = await w.topup("u2", "50000")
        by_reference = [await _found(w, q=q) for q in (
            wanted.reference_number, wanted.reference_number.lower(), f"  {wanted.reference_number}  ")]
        by_id = [await _found(w, q=q) for q in (str(wanted.id), str(wanted.id).upper(), wanted.id.hex)]
        with_its_user = await _found(w, q=wanted.reference_number, user_id="u1")
        with_another_user = await _found(w, q=wanted.reference_number, user_id="u2")
        unknown = await _found(w, q="PAY-1768460400-00000000")
        blank = await _found(w, q="  ")
    assert by_reference == by_id == [[wanted.reference_number]] * 3
    assert with_its_user == [wanted.reference_number] and with_another_user == []
    assert unknown == [] and blank == [other.reference_number, wanted.reference_number]


@pytest.mark.parametrize(("filters", "field"), [
    ({"created_from": "15.01.2026"}, "created_from"),
    ({"created_to": "tomorrow"}, "created_to"),
    ({"created_from": "2026-01-15T25:00"}, "created_from"),
    ({"created_from": "2026-01-16", "created_to": "2026-01-15"}, "created_from"),
    ({"created_from": "2026-01-15T12:00:01+05:00", "created_to": "2026-01-15T07:00:00Z"}, "created_from"),
    ({"created_from": "0001-01-01"}, "created_from"),
    ({"created_to": "9999-12-31"}, "created_to"),
    ({"created_to": "２０２６-01-15"}, "created_to"),
    ({"q": "PAY-" + "0" * 61}, "q"),
], ids=["not iso", "a word", "no such hour", "from after to", "a moment after the end",
        "before the calendar", "after the calendar", "not ascii digits", "q too long"])
async def test_a_bad_filter_is_refused_naming_it(world, filters, field):
    async with world() as w:
        with pytest.raises(ValidationError) as refused:
            await w.hamyon.admin.search_payments(PageRequest(), **filters)
    assert refused.value.field == field


async def test_a_period_of_one_day_or_one_moment_or_with_blank_ends_is_not_refused(world):
    async with world() as w:
        payment = await w.topup("u1", "50000")
        same_day = await _found(w, created_from="2026-01-15", created_to="2026-01-15")
        open_ended = await _found(w, created_from=" ", created_to="")
        same_moment = await _found(w, created_from="2026-01-15T07:00:00Z",
                                   created_to="2026-01-15T12:00:00+05:00")
    assert same_day == same_moment == open_ended == [payment.reference_number]
