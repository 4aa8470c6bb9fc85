"""The CrazyMiner endpoints on medogram, end to end in IRR against a fake BitPay server: nothing is
credited before medogram verifies, amount and factorId must match, replays credit nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.gateways.medogram.conftest import CM
from tests.gateways.medogram.fake_bitpay import API_KEY


async def test_create_opens_a_medogram_session_and_answers_processing(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        sent = world.fake.requests_to("gateway-send")
        logs = await world.log_types(created["transaction_id"])
    assert created["payment_url"] == f"{world.fake.url}/payment/gateway-123-get"
    assert created["status"] == "processing" and created["status_display"] == "در حال پردازش"
    assert created["amount"] == Decimal(100000)
    assert [s.body for s in sent] == [{"api": API_KEY, "amount": 100000,
                                       "factorId": created["transaction_id"],
                                       "redirect": "https://shop.example/payment-redirect/"}]
    assert "request" in logs


async def test_verified_callback_credits_the_wallet_and_keeps_the_tracking_code(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        reply = await world.callback(123, "T-77", tracking_code="TRK-9")
        verify = world.fake.requests_to("gateway-result-second")
        status = await world.server.get(f"{CM}/status/{created['transaction_id']}/", user=None)
        balance = await world.balance()
        logs = await world.log_types(created["transaction_id"])
    assert reply.status == 200, reply.text
    assert reply.json == {"success": True, "message": "پرداخت تأیید شد و کیف پول شارژ شد",
                          "transaction_id": created["transaction_id"], "tracking_code": "TRK-9"}
    assert [s.body for s in verify] == [{"api": API_KEY, "id_get": "123", "trans_id": "T-77", "json": 1}]
    assert balance == Decimal(100000)
    assert status.json["status"] == "completed" and status.json["gateway_tracking_code"] == "TRK-9"
    assert {"callback", "request", "verification", "state_change"} <= set(logs)


async def test_verified_before_status_11_also_credits(medogram):
    async with medogram() as world:
        created = await world.create(250000)
        world.fake.verdicts["123"] = "paid_before"
        reply = await world.callback("123")
        assert reply.status == 200
        assert await world.balance() == Decimal(250000)
        assert await world.status(created["transaction_id"]) == "completed"


async def test_replayed_callback_answers_the_same_success_and_credits_nothing(medogram):
    async with medogram() as world:
        await world.create(100000)
        first = await world.callback("123", tracking_code="TRK-1")
        again = await world.callback("123", tracking_code="TRK-1")
        assert (first.status, again.status) == (200, 200)
        assert first.json == again.json
        assert await world.balance() == Decimal(100000)


@pytest.mark.parametrize("verdict", ["refused", "wrong_amount", "wrong_factor"])
async def test_a_refused_verification_or_a_wrong_amount_or_factor_id_is_400_and_credits_nothing(
        medogram, verdict):
    async with medogram() as world:
        created = await world.create(100000)
        world.fake.verdicts["123"] = verdict
        reply = await world.callback("123")
        assert reply.status == 400 and reply.json["code"] == "payment_not_verified"
        assert reply.json["transaction_id"] == created["transaction_id"]
        assert await world.status(created["transaction_id"]) == "processing"
        assert await world.balance() == 0


async def test_a_bare_negative_status_refuses_and_a_bare_positive_one_cannot_be_checked(medogram):
    async with medogram() as world:
        refused = await world.create(100000)
        unchecked = await world.create(100000)
        world.fake.verdicts.update({"123": "bare", "124": "bare"})
        world.fake.bare_status = -4
        no = await world.callback("123")
        world.fake.bare_status = 1
        unknown = await world.callback("124")
        assert no.status == 400 and await world.status(refused["transaction_id"]) == "processing"
        # no amount and factorId to compare: nothing credited, the payment waits for reconciliation
        assert unknown.status == 502 and await world.status(unchecked["transaction_id"]) == "processing"
        assert await world.balance() == 0


async def test_unknown_id_get_is_404_and_medogram_is_not_asked(medogram):
    async with medogram() as world:
        await world.create(100000)
        reply = await world.callback("999")
        assert reply.status == 404
        assert world.fake.requests_to("gateway-result-second") == []


async def test_get_and_form_callbacks_work_like_json_ones(medogram):
    async with medogram() as world:
        by_get = await world.create(100000)
        by_form = await world.create(200000)
        got = await world.server.get(f"{CM}/callback/?trans_id=T-1&id_get=123&tracking_code=G",
                                     user=None)
        form = await world.server.call(
            "POST", f"{CM}/callback/", user=None, body="trans_id=T-2&id_get=124&tracking_code=F",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        missing = await world.server.get(f"{CM}/callback/?trans_id=T-1", user=None)
        assert (got.status, form.status) == (200, 200)
        assert got.json["transaction_id"] == by_get["transaction_id"]
        assert form.json["transaction_id"] == by_form["transaction_id"]
        assert (got.json["tracking_code"], form.json["tracking_code"]) == ("G", "F")
        assert (missing.status, missing.json["field"]) == (400, "id_get")
        assert await world.balance() == Decimal(300000)


async def test_status_and_list_show_the_payment_in_rials(medogram):
    async with medogram() as world:
        created = await world.create(100000)
        await world.callback("123")
        listed = await world.server.get(f"{CM}/list/")
        status = await world.server.get(f"{CM}/status/{created['transaction_id']}/", user=None,
                                        headers={"Accept-Language": "en"})
    assert listed.json["count"] == 1
    assert listed.json["results"][0]["status"] == "completed"
    assert status.json["status_display"] == "Completed" and status.json["amount"] == Decimal(100000)
    assert status.json["completed_at"] is not None and "payment_url" not in status.json
