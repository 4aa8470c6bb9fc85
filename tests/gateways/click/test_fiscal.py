"""Click's fiscal receipts against a fake Merchant API on loopback: the exact ``submit_items`` body,
the Auth header, retries within a call, calls that fail without raising, and the receipt's QR URL."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest

from adapters.gateways.click import ClickCredentials
from adapters.gateways.click.fiscal import ClickFiscal, FiscalCall
from adapters.gateways.outgoing import NO_RETRY, OutgoingRetry
from domain.fiscal import ReceiptLine
from tests.gateways.click.conftest import CREDENTIALS, MERCHANT_ID, MERCHANT_USER_ID, SECRET, SERVICE_ID
from tests.gateways.click.fake_merchant import QR_CODE_URL, fake_merchant
from tests.http.loopback import closed_port_url

NOW = 1_768_460_400  # the Auth header's Unix time, fixed
FAST = OutgoingRetry(attempts=3, first_wait=0.01, max_wait=0.02)
CLICK_PAYMENT_ID = "1234567"
TIN = "123456789"
MXIK, PACKAGE = "10305008002000000", "1505107"
TOPUP = ReceiptLine("Hamyon to'ldirish", 1_000_000, 1, MXIK, PACKAGE, 12)
COMMISSION = ReceiptLine("Komissiya", 25_100, 1, MXIK, PACKAGE, 12)


def fiscal(url: str, credentials: ClickCredentials = CREDENTIALS, **options: Any) -> ClickFiscal:
    return ClickFiscal(credentials, api_url=url, unix_time=lambda: NOW, **{"retry": FAST, **options})


def merchant(**script: Any) -> Any:
    return fake_merchant(MERCHANT_USER_ID, SECRET, now=NOW, **script)


async def test_submit_items_sends_clicks_exact_body_for_a_topup_and_its_commission(io_loop):
    async with merchant() as fake:
        call = await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP, COMMISSION], TIN)
    assert (call.ok, call.retryable, call.error_code, call.note) == (True, False, 0, "Success")
    [received] = fake.requests
    assert (received.method, received.path) == ("POST", "/v2/merchant/payment/ofd_data/submit_items")
    assert received.headers["Accept"] == received.headers["Content-Type"] == "application/json"
    assert received.body == {
        "service_id": 30001, "payment_id": 1234567,
        "items": [
            {"Name": "Hamyon to'ldirish", "SPIC": MXIK, "PackageCode": PACKAGE, "GoodPrice": 1_000_000,
             "Price": 1_000_000, "Amount": 1, "VAT": 107_143, "VATPercent": 12,
             "CommissionInfo": {"TIN": TIN}},
            {"Name": "Komissiya", "SPIC": MXIK, "PackageCode": PACKAGE, "GoodPrice": 25_100,
             "Price": 25_100, "Amount": 1, "VAT": 2_689, "VATPercent": 12,
             "CommissionInfo": {"TIN": TIN}},
        ],
        "received_ecash": 0, "received_cash": 0, "received_card": 1_025_100,
    }


def test_a_line_of_several_units_prices_one_unit_and_a_14_digit_tin_is_a_pinfl():
    three = ReceiptLine("Obuna", 50_000, 3, MXIK, PACKAGE, 12)
    body = ClickFiscal(CREDENTIALS).submit_body(CLICK_PAYMENT_ID, [three], "12345678901234")
    [item] = body["items"]
    assert (item["GoodPrice"], item["Price"], item["Amount"], item["VAT"]) == (50_000, 150_000, 3, 16_071)
    assert item["CommissionInfo"] == {"PINFL": "12345678901234"}
    assert body["received_card"] == 150_000


async def test_the_auth_header_verifies_and_a_wrong_secret_is_refused_for_good(io_loop):
    async with merchant() as fake:
        assert (await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)).ok
        digest = hashlib.sha1(f"{NOW}{SECRET}".encode()).hexdigest()
        assert fake.requests[0].headers["Auth"] == f"{MERCHANT_USER_ID}:{digest}:{NOW}"
        wrong = ClickCredentials(SERVICE_ID, MERCHANT_ID, "not-the-secret", MERCHANT_USER_ID)
        refused = await fiscal(fake.url, wrong).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)
    assert (refused.ok, refused.retryable, refused.error_code) == (False, False, -1)
    assert "HTTP 401" in refused.note and "Authorization failed" in refused.note
    assert len(fake.requests) == 2  # a refusal is not retried


async def test_a_server_error_is_retried_within_the_call(io_loop):
    async with merchant(failures=1) as fake:
        call = await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)
    assert call.ok and len(fake.requests) == 2


async def test_when_every_try_fails_the_call_says_try_again_later_without_raising(io_loop):
    async with merchant(failures=99) as fake:
        call = await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)
    assert (call.ok, call.retryable, call.error_code) == (False, True, None)
    assert "HTTP 500" in call.note and len(fake.requests) == 3
    unreachable = await fiscal(f"{closed_port_url()}/v2/merchant").receipt(CLICK_PAYMENT_ID)
    assert (unreachable.ok, unreachable.retryable) == (False, True)


async def test_a_slow_answer_beyond_the_timeout_is_given_up_on_and_retryable(io_loop):
    async with merchant(delay=1.0) as fake:
        started = time.perf_counter()
        call = await fiscal(fake.url, retry=NO_RETRY, timeout=0.2).submit_items(
            CLICK_PAYMENT_ID, [TOPUP], TIN)
        waited = time.perf_counter() - started
    assert (call.ok, call.retryable) == (False, True)
    assert waited < 0.9


@pytest.mark.parametrize("answer", [{"error_code": -5, "error_note": "Payment not found"},
                                    {"error_code": 3}])
async def test_a_non_zero_error_code_is_a_final_refusal(io_loop, answer):
    async with merchant(submit_answer=answer) as fake:
        call = await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)
    assert (call.ok, call.retryable, call.error_code) == (False, False, answer["error_code"])
    assert answer.get("error_note", "error_code") in call.note
    assert len(fake.requests) == 1


@pytest.mark.parametrize("answer", ["<html>Bad gateway</html>", {"error_note": "?"},
                                    {"error_code": "0"}])
async def test_an_unreadable_answer_is_worth_another_try_later(io_loop, answer):
    async with merchant(submit_answer=answer) as fake:
        call = await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN)
    assert (call.ok, call.retryable) == (False, True)


@pytest.mark.parametrize("field", ["qrCodeURL", "qr_code_url"])
async def test_receipt_reads_the_qr_code_url_of_the_registered_receipt(io_loop, field):
    async with merchant(receipt_answer={"error_code": 0, field: QR_CODE_URL}) as fake:
        call = await fiscal(fake.url).receipt(CLICK_PAYMENT_ID)
    assert (call.ok, call.qr_code_url) == (True, QR_CODE_URL)
    [received] = fake.requests
    assert (received.method, received.path) == ("GET", f"/v2/merchant/payment/ofd_data/{SERVICE_ID}/1234567")
    assert received.headers["Auth"].startswith(f"{MERCHANT_USER_ID}:")


async def test_receipt_as_clicks_docs_show_it_and_one_not_registered_yet(io_loop):
    async with merchant() as fake:  # {"paymentId": …, "qrCodeURL": …}, without error_code
        assert (await fiscal(fake.url).receipt(CLICK_PAYMENT_ID)).qr_code_url == QR_CODE_URL
    async with merchant(receipt_answer={"error_code": 0, "qrCodeURL": ""}) as fake:
        pending = await fiscal(fake.url).receipt(CLICK_PAYMENT_ID)
    assert (pending.ok, pending.retryable, pending.qr_code_url) == (False, True, "")


async def test_the_logged_call_keeps_what_was_sent_but_no_auth_header_or_secret(io_loop):
    async with merchant() as fake:
        calls = [await fiscal(fake.url).submit_items(CLICK_PAYMENT_ID, [TOPUP], TIN),
                 await fiscal(fake.url).receipt(CLICK_PAYMENT_ID)]
    digest = hashlib.sha1(f"{NOW}{SECRET}".encode()).hexdigest()
    for call in calls:
        assert set(call.request) == {"method", "path", "body"}
        texts = _texts(call)
        assert "Auth" not in texts
        assert all(SECRET not in text and digest not in text for text in texts)
    assert calls[0].request["body"]["payment_id"] == 1234567 and calls[1].request["body"] is None


@pytest.mark.parametrize("payment_id", ["", "12a4", "-5", "١٢٣", "1" * 20, "PAY-1-ABCDEF12"])
async def test_an_id_that_is_not_clicks_payment_id_is_refused_without_a_call(io_loop, payment_id):
    async with merchant() as fake:
        calls = [await fiscal(fake.url).submit_items(payment_id, [TOPUP], TIN),
                 await fiscal(fake.url).receipt(payment_id)]
    assert all((call.ok, call.retryable, call.request) == (False, False, {}) for call in calls)
    assert fake.requests == []


@pytest.mark.parametrize(("credentials", "lines", "tin"), [
    (ClickCredentials(SERVICE_ID, MERCHANT_ID, SECRET), [TOPUP], TIN),  # no merchant user id
    (CREDENTIALS, [], TIN),
    (CREDENTIALS, [TOPUP], ""),
    (CREDENTIALS, [TOPUP], "1234567890"),
])
async def test_what_click_would_refuse_is_not_sent(io_loop, credentials, lines, tin):
    async with merchant() as fake:
        call = await fiscal(fake.url, credentials).submit_items(CLICK_PAYMENT_ID, lines, tin)
    assert (call.ok, call.retryable) == (False, False) and call.note
    assert fake.requests == []


def _texts(call: FiscalCall) -> list[str]:
    """Every text of the logged call, keys and values, at any depth."""
    def walk(value: object) -> list[str]:
        if isinstance(value, dict):
            return [text for key, item in value.items() for text in [str(key), *walk(item)]]
        if isinstance(value, list):
            return [text for item in value for text in walk(item)]
        return [str(value)]
    return [*walk(call.request), call.note, call.answer]
