"""The admin API of events to the platform (SPEC §12), through a real server: endpoints with a
secret shown once, changes, rotation, ping, deliveries, the events and resend."""

from __future__ import annotations

from decimal import Decimal

from tests.http.test_admin import A, admin

HOOK = {"url": "https://platform.example/hamyon", "events": ["payment.created", "charge.succeeded"],
        "description": "Top-ups and charges"}


async def test_an_endpoint_is_created_with_a_secret_shown_only_in_that_answer(api):
    async with api() as server:
        created = await admin(server, "POST", f"{A}/webhooks/", HOOK)
        hook = created.json["webhook"]
        listed = await admin(server, "GET", f"{A}/webhooks/")
        one = await admin(server, "GET", f"{A}/webhooks/{hook['id']}/")
    assert created.status == 201 and hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert (hook["url"], hook["events"], hook["is_active"]) == (HOOK["url"], HOOK["events"], True)
    assert listed.json["webhooks"] == [one.json["webhook"]]
    assert "secret" not in one.json["webhook"] and hook["secret"] not in listed.text


async def test_an_endpoint_is_changed_rotated_and_deleted(api):
    async with api() as server:
        hook = (await admin(server, "POST", f"{A}/webhooks/", HOOK)).json["webhook"]
        path = f"{A}/webhooks/{hook['id']}/"
        changed = await admin(server, "PATCH", path, {"events": ["*"], "is_active": False})
        rotated = await admin(server, "POST", f"{path}rotate-secret/")
        deleted = await admin(server, "DELETE", path)
        gone = await admin(server, "GET", path)
    assert changed.json["webhook"]["events"] == ["*"] and changed.json["webhook"]["is_active"] is False
    assert rotated.json["webhook"]["secret"].startswith("whsec_")
    assert rotated.json["webhook"]["secret"] != hook["secret"]
    assert deleted.json["deleted"] is True
    assert (gone.status, gone.json["code"]) == (404, "webhook_not_found")


async def test_bad_endpoints_are_refused_by_field(api):
    async with api() as server:
        bad_url = await admin(server, "POST", f"{A}/webhooks/", {**HOOK, "url": "ftp://x.example/"})
        no_events = await admin(server, "POST", f"{A}/webhooks/", {**HOOK, "events": []})
        unknown = await admin(server, "POST", f"{A}/webhooks/", {**HOOK, "events": ["payment.paid"]})
        not_admin = await server.call("GET", f"{A}/webhooks/", user="alice")
        malformed = await admin(server, "GET", f"{A}/webhooks/not-a-uuid/")
        listed = await admin(server, "GET", f"{A}/webhooks/")
    assert (bad_url.status, bad_url.json["field"]) == (400, "url")
    assert (no_events.status, no_events.json["field"]) == (400, "events")
    assert (unknown.status, unknown.json["field"]) == (400, "events")
    assert not_admin.status == 403 and malformed.status == 404
    assert listed.json["webhooks"] == []


async def test_events_are_listed_read_filtered_and_resent(api):
    async with api() as server:
        hook = (await admin(server, "POST", f"{A}/webhooks/", HOOK)).json["webhook"]
        await server.fund("alice", "100000")
        await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
        await server.post("/api/payments/wallet/topup/", {"gateway": "click", "amount": 20000})
        everything = await admin(server, "GET", f"{A}/events/")
        charges = await admin(server, "GET", f"{A}/events/?type=charge.succeeded&user_id=alice")
        charge = charges.json["events"][0]
        one = await admin(server, "GET", f"{A}/events/{charge['id']}/")
        resent = await admin(server, "POST", f"{A}/events/{charge['id']}/resend/")
        unknown = await admin(server, "GET", f"{A}/events/evt_00000000-0000-0000-0000-000000000000/")
        malformed = await admin(server, "GET", f"{A}/events/nope/")
        deliveries = await admin(server, "GET", f"{A}/webhooks/{hook['id']}/deliveries/")
    assert [e["type"] for e in everything.json["events"]][:2] == ["payment.created", "charge.succeeded"]
    assert charges.json["pagination"]["total_count"] == 1
    assert charge["user_id"] == "alice" and charge["data"]["service_type"] == "consultation"
    assert charge["data"]["charged"] is True and charge["data"]["currency"] == "UZS"
    assert isinstance(charge["data"]["amount_charged"], Decimal)
    assert one.json["event"] == charge
    assert resent.json == {"success": True, "event_id": charge["id"], "deliveries": 1}
    assert unknown.status == malformed.status == 404
    [queued] = deliveries.json["deliveries"]
    assert (queued["event_id"], queued["status"], queued["attempt"]) == (charge["id"], "pending", 0)


async def test_ping_queues_a_ping_event_for_that_endpoint(api):
    async with api() as server:
        hook = (await admin(server, "POST", f"{A}/webhooks/", HOOK)).json["webhook"]
        pinged = await admin(server, "POST", f"{A}/webhooks/{hook['id']}/ping/")
        deliveries = await admin(server, "GET", f"{A}/webhooks/{hook['id']}/deliveries/")
        shown = await admin(server, "GET", f"{A}/events/{pinged.json['event']['id']}/")
    assert pinged.json["event"]["type"] == "ping" == shown.json["event"]["type"]
    assert shown.json["event"]["data"] == {"webhook_id": hook["id"]}
    assert [d["event_type"] for d in deliveries.json["deliveries"]] == ["ping"]


async def test_low_balance_threshold_is_an_admin_setting_that_sends_its_event(api):
    async with api() as server:
        changed = await admin(server, "PATCH", f"{A}/billing/settings/", {"low_balance_threshold": 60000})
        await server.fund("alice", "100000")
        await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
        await server.post("/api/payments/billing/charge/", {"service_type": "consultation"})
        low = await admin(server, "GET", f"{A}/events/?type=wallet.low_balance")
    assert changed.json["settings"]["low_balance_threshold"] == Decimal("60000.00")
    [event] = low.json["events"]  # once per crossing, not on every charge below it
    assert event["user_id"] == "alice" and event["data"]["balance"] == Decimal("50000.00")
