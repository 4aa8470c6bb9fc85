"""The Medical-consultation seed's gateway and payment endpoints, in the seed's shapes."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

P = "/api/payments"
CREATE = {"gateway": "click", "amount": 50000.00, "callback_url": "https://example.com/payment/callback"}


async def _complete(server, payment_id: str) -> None:
    await server.hamyon.settlement.open_attempt("click", UUID(payment_id), f"ext-{payment_id}")
    await server.hamyon.settlement.complete_attempt("click", f"ext-{payment_id}")


async def test_gateways_list_has_the_seeds_fields_and_only_active_rows(api):
    async with api() as server:
        reply = await server.get(f"{P}/gateways/", user=None)
    assert reply.status == 200 and reply.json["success"] is True
    click = next(g for g in reply.json["gateways"] if g["name"] == "click")
    assert click == {"name": "click", "display_name": "Click", "is_active": True,
                     "min_amount": Decimal("1000.00"), "max_amount": Decimal("10000000.00"),
                     "commission_type": "percentage", "commission_percentage": Decimal("2.5"),
                     "commission_fixed": Decimal("0.00"), "default_currency": "UZS"}
    assert '"min_amount":1000.00' in reply.text


async def test_gateway_status_probes_each_active_gateway(api):
    async with api() as server:
        reply = await server.get(f"{P}/gateways/status/", user=None)
    assert reply.status == 200
    click = next(g for g in reply.json["gateways"] if g["name"] == "click")
    assert click == {"gateway": "Click", "name": "click", "available": True,
                     "message": "Service available", "response_time": Decimal("0.234")}
    humo = next(g for g in reply.json["gateways"] if g["name"] == "humo")
    assert humo["available"] is False
    assert reply.json["timestamp"].endswith("Z")


async def test_create_payment_answers_201_with_the_seeds_payment(api):
    async with api() as server:
        reply = await server.post(f"{P}/create/", CREATE)
    assert reply.status == 201
    payment = reply.json["payment"]
    assert set(payment) == {"id", "amount", "total_amount", "commission", "status", "gateway",
                            "payment_url", "expires_at", "currency"}
    assert (payment["amount"], payment["commission"], payment["total_amount"]) == (
        Decimal("50000.00"), Decimal("1250.00"), Decimal("51250.00"))
    assert payment["status"] == "pending" and payment["gateway"] == "Click"
    assert payment["payment_url"].startswith("https://pay.example/click")
    assert payment["expires_at"] == "2026-01-15T07:30:00Z"
    assert '"total_amount":51250.00' in reply.text


async def test_create_refusals_have_their_statuses(api):
    async with api() as server:
        unknown = await server.post(f"{P}/create/", {"gateway": "bitcoin", "amount": 50000})
        not_built = await server.post(f"{P}/create/", {"gateway": "humo", "amount": 50000})
        refused = await server.post(f"{P}/create/", {"gateway": "uzcard", "amount": 50000})
        too_small = await server.post(f"{P}/create/", {"gateway": "click", "amount": 500})
        too_rich = await server.post(f"{P}/create/", {"gateway": "click", "amount": 2_000_000})
        negative = await server.post(f"{P}/create/", {"gateway": "click", "amount": -5})
    assert (unknown.status, unknown.json["error"]) == (404, "Payment gateway not found")
    assert not_built.status == 501
    assert refused.status == 502
    assert (too_small.status, too_small.json["field"]) == (400, "amount")
    assert too_rich.status == 400 and too_rich.json["code"] == "max_balance_exceeded"
    assert (negative.status, negative.json["field"]) == (400, "amount")


async def test_payment_status_is_the_owners_only(api):
    async with api() as server:
        created = (await server.post(f"{P}/create/", CREATE)).json["payment"]
        await _complete(server, created["id"])
        mine = await server.get(f"{P}/{created['id']}/status/")
        theirs = await server.get(f"{P}/{created['id']}/status/", user="bob")
        nonsense = await server.get(f"{P}/not-a-uuid/status/")
        unknown = await server.get(f"{P}/{uuid4()}/status/")
    assert mine.status == 200
    assert mine.json["payment"]["status"] == "completed"
    assert mine.json["payment"]["reference_number"].startswith("PAY-")
    assert mine.json["payment"]["completed_at"] == "2026-01-15T07:00:00Z"
    assert mine.json["payment"]["gateway"] == "click"
    for refused in (theirs, nonsense, unknown):
        assert (refused.status, refused.json["error"]) == (404, "Payment not found")


async def test_status_display_follows_accept_language(api):
    async with api() as server:
        created = (await server.post(f"{P}/create/", CREATE)).json["payment"]
        shown = {}
        for language in ("en", "ru", "uz", "fa"):
            reply = await server.get(f"{P}/{created['id']}/status/",
                                     headers={"Accept-Language": language})
            shown[language] = reply.json["payment"]["status_display"]
        default = await server.get(f"{P}/{created['id']}/status/")
    assert shown == {"en": "Pending", "ru": "Ожидает оплаты", "uz": "kutilmoqda",
                     "fa": "در انتظار پرداخت"}
    assert default.json["payment"]["status_display"] == "kutilmoqda"


async def test_cancel_then_cancel_again_is_409(api):
    async with api() as server:
        created = (await server.post(f"{P}/create/", CREATE)).json["payment"]
        theirs = await server.post(f"{P}/{created['id']}/cancel/", user="bob")
        first = await server.post(f"{P}/{created['id']}/cancel/")
        again = await server.post(f"{P}/{created['id']}/cancel/")
        status = await server.get(f"{P}/{created['id']}/status/")
    assert theirs.status == 404
    assert first.status == 200
    assert first.json == {"success": True, "message": "To'lov muvaffaqiyatli bekor qilindi"}
    assert again.status == 409 and again.json["code"] == "invalid_state_transition"
    assert status.json["payment"]["status"] == "cancelled"


async def test_expired_payment_shows_expired_and_cannot_be_cancelled(api):
    async with api() as server:
        created = (await server.post(f"{P}/create/", CREATE)).json["payment"]
        server.clock.advance(seconds=1801)
        cancel = await server.post(f"{P}/{created['id']}/cancel/")
        status = await server.get(f"{P}/{created['id']}/status/")
    assert cancel.status == 409
    assert status.json["payment"]["status"] == "expired"


async def test_history_is_a_bare_list_newest_first_with_total_count(api):
    async with api() as server:
        for amount in (10000, 20000, 30000):
            await server.post(f"{P}/create/", {"gateway": "click", "amount": amount})
            server.clock.advance(seconds=1)
        await server.post(f"{P}/create/", CREATE, user="bob")
        page = await server.get(f"{P}/history/?per_page=2")
        second = await server.get(f"{P}/history/?per_page=2&page=2")
    assert page.status == 200 and isinstance(page.json, list)
    assert page.headers["X-Total-Count"] == "3"
    assert [item["amount"] for item in page.json] == [Decimal("30000.00"), Decimal("20000.00")]
    assert set(page.json[0]) == {"id", "reference_number", "amount", "status", "status_display",
                                 "created_at", "currency"}
    assert [item["amount"] for item in second.json] == [Decimal("10000.00")]


async def test_estimate_has_the_seeds_shape(api):
    async with api() as server:
        reply = await server.post(f"{P}/estimate/", {"gateway": "click", "amount": 50000.00})
        string_amount = await server.post(f"{P}/estimate/", {"gateway": "click", "amount": "50000.50"})
    assert reply.json == {"success": True, "estimate": {
        "amount": Decimal("50000.00"), "commission": Decimal("1250.00"),
        "total_amount": Decimal("51250.00"), "gateway": "Click",
        "commission_percentage": Decimal("2.5"), "commission_fixed": Decimal("0.00"),
        "currency": "UZS"}}
    assert string_amount.json["estimate"]["commission"] == Decimal("1250.01")


async def test_the_return_endpoint_sends_the_payer_on_with_the_payments_id_and_status(api):
    async with api() as server:
        created = await server.post("/api/payments/create/", {
            "gateway": "click", "amount": 20000, "return_url": "https://shop.example/done?order=9"})
        bare = await server.post("/api/payments/create/", {"gateway": "click", "amount": 20000})
        payment_id, bare_id = created.json["payment"]["id"], bare.json["payment"]["id"]
        back = await server.client.fetch(f"{server.url}/api/payments/{payment_id}/return/",
                                         follow_redirects=False, raise_error=False)
        shown = await server.call("GET", f"/api/payments/{bare_id}/return/", user=None)
        unknown = await server.call("GET", f"/api/payments/{uuid4()}/return/", user=None)
    assert back.code == 303
    assert back.headers["Location"] == \
        f"https://shop.example/done?order=9&payment_id={payment_id}&status=pending"
    assert shown.json == {"success": True, "payment_id": bare_id, "status": "pending"}
    assert unknown.status == 404
