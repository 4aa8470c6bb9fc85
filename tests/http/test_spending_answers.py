"""Money answers as a platform reads them: a 402 names the currency of its amounts, and a
captured hold is spending that today's usage and the daily limit count, as any charge is."""

from __future__ import annotations

from decimal import Decimal

P = "/api/payments"


async def test_a_402_answer_names_the_currency_beside_its_amounts(api):
    # SPEC §17: "Every amount in an answer sits beside its `currency`"; §6: 402 carries
    # `current_balance` and `required_amount`; the OpenAPI Error schema lists `currency` too.
    async with api() as server:
        await server.fund("alice", "1000")
        charge = await server.post(f"{P}/billing/charge/", {"service_type": "consultation"})
        hold = await server.post(f"{P}/billing/holds/", {"service_type": "consultation"})
    for answer in (charge, hold):
        assert answer.status == 402
        assert answer.json["required_amount"] == Decimal("50000.00")
        assert answer.json.get("currency") == "UZS", answer.text


async def test_a_captured_hold_is_spending_that_the_daily_limit_and_daily_usage_count(api):
    # SPEC §13: a capture is "a `charge` for the user"; §5: a charge is 429 "when ...
    # `daily_spending_limit` would be passed".
    async with api() as server:
        await server.fund("alice", "500000")
        changed = await server.call("PATCH", "/api/admin/billing/settings/", user="root", admin=True,
                                    json_body={"daily_spending_limit": 60000})
        assert changed.status == 200
        held = await server.post(f"{P}/billing/holds/", {"service_type": "consultation"})
        captured = await server.post(f"{P}/billing/holds/{held.json['hold']['id']}/capture/", {})
        assert captured.status == 200 and captured.json["hold"]["captured_amount"] == Decimal("50000.00")
        usage = await server.get("/api/billing/daily-usage/")
        check = await server.post(f"{P}/billing/check-access/", {"service_type": "prescription",
                                                                 "quantity": 3})
        charge = await server.post(f"{P}/billing/charge/", {"service_type": "prescription",
                                                            "quantity": 3})
    assert usage.json["daily_usage"]["spending_today"] == Decimal("50000.00")
    assert check.json["can_access"] is False
    assert charge.status == 429, charge.text  # 50,000 captured + 15,000 passes 60,000
