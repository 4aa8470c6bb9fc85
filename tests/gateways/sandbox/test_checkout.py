"""The sandbox checkout over HTTP: the page, Pay and Cancel through the redirect flow, signed
callbacks (forged or replayed ones change nothing), and the sandbox being off."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from uuid import UUID

from adapters.gateways.sandbox import SANDBOX, sandbox_gateway
from domain.paging import PageRequest
from entrypoints.settings import load_settings

NO_DOTENV = Path("/nonexistent/.env")


async def test_the_page_shows_the_payment_with_pay_and_cancel_and_loads_nothing_external(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        page = await world.server.get(f"/sandbox/pay/{payment['id']}", user=None)
        stored = await world.server.hamyon.admin.payment(UUID(payment["id"]))
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert stored.reference_number in page.text
    assert "50\u00a0000,00\u00a0UZS" in page.text  # uz, the default: "50 000,00 UZS"
    assert 'id="status">Jarayonda<' in page.text and 'data-status="processing"' in page.text
    assert 'id="pay"' in page.text and 'id="cancel"' in page.text
    assert not re.search(r"<script|<link|<img|src=|https?://", page.text)
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]  # the browser refuses any


async def test_pay_credits_the_wallet_once_and_sends_the_payer_to_the_return_url(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000, return_url=world.shop_url)
        pressed = await world.press(payment["id"], "pay")
        again = await world.press(payment["id"], "pay")
        assert (pressed.code, again.code) == (303, 303)
        assert pressed.headers["Location"] == f"{world.shop_url}?payment_id={payment['id']}&status=completed"
        assert again.headers["Location"] == pressed.headers["Location"]
        assert await world.balance() == Decimal("50000.00")
        assert await world.status(payment["id"]) == "completed"
        logs = [log.type for log in await world.server.hamyon.admin.payment_logs(UUID(payment["id"]))]
    assert {"callback", "request", "verification", "state_change"} <= set(logs)


async def test_cancel_cancels_the_payment_and_credits_nothing(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000, callback_url=world.shop_url)
        pressed = await world.press(payment["id"], "cancel")
        pay_after = await world.press(payment["id"], "pay")
        assert pressed.code == 303
        assert pressed.headers["Location"] == f"{world.shop_url}?payment_id={payment['id']}&status=cancelled"
        assert pay_after.code == 409  # cancelled: a later confirmation is refused
        assert await world.status(payment["id"]) == "cancelled"
        assert await world.balance() == 0


async def test_without_return_url_the_payer_lands_on_the_built_in_done_page(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        pressed = await world.press(payment["id"], "pay")
        done = await world.server.get(pressed.headers["Location"], user=None)
    assert pressed.headers["Location"] == f"/sandbox/done/{payment['id']}"
    assert done.status == 200 and 'data-status="completed"' in done.text
    assert 'id="status">Yakunlangan<' in done.text and 'class="mark success"' in done.text
    assert 'id="pay"' not in done.text


async def test_a_signed_callback_credits_once_and_a_forged_one_changes_nothing(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        stored = await world.server.hamyon.admin.payment(UUID(payment["id"]))
        signed = world.gateway.signed_callback(stored, "pay")
        forged = {**signed, "signature": "0" * 64}
        cancel_forged = {**signed, "action": "cancel"}  # the pay signature does not sign a cancel
        refused = [await world.server.post("/sandbox/callback/", body, user=None)
                   for body in (forged, cancel_forged)]
        assert [reply.status for reply in refused] == [403, 403]
        assert await world.status(payment["id"]) == "processing" and await world.balance() == 0
        first = await world.server.post("/sandbox/callback/", signed, user=None)
        replay = await world.server.post("/sandbox/callback/", signed, user=None)
        assert (first.json["result"], replay.json["result"]) == ("credited", "already_credited")
        assert await world.balance() == Decimal("50000.00")
        logs = await world.server.hamyon.admin.payment_logs(UUID(payment["id"]))
    assert sum(log.type == "error" and "signature" in log.message for log in logs) == 2


async def test_a_signature_fits_only_its_own_payment(sandbox):
    async with sandbox() as world:
        mine = await world.create(50000)
        other = await world.create(50000)
        stored = await world.server.hamyon.admin.payment(UUID(mine["id"]))
        other_session = (await world.server.hamyon.admin.payment(UUID(other["id"]))).external_id
        borrowed = {**world.gateway.signed_callback(stored, "pay"), "id_get": other_session}
        reply = await world.server.post("/sandbox/callback/", borrowed, user=None)
        assert reply.status == 403 and await world.balance() == 0


async def test_other_gateways_payments_and_unknown_ids_have_no_sandbox_page(sandbox):
    async with sandbox() as world:
        unknown = await world.server.get("/sandbox/pay/00000000-0000-0000-0000-000000000000", user=None)
        nonsense = await world.server.get("/sandbox/pay/42", user=None)
        bad_action = await world.press((await world.create(50000))["id"], "steal")
    assert (unknown.status, nonsense.status) == (404, 404)
    assert bad_action.code == 400


async def test_with_the_sandbox_off_its_pages_are_not_found(sandbox):
    async with sandbox(on=False) as world:
        payment = await world.create(50000)
        page = await world.server.get(f"/sandbox/pay/{payment['id']}", user=None)
        pressed = await world.press(payment["id"], "pay")
        assert (page.status, pressed.code) == (404, 404)
        assert await world.balance() == 0


def test_the_sandbox_is_on_in_development_and_off_when_switched_off():
    development = load_settings({}, dotenv=NO_DOTENV)
    switched_off = load_settings({"HAMYON_SANDBOX": "0"}, dotenv=NO_DOTENV)
    assert sandbox_gateway(development) is not None
    assert sandbox_gateway(switched_off) is None and SANDBOX.inbound(switched_off, None) is None


async def test_the_platforms_own_query_is_kept_and_its_payment_id_and_status_are_replaced(sandbox):
    async with sandbox() as world:
        back = f"{world.shop_url}?order=77&status=paid&payment_id=forged#receipt"
        payment = await world.create(50000, return_url=back)
        pressed = await world.press(payment["id"], "pay")
    assert pressed.headers["Location"] == \
        f"{world.shop_url}?order=77&payment_id={payment['id']}&status=completed#receipt"


async def test_a_sandbox_payment_shows_a_simulated_sale_receipt_and_its_refund_a_refund_receipt(sandbox):
    async with sandbox() as world:
        payment = await world.create(50000)
        await world.press(payment["id"], "pay")
        await world.press(payment["id"], "pay")  # a repeat registers nothing more
        paid = (await world.server.get(f"/api/payments/{payment['id']}/status/")).json["payment"]
        refunded = await world.server.call("POST", f"/api/admin/payments/{payment['id']}/refund/",
                                           user="root", admin=True, json_body={})
        shown = (await world.server.call("GET", f"/api/admin/payments/{payment['id']}/", user="root",
                                         admin=True)).json
        events = (await world.server.hamyon.webhooks.events(
            PageRequest(1, 20), type="fiscal.receipt_ready")).items
    assert [r["type"] for r in paid["fiscal_receipts"]] == ["sale"]
    assert paid["fiscal_receipts"][0]["terminal_id"] == "SANDBOX-TERMINAL"
    assert refunded.status == 200
    assert [r["type"] for r in shown["fiscal_receipts"]] == ["sale", "refund"]
    assert len(events) == 2 and {json.loads(e.data)["payment_id"] for e in events} == {payment["id"]}
