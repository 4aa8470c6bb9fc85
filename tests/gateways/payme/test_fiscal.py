"""Payme's fiscal receipts (GATEWAYS.md, "Payme fiscal receipts"): CheckPerformTransaction's
``detail`` adds up to what Payme collects; SetFiscalData keeps a sale receipt (PERFORM) and a
refund receipt (CANCEL), once each, on every storage backend; the payment's answers show them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import tornado.httpclient

from domain.paging import PageRequest
from entrypoints.http.auth import TokenIssuer
from tests.gateways.payme.conftest import KEY, account, basic, tiyin

MXIK, PACKAGE = "10399001001000000", "1500"
FISCAL = {"topup_mxik_code": MXIK, "topup_package_code": PACKAGE, "topup_vat_percent": 12,
          "topup_receipt_title": "Hamyon hisobini to'ldirish", "fiscal_tin": "123456789"}


def fiscal_data(sign: str = "8800123", **changes: object) -> dict[str, object]:
    return {"receipt_id": "16537", "status_code": 0, "message": "accepted",
            "terminal_id": "EZ000000000123", "fiscal_sign": sign,
            "qr_code_url": f"https://ofd.soliq.uz/check?t=EZ000000000123&r=16537&c=20261204101500&s={sign}",
            "date": "20261204101500", **changes}


async def performed(world, amount: str = "10000"):
    payment = await world.order(amount)
    payme_id = world.payme_id()
    created = await world.rpc("CreateTransaction", {"id": payme_id, "time": world.now_ms,
                                                    "amount": tiyin(payment), "account": account(payment)})
    assert created.result["state"] == 1
    assert (await world.rpc("PerformTransaction", {"id": payme_id})).result["state"] == 2
    return payment, payme_id


async def test_check_perform_lists_the_top_up_and_its_commission_adding_up_to_the_amount(payme):
    async with payme() as world:
        await world.hamyon.admin.update_settings(FISCAL, actor="admin")
        await world.hamyon.admin.update_gateway("payme", {
            "commission_type": "combined", "commission_percentage": "1.5", "commission_fixed": "100.37"},
            actor="admin")
        payment = await world.order("10000.55")
        answer = await world.rpc("CheckPerformTransaction", {"amount": tiyin(payment),
                                                             "account": account(payment)})
    detail = answer.result["detail"]
    assert answer.result["allow"] is True and detail["receipt_type"] == 0
    assert detail["items"] == [
        {"title": "Hamyon hisobini to'ldirish", "price": 1_000_055, "count": 1, "code": MXIK,
         "package_code": PACKAGE, "vat_percent": 12},
        {"title": "Komissiya", "price": payment.commission.minor, "count": 1, "code": MXIK,
         "package_code": PACKAGE, "vat_percent": 12}]
    assert sum(item["price"] * item["count"] for item in detail["items"]) == tiyin(payment)
    assert payment.commission.minor == 25_038  # 1.5 % of 10 000.55 (150.01) + 100.37


async def test_without_an_mxik_code_check_perform_has_no_detail(payme):
    async with payme() as world:
        payment = await world.order()
        answer = await world.rpc("CheckPerformTransaction", {"amount": tiyin(payment),
                                                             "account": account(payment)})
    assert answer.result == {"allow": True}


async def test_set_fiscal_data_keeps_a_sale_then_a_refund_receipt_once_each(payme, backend):
    async with backend() as storage, payme(storage=storage) as world:
        payment, payme_id = await performed(world)
        first = await world.rpc("SetFiscalData", {"id": payme_id, "type": "PERFORM",
                                                  "fiscal_data": fiscal_data()})
        repeat = await world.rpc("SetFiscalData", {"id": payme_id, "type": "PERFORM",
                                                   "fiscal_data": fiscal_data(sign="999")})
        cancelled = await world.rpc("CancelTransaction", {"id": payme_id, "reason": 5})
        refund = await world.rpc("SetFiscalData", {"id": payme_id, "type": "CANCEL",
                                                   "fiscal_data": fiscal_data(sign="7700")})
        receipts = await world.hamyon.fiscal.receipts(payment.id)
        events = (await world.hamyon.webhooks.events(PageRequest(1, 50), type="fiscal.receipt_ready")).items
        logs = [log for log in await world.hamyon.admin.payment_logs(payment.id) if log.type == "fiscal"]
    assert [first.result, repeat.result, refund.result] == [{"success": True}] * 3
    assert (first.status, cancelled.result["state"]) == (200, -2)
    assert [(r.type.value, r.fiscal_sign, r.receipt_id, r.terminal_id) for r in receipts] == [
        ("sale", "8800123", "16537", "EZ000000000123"), ("refund", "7700", "16537", "EZ000000000123")]
    assert receipts[0].registered_at == datetime(2026, 12, 4, 5, 15, tzinfo=UTC)  # 10:15 in Tashkent
    assert [json.loads(e.data)["type"] for e in events] == ["refund", "sale"]  # newest first
    assert len(logs) == 2 and "ofd.soliq.uz" in logs[0].message


async def test_the_payment_answers_show_its_receipts(payme):
    async with payme() as world:
        payment, payme_id = await performed(world)
        await world.rpc("SetFiscalData", {"id": payme_id, "type": "PERFORM", "fiscal_data": fiscal_data()})
        issuer = TokenIssuer("x" * 40)
        mine = await fetch(world, f"/api/payments/{payment.id}/status/", issuer.issue("alice"))
        admin = await fetch(world, f"/api/admin/payments/{payment.id}/", issuer.issue("root", admin=True))
    shown = {"type": "sale", "qr_code_url": fiscal_data()["qr_code_url"], "fiscal_sign": "8800123",
             "terminal_id": "EZ000000000123", "receipt_id": "16537", "status_code": "0",
             "registered_at": "2026-12-04T05:15:00Z"}
    assert mine["payment"]["fiscal_receipts"] == [shown]
    assert admin["fiscal_receipts"] == [shown] and admin["payment"]["id"] == str(payment.id)


async def fetch(world, path: str, token: str) -> dict:
    client = tornado.httpclient.AsyncHTTPClient()
    answer = await client.fetch(world.url + path, headers={"Authorization": f"Bearer {token}"})
    return json.loads(answer.body)


@pytest.mark.parametrize(("params", "code"), [
    ({"id": "0" * 24, "type": "PERFORM", "fiscal_data": fiscal_data()}, -31003),
    ({"type": "PERFORM", "fiscal_data": fiscal_data()}, -32600),
    ({"id": "{id}", "type": "SALE", "fiscal_data": fiscal_data()}, -32600),
    ({"id": "{id}", "fiscal_data": fiscal_data()}, -32600),
    ({"id": "{id}", "type": "PERFORM"}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": []}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": fiscal_data(qr_code_url=None)}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": fiscal_data(status_code="0")}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": fiscal_data(receipt_id=True)}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": fiscal_data(fiscal_sign="a\nb")}, -32600),
    ({"id": "{id}", "type": "PERFORM", "fiscal_data": fiscal_data(message="x" * 600)}, -32600),
])
async def test_a_bad_set_fiscal_data_changes_nothing(payme, params, code):
    async with payme() as world:
        payment, payme_id = await performed(world)
        if params.get("id") == "{id}":
            params = {**params, "id": payme_id}
        answer = await world.rpc("SetFiscalData", params)
        kept = await world.hamyon.fiscal.receipts(payment.id)
    assert (answer.status, answer.code, kept) == (200, code, [])


async def test_set_fiscal_data_with_a_wrong_key_is_32504_and_keeps_nothing(payme):
    async with payme() as world:
        payment, payme_id = await performed(world)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "SetFiscalData",
                           "params": {"id": payme_id, "type": "PERFORM", "fiscal_data": fiscal_data()}})
        answer = await world.send(body, authorization=basic(KEY + "-wrong"))
        kept = await world.hamyon.fiscal.receipts(payment.id)
    assert (answer.status, answer.code, kept) == (200, -32504, [])
