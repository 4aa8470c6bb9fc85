"""A hold past its time keeps nothing from the wallet (SPEC §13: held_balance is the sum of active
holds; a hold past `expires_at` is released on every read): the wallet's answer and a charge
treat it as expired before the sweep has run."""

from __future__ import annotations

from decimal import Decimal

P = "/api/payments"


async def overdue_hold(server) -> str:
    """Alice's 50,000 of 100,000 held for a minute, two minutes ago (no sweep since); its id."""
    await server.fund("alice", "100000")
    held = await server.post(f"{P}/billing/holds/", {"service_type": "consultation", "expires_in": 60})
    assert held.status == 201
    server.clock.advance(minutes=2)
    return held.json["hold"]["id"]


async def test_a_hold_past_its_time_is_not_held_in_the_wallet_nor_kept_from_a_charge(api):
    async with api() as server:
        await overdue_hold(server)
        balance = await server.get(f"{P}/wallet/balance/")
        assert (balance.json["balance"], balance.json["held_balance"]) == \
            (Decimal("100000.00"), Decimal("0.00")), balance.text


async def test_a_charge_that_an_overdue_hold_would_refuse_is_decided_again_and_paid(api):
    async with api() as server:
        hold_id = await overdue_hold(server)
        check = await server.post(f"{P}/billing/check-access/", {"service_type": "consultation",
                                                                 "quantity": 2})
        charge = await server.post(f"{P}/billing/charge/", {"service_type": "consultation",
                                                            "quantity": 2})
        hold = await server.get(f"{P}/billing/holds/{hold_id}/")
    assert check.json["can_access"] is True, check.text
    assert charge.status == 200, charge.text
    assert hold.json["hold"]["status"] == "expired"
