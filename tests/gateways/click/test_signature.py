"""The signature: MD5 over the raw strings with the secret, Click's golden vectors, constant-time
comparison, and amounts hashed exactly as sent."""

from __future__ import annotations

import hashlib

from adapters.gateways.click import COMPLETE, PREPARE, ClickCredentials, sign_string
from tests.gateways.click.conftest import uzs

GOLDEN = {"click_trans_id": "1", "service_id": "2", "click_paydoc_id": "3", "merchant_trans_id": "ord1",
          "amount": "10.00", "error": "0", "error_note": "Success", "sign_time": "2020-01-01 00:00:00"}
GOLDEN_PREPARE = {**GOLDEN, "action": "0", "sign_string": "168c51e799b06cfb574b602bfe9f8af2"}
GOLDEN_COMPLETE = {**GOLDEN, "action": "1", "merchant_prepare_id": "99",
                   "sign_string": "78788de0be2f8ce2d09eb33bf2eca455"}
GOLDEN_CREDENTIALS = ClickCredentials("2", "77", "secret")


def test_golden_vectors_sign_the_raw_strings_in_clicks_order():
    assert sign_string("secret", GOLDEN_PREPARE, PREPARE) == "168c51e799b06cfb574b602bfe9f8af2"
    assert sign_string("secret", GOLDEN_COMPLETE, COMPLETE) == "78788de0be2f8ce2d09eb33bf2eca455"
    for text, golden in ((b"12secretord110.0002020-01-01 00:00:00", GOLDEN_PREPARE),
                         (b"12secretord19910.0012020-01-01 00:00:00", GOLDEN_COMPLETE)):
        assert hashlib.md5(text).hexdigest() == golden["sign_string"]


async def test_the_server_accepts_the_golden_signatures_and_refuses_one_changed_character(click):
    async with click(credentials=GOLDEN_CREDENTIALS) as w:
        prepare = await w.post("prepare", GOLDEN_PREPARE)
        complete = await w.post("complete", GOLDEN_COMPLETE)
        # The signature holds, so the next check speaks: order "ord1" is not one of ours.
        assert (prepare.status, prepare.error, complete.status, complete.error) == (200, -5, 200, -5)
        forged = await w.post("prepare", {**GOLDEN_PREPARE,
                                          "sign_string": "168c51e799b06cfb574b602bfe9f8af3"})
        no_prepare_id = {**GOLDEN_COMPLETE, "merchant_prepare_id": "98"}
        assert (forged.error, (await w.post("complete", no_prepare_id)).error) == (-1, -1)


async def test_amount_1000_and_1000_00_are_both_accepted_when_equal_and_hashed_as_sent(click):
    async with click() as w:
        order = await w.topup(amount="10000")  # total 10250.00 with the 2.5 % commission
        prepared = await w.prepare(order, "301", amount="10250")
        assert prepared["error"] == 0
        completed = await w.complete(order, "301", prepared["merchant_prepare_id"], amount="10250.00")
        assert completed["error"] == 0 and await w.balance() == uzs("10000")

        other = await w.topup(amount="10000")
        reformatted = w.form(PREPARE, other, "302", amount="10250.00")
        reformatted["amount"] = "10250"  # signed over 10250.00 but sent as 10250: not what was signed
        assert (await w.post("prepare", reformatted)).error == -1


async def test_a_wrong_service_id_is_a_sign_failure_even_when_correctly_signed(click):
    async with click() as w:
        order = await w.topup()
        assert (await w.prepare(order, "401", service_id="99999"))["error"] == -1
        prepared = await w.prepare(order, "401")
        completed = await w.complete(order, "401", prepared["merchant_prepare_id"], service_id="99999")
        assert completed["error"] == -1 and await w.status(order) == "processing"
