"""``GET /api/admin/payments/`` filters by creation date and searches by id or reference, beside
status, gateway and user; a bad filter is a 400 naming it."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

A = "/api/admin/payments/"


async def _create_at(server, moment: datetime, user: str, gateway: str = "click") -> dict:
    server.clock.set(moment)
    created = await server.post("/api/payments/create/", {"gateway": gateway, "amount": 50000}, user=user)
    assert created.status == 201, created.text
    row = await server.call("GET", f"{A}{created.json['payment']['id']}/", user="root", admin=True)
    return row.json["payment"]


async def _search(server, **query: str):
    return await server.call("GET", f"{A}?{urlencode(query)}", user="root", admin=True)


def _references(answer) -> list[str]:
    return [p["reference_number"] for p in answer.json["payments"]]


async def test_payments_are_filtered_by_the_platforms_days_and_found_by_id_or_reference(api):
    async with api() as server:
        on_the_14th = await _create_at(server, datetime(2026, 1, 14, 18, 30, tzinfo=UTC), "alice")
        on_the_15th = await _create_at(server, datetime(2026, 1, 14, 19, 30, tzinfo=UTC), "bob")
        later = await _create_at(server, datetime(2026, 1, 15, 7, tzinfo=UTC), "bob", "payme")
        the_15th = await _search(server, created_from="2026-01-15", created_to="2026-01-15")
        bobs_click = await _search(server, created_from="2026-01-15", user_id="bob", gateway="click")
        until = await _search(server, created_to="2026-01-15T00:29:59+05:00")
        by_reference = await _search(server, q=later["reference_number"].lower())
        by_id = await _search(server, q=on_the_14th["id"], created_to="2026-01-14")
        not_in_period = await _search(server, q=on_the_14th["id"], created_from="2026-01-15")
    assert _references(the_15th) == [later["reference_number"], on_the_15th["reference_number"]]
    assert the_15th.json["pagination"]["total_count"] == 2
    assert _references(bobs_click) == [on_the_15th["reference_number"]]
    assert _references(until) == [on_the_14th["reference_number"]]
    assert _references(by_reference) == [later["reference_number"]]
    assert _references(by_id) == [on_the_14th["reference_number"]]
    assert _references(not_in_period) == [] and not_in_period.json["pagination"]["total_count"] == 0


async def test_a_bad_date_or_a_start_after_the_end_or_a_long_q_is_400_naming_it(api):
    async with api() as server:
        answers = [await _search(server, **query) for query in (
            {"created_from": "yesterday"}, {"created_to": "2026-13-01"},
            {"created_from": "2026-01-16", "created_to": "2026-01-15"}, {"q": "x" * 65})]
    assert [(a.status, a.json["field"]) for a in answers] == [
        (400, "created_from"), (400, "created_to"), (400, "created_from"), (400, "q")]
