"""The console's payments page over plain HTTP: its form has the date inputs and the search box,
keeps what was asked, shows only the payments that match, and shows a refused filter above the
form (400) instead of an error page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID

from tests.console.conftest import http_session


async def _payment_at(server, moment: datetime, user: str):
    server.clock.set(moment)
    created = await server.post("/api/payments/create/", {"gateway": "click", "amount": 50000}, user=user)
    return await server.hamyon.admin.payment(UUID(created.json["payment"]["id"]))


async def _page(server, cookie: str, **query: str):
    return await server.client.fetch(f"{server.url}/admin/payments/?{urlencode(query)}",
                                     headers={"Cookie": cookie}, raise_error=False)


async def _html(server, cookie: str, **query: str) -> str:
    return (await _page(server, cookie, **query)).body.decode()


def _input(html: str, name: str) -> str:
    found = re.search(rf'<input name="{name}"[^>]*>', html)
    assert found, f"no input {name}"
    return found.group(0)


async def test_the_payments_page_filters_by_date_and_finds_by_id_or_reference(api):
    async with api() as server:
        early = await _payment_at(server, datetime(2026, 1, 14, 10, tzinfo=UTC), "alice")
        late = await _payment_at(server, datetime(2026, 1, 15, 10, tzinfo=UTC), "bob")
        cookie, _ = await http_session(server)
        everything = await _html(server, cookie)
        the_15th = await _html(server, cookie, created_from="2026-01-15", created_to="2026-01-15")
        by_reference = await _html(server, cookie, q=early.reference_number.lower())
        by_id = await _html(server, cookie, q=str(late.id))
        nothing = await _html(server, cookie, created_to="2026-01-13")
    assert all('type="date"' in _input(everything, name) for name in ("created_from", "created_to"))
    assert 'type="search"' in _input(everything, "q")
    assert early.reference_number in everything and late.reference_number in everything
    assert late.reference_number in the_15th and early.reference_number not in the_15th
    assert 'value="2026-01-15"' in _input(the_15th, "created_from")
    assert early.reference_number in by_reference and late.reference_number not in by_reference
    assert f'value="{early.reference_number.lower()}"' in _input(by_reference, "q")
    assert late.reference_number in by_id and early.reference_number not in by_id
    assert "Nothing here yet" in nothing


async def test_a_refused_filter_is_shown_above_the_form(api):
    async with api() as server:
        cookie, _ = await http_session(server)
        bad = await _page(server, cookie, created_from="15.01.2026")
        backwards = await _page(server, cookie, created_from="2026-01-16", created_to="2026-01-15",
                                lang="ru")
    assert bad.code == 400 and 'value="15.01.2026"' in _input(bad.body.decode(), "created_from")
    assert "created_from must be a date" in bad.body.decode() and 'role="alert"' in bad.body.decode()
    assert backwards.code == 400 and "created_from must not be after created_to" in backwards.body.decode()
    assert "Платежи" in backwards.body.decode()
