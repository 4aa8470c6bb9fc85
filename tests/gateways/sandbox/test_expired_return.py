"""Expiry is enforced on every read (SPEC §3), the admin's and the payer's way back to the
platform (SPEC §12: ``payment_id=<id>&status=<status>``) included: a payment past its time, before
any sweep, reads as expired, and the admin's status filter finds it so."""

from __future__ import annotations

from html import escape

P = "/api/payments"
TTL_PASSED = 1801  # HAMYON_PAYMENT_TTL default 1800 s


async def test_sandbox_finished_page_back_link_says_expired_like_the_page(sandbox):
    """The sandbox's finished page shows an expired payment, but its way back to the platform
    must carry that same status (SPEC §12), not the stale ``processing``."""
    async with sandbox() as world:
        payment = await world.create(50000, return_url=f"{world.shop_url}?order=7")
        world.server.clock.advance(seconds=TTL_PASSED)
        page = await world.page(f"/sandbox/pay/{payment['id']}?lang=en")
    assert page.status == 200
    assert 'data-status="expired"' in page.text
    returned = f"{world.shop_url}?order=7&payment_id={payment['id']}&status=expired"
    assert f'id="back" href="{escape(returned)}"' in page.text
