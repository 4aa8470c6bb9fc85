"""Each of Click's refusals, the order they are checked in, and HTTP 200 whatever comes in."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from adapters.gateways.click import COMPLETE, PREPARE
from tests.gateways.click.conftest import uzs

NOBODY = "3f0c1f9e-8a7b-4c55-9d3e-000000000000"


async def test_action_other_than_the_endpoints_own_is_action_not_found(click):
    async with click() as w:
        order = await w.topup()
        assert (await w.prepare(order, "501", action="1"))["error"] == -3
        assert (await w.prepare(order, "501", action="2"))["error"] == -3
        assert (await w.complete(order, "501", 1, action="0"))["error"] == -3
        wrong = await w.prepare(order, "501", action="1")
        assert wrong["error_note"] == "Action not found" and await w.status(order) == "pending"


@pytest.mark.parametrize("missing", PREPARE.required)
async def test_a_missing_field_is_error_in_request_from_click(click, missing):
    async with click() as w:
        order = await w.topup()
        form = w.form(PREPARE, order, "601")
        del form[missing]
        reply = await w.post("prepare", form)
        assert (reply.status, reply.error) == (200, -8)
        assert reply.answer["error_note"] == "Error in request from click"


@pytest.mark.parametrize(("name", "value"), [
    ("amount", "abc"), ("amount", "1e3"), ("amount", "10,250"), ("amount", "NaN"), ("error", "x"),
    ("click_trans_id", "12a"), ("service_id", "30001 "), ("merchant_prepare_id", "abc"),
    ("merchant_prepare_id", ""), ("sign_time", ""), ("merchant_trans_id", "x" * 200),
])
async def test_a_malformed_field_is_error_in_request_from_click(click, name, value):
    async with click() as w:
        order = await w.topup()
        prepared = await w.prepare(order, "602")
        # signed over the malformed value: the format check comes before the signature
        click_trans_id, fields = (value, {}) if name == "click_trans_id" else ("602", {name: value})
        form = w.form(COMPLETE, order, click_trans_id, prepare_id=prepared["merchant_prepare_id"], **fields)
        reply = await w.post("complete", form)
        assert (reply.status, reply.error) == (200, -8)
        assert await w.balance() == uzs("0")


async def test_bodies_that_are_not_clicks_form_still_answer_200(click):
    async with click() as w:
        order = await w.topup()
        form = w.form(PREPARE, order, "603")
        twice = urlencode(form) + "&amount=1"
        replies = [
            await w.post("prepare", body="{}", headers={"Content-Type": "application/json"}),
            await w.post("prepare", body=""),
            await w.post("prepare", body=twice),
            await w.post("prepare", body=b"click_trans_id=\xff\xfe"),
            await w.post("prepare", body="x=" + "a" * (70 * 1024)),
            await w.post("complete", method="GET"),
        ]
        assert [(r.status, r.error) for r in replies] == [(200, -8)] * len(replies)
        assert await w.status(order) == "pending"


async def test_checks_run_in_clicks_order(click):
    async with click() as w:
        paid, cancelled = await w.topup(), await w.topup()
        await w.paid(paid, "701")
        await w.hamyon.payments.cancel("alice", cancelled.id)
        missing_and_forged = w.form(PREPARE, paid, "702", sign_string="0" * 32)
        del missing_and_forged["sign_time"]
        assert (await w.post("prepare", missing_and_forged)).error == -8  # -8 before -1
        forged = await w.prepare(NOBODY, "702", action="1", sign_string="0" * 32)
        assert forged["error"] == -1  # -1 before -3
        assert (await w.prepare(NOBODY, "702", action="1"))["error"] == -3  # -3 before -5
        assert (await w.complete(NOBODY, "702", 999))["error"] == -5  # -5 before -6
        assert (await w.complete(paid, "702", 999, error="-5017"))["error"] == -6  # -6 before Click's error
        assert (await w.prepare(paid, "702", amount="1"))["error"] == -4  # -4 before -2
        assert (await w.prepare(cancelled, "702", amount="1"))["error"] == -2  # -2 before -9
        assert (await w.prepare(cancelled, "702"))["error"] == -9


async def test_amounts_compare_as_decimals_within_one_tiyin(click):
    async with click() as w:
        order = await w.topup(amount="10000")  # total 10250.00
        answers = [(await w.prepare(order, str(800 + n), amount=amount))["error"]
                   for n, amount in enumerate(["10249.98", "10251", "-10250", "10250.01", "10249.990"])]
        assert answers == [-2, -2, -2, 0, 0]


async def test_unknown_orders_are_user_does_not_exist(click):
    async with click() as w:
        order = await w.topup()
        for unknown in (NOBODY, "ord-1", str(order.id).upper(), "{" + str(order.id) + "}"):
            reply = await w.prepare(unknown, "901")
            assert (reply["error"], reply["error_note"]) == (-5, "User does not exist")
        assert await w.status(order) == "pending"


async def test_complete_must_name_a_prepared_attempt_of_the_same_order(click):
    async with click() as w:
        mine, theirs = await w.topup(), await w.topup(user="bob")
        prepared = (await w.prepare(theirs, "1001"))["merchant_prepare_id"]
        never_prepared = await w.complete(mine, "1002", prepared)
        someone_elses = await w.complete(mine, "1001", prepared)
        assert [never_prepared["error"], someone_elses["error"]] == [-6, -6]
        assert never_prepared["error_note"] == "Transaction does not exist"
        assert await w.balance("alice") == uzs("0") and await w.balance("bob") == uzs("0")


async def test_prepare_on_a_cancelled_payment_is_cancelled_and_credits_nothing(click):
    async with click() as w:
        order, prepared_first = await w.topup(), await w.topup()
        prepare_id = (await w.prepare(prepared_first, "1101"))["merchant_prepare_id"]
        for payment in (order, prepared_first):
            await w.hamyon.payments.cancel("alice", payment.id)
        refused = await w.prepare(order, "1102")
        late = await w.complete(prepared_first, "1101", prepare_id)
        assert (refused["error"], refused["error_note"], late["error"]) == (-9, "Transaction cancelled", -9)
        assert await w.balance() == uzs("0")
        assert [await w.status(p) for p in (order, prepared_first)] == ["cancelled", "cancelled"]


async def test_prepare_or_complete_after_expiry_is_cancelled_and_credits_nothing(click):
    async with click() as w:
        order, prepared_first = await w.topup(), await w.topup()
        prepare_id = (await w.prepare(prepared_first, "1201"))["merchant_prepare_id"]
        w.clock.advance(seconds=1801)  # past the 30-minute payment TTL; no sweeper has run
        assert (await w.prepare(order, "1202"))["error"] == -9
        assert (await w.complete(prepared_first, "1201", prepare_id))["error"] == -9
        assert await w.balance() == uzs("0")
        assert [await w.status(p) for p in (order, prepared_first)] == ["expired", "expired"]
        attempt = await w.hamyon.settlement.attempt("click", "1201")
        assert (attempt.status.value, attempt.cancel_reason) == ("cancelled", 4)


async def test_click_giving_up_cancels_the_attempt_and_a_new_attempt_can_pay(click):
    async with click() as w:
        order = await w.topup()
        assert (await w.prepare(order, "1301", error="-5017"))["error"] == -9  # nothing held yet
        assert await w.status(order) == "pending"
        prepare_id = (await w.prepare(order, "1302"))["merchant_prepare_id"]
        assert (await w.complete(order, "1302", prepare_id, error="-5017"))["error"] == -9
        assert await w.status(order) == "pending"
        cancelled = await w.hamyon.settlement.attempt("click", "1302")
        assert (cancelled.status.value, cancelled.cancel_reason) == ("cancelled", -5017)
        assert (await w.paid(order, "1303"))["error"] == 0  # a cancelled attempt blocks nothing
        assert await w.balance() == uzs("10000")


async def test_of_several_prepared_attempts_one_completes_and_the_rest_are_already_paid(click):
    async with click() as w:
        order = await w.topup()
        first, second = [(await w.prepare(order, ctid))["merchant_prepare_id"] for ctid in ("1401", "1402")]
        assert first != second
        assert (await w.complete(order, "1402", second))["error"] == 0
        assert (await w.complete(order, "1401", first))["error"] == -4
        assert await w.balance() == uzs("10000")
        assert (await w.hamyon.settlement.attempt("click", "1401")).status.value == "cancelled"


async def test_a_click_trans_id_past_2_to_the_53_is_echoed_exactly(click):
    async with click() as w:
        order = await w.topup()
        big = str(2**53 + 1) + "0123"
        prepared = await w.prepare(order, big)
        completed = await w.complete(order, big, prepared["merchant_prepare_id"])
        assert (prepared["click_trans_id"], completed["click_trans_id"]) == (big, big)
        assert completed["error"] == 0 and await w.balance() == uzs("10000")
        assert (await w.hamyon.settlement.attempt("click", big)).status.value == "completed"


async def test_without_click_credentials_every_call_answers_200_sign_check_failed(click):
    async with click(configured=False) as w:
        order = await w.topup()
        for step, form in (("prepare", w.form(PREPARE, order, "1501")),
                           ("complete", w.form(COMPLETE, order, "1501", prepare_id=1))):
            reply = await w.post(step, form)
            assert (reply.status, reply.error) == (200, -1)
            assert "not configured" in reply.answer["error_note"]
        assert await w.status(order) == "pending"


class Exploding:
    name = "click"

    async def prepare(self, form):
        raise RuntimeError("the database went away")


async def test_an_internal_failure_answers_200_failed_to_update_user(click):
    async with click(protocol=Exploding()) as w:
        order = await w.topup()
        reply = await w.post("prepare", w.form(PREPARE, order, "1601"))
        assert (reply.status, reply.error, reply.answer["error_note"]) == (200, -7, "Failed to update user")
        assert reply.answer["click_trans_id"] == "1601"


async def test_every_call_is_written_in_the_payment_log_without_its_signature(click):
    async with click() as w:
        order = await w.topup()
        await w.paid(order, "1701")
        callbacks = [log for log in await w.hamyon.admin.payment_logs(order.id) if log.type == "callback"]
        assert [log.message for log in callbacks] == [
            "click prepare: click_trans_id 1701, click error 0",
            "click complete: click_trans_id 1701, click error 0"]
        assert all("sign_string" not in log.payload and "1701" in log.payload for log in callbacks)
