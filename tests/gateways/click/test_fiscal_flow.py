"""Click's fiscal receipts end to end (GATEWAYS.md, "Click fiscal receipts"): a Complete that
credits is answered without a fiscal call; the job then submits the items to the Merchant API
(a fake on loopback that checks ``Auth``), tries again with backoff when Click fails, reads the QR
URL and keeps the receipt, on every storage backend."""

from __future__ import annotations

import json

import pytest

from adapters.gateways.click import COMPLETE, ClickShopApi
from adapters.gateways.click.fiscal import ClickFiscal, ClickReceipts
from adapters.gateways.click.merchant_api import api_url
from adapters.gateways.outgoing import NO_RETRY
from domain.paging import PageRequest
from tests.gateways.click.conftest import CREDENTIALS, ENV, MERCHANT_USER_ID, SECRET, SERVICE_ID
from tests.gateways.click.fake_merchant import QR_CODE_URL, fake_merchant

MXIK = "10399001001000000"
FISCAL = {"topup_mxik_code": MXIK, "topup_package_code": "1500", "topup_vat_percent": 12,
          "fiscal_tin": "123456789"}


def shop(url: str, **options):
    def build(hamyon):
        return ClickShopApi(hamyon, CREDENTIALS, ClickReceipts(ClickFiscal(CREDENTIALS, api_url=url,
                                                                           **options)))
    return build


async def test_complete_answers_at_once_and_the_job_registers_the_receipt(click, backend):
    async with backend() as storage, fake_merchant(MERCHANT_USER_ID, SECRET, failures=1, delay=0.3) as fake, \
            click(storage=storage, protocol=shop(fake.url)) as world:
        await world.hamyon.admin.update_settings(FISCAL, actor="admin")
        payment = await world.topup(amount="10000")
        answer = await world.paid(payment, "7001")
        sent_during_complete = list(fake.requests)
        protocol = shop(fake.url)(world.hamyon)
        submitted = await protocol.submit_receipts()  # the 500 is tried again within the call
        read = await protocol.submit_receipts()
        again = await protocol.submit_receipts()
        receipts = await world.hamyon.fiscal.receipts(payment.id)
        events = (await world.hamyon.webhooks.events(PageRequest(1, 20), type="fiscal.receipt_ready")).items
        logs = [log for log in await world.hamyon.admin.payment_logs(payment.id) if log.type == "fiscal"]
    assert answer["error"] == 0 and sent_during_complete == []  # Complete never waits on Click's OFD
    assert (submitted, read, again) == (1, 1, 0)
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 2  # the 500, then the one that went through
    body = posts[-1].body
    assert body["service_id"] == int(SERVICE_ID) and isinstance(body["payment_id"], int)
    assert body["received_card"] == payment.total_amount.minor
    assert sum(item["Price"] for item in body["items"]) == payment.total_amount.minor
    assert {item["SPIC"] for item in body["items"]} == {MXIK}
    assert [(r.type.value, r.qr_code_url, r.gateway) for r in receipts] == [("sale", QR_CODE_URL, "click")]
    assert len(events) == 1 and json.loads(events[0].data)["qr_code_url"] == QR_CODE_URL
    assert [log.message.split(":")[0] for log in logs] == [
        "click fiscal submit", "click fiscal receipt", "sale receipt registered by click"]
    assert all(SECRET not in log.payload for log in logs)


async def test_the_click_payment_id_sent_is_complete_s_click_paydoc_id(click):
    async with fake_merchant(MERCHANT_USER_ID, SECRET) as fake, click(protocol=shop(fake.url)) as world:
        await world.hamyon.admin.update_settings(FISCAL, actor="admin")
        payment = await world.topup()
        prepared = await world.prepare(payment, "7001")
        form = world.form(COMPLETE, payment, "7001", prepare_id=prepared["merchant_prepare_id"],
                          click_paydoc_id="4710103925")
        assert (await world.post("complete", form)).answer["error"] == 0
        await shop(fake.url)(world.hamyon).submit_receipts()
    assert fake.requests[0].body["payment_id"] == 4710103925


async def test_a_failing_click_is_tried_again_later_with_backoff_then_given_up(click):
    async with fake_merchant(MERCHANT_USER_ID, SECRET, failures=100) as fake, \
            click(protocol=shop(fake.url, retry=NO_RETRY)) as world:
        await world.hamyon.admin.update_settings(FISCAL, actor="admin")
        payment = await world.topup()
        await world.paid(payment, "7001")
        protocol = shop(fake.url, retry=NO_RETRY)(world.hamyon)
        counts = [await protocol.submit_receipts(), await protocol.submit_receipts()]
        calls_at_once = len(fake.requests)
        world.clock.advance(seconds=5)
        counts.append(await protocol.submit_receipts())
        for _ in range(12):  # every delay passes, every try fails
            world.clock.advance(hours=2)
            await protocol.submit_receipts()
        tries = len(fake.requests)
        world.clock.advance(days=1)
        await protocol.submit_receipts()
        receipts = await world.hamyon.fiscal.receipts(payment.id)
    assert counts == [0, 0, 0] and calls_at_once == 1  # the second run found nothing due
    assert tries == 9 and len(fake.requests) == 9  # 1 + 8 delays, then given up: no more calls
    assert receipts == []


async def test_no_receipt_is_asked_for_without_an_mxik_code_nor_for_a_refused_complete(click):
    async with fake_merchant(MERCHANT_USER_ID, SECRET) as fake, click(protocol=shop(fake.url)) as world:
        payment = await world.topup()
        await world.paid(payment, "7001")
        await world.hamyon.admin.update_settings(FISCAL, actor="admin")
        other = await world.topup()
        prepared = await world.prepare(other, "7002")
        await world.complete(other, "7002", prepared["merchant_prepare_id"], error="-5017")
        done = await shop(fake.url)(world.hamyon).submit_receipts()
    assert done == 0 and fake.requests == []


def test_the_merchant_api_url_is_read_from_the_environment():
    assert api_url({**ENV, "HAMYON_CLICK_API_URL": "http://127.0.0.1:9/v2/merchant"}) == \
        "http://127.0.0.1:9/v2/merchant"
    assert api_url(ENV) == "https://api.click.uz/v2/merchant"
    with pytest.raises(ValueError, match="HAMYON_CLICK_API_URL"):
        api_url({**ENV, "HAMYON_CLICK_API_URL": "ftp://example"})
