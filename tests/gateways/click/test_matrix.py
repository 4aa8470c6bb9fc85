"""Click's official 15-step test matrix (GATEWAYS.md), walked in order through the live server."""

from __future__ import annotations

from adapters.gateways.click import COMPLETE, PREPARE
from tests.gateways.click.conftest import uzs

UNKNOWN_ORDER = "3f0c1f9e-8a7b-4c55-9d3e-000000000000"


async def test_clicks_fifteen_step_matrix_answers_each_expected_error_and_credits_two_orders(click):
    async with click() as w:
        first, second, third = [await w.topup(amount="10000") for _ in range(3)]
        steps: list[tuple[str, int]] = []

        async def expect(name: str, answer: dict, error: int) -> dict:
            steps.append((name, answer["error"]))
            assert answer["error"] == error, (name, answer)
            return answer

        await expect("1 prepare bad sign", await w.prepare(first, "101", sign_string="0" * 32), -1)
        await expect("2 prepare unknown order", await w.prepare(UNKNOWN_ORDER, "101"), -5)
        prepared = await expect("3 prepare", await w.prepare(first, "101"), 0)
        prepare_id = prepared["merchant_prepare_id"]
        await expect("4 complete bad sign",
                     await w.complete(first, "101", prepare_id, sign_string="f" * 32), -1)
        await expect("5 complete amount 300", await w.complete(first, "101", prepare_id, amount="300"), -2)
        await expect("6 complete", await w.complete(first, "101", prepare_id), 0)
        await expect("7 repeat complete", await w.complete(first, "101", prepare_id), -4)
        await expect("8 complete error -5017 on the paid payment",
                     await w.complete(first, "101", prepare_id, error="-5017"), -9)
        assert await w.status(first) == "completed"

        second_id = (await expect("9 prepare new order", await w.prepare(second, "102"), 0))[
            PREPARE.our_id]
        await expect("10 complete with merchant_prepare_id 999999999",
                     await w.complete(second, "102", 999999999), -6)
        await expect("11 complete", await w.complete(second, "102", second_id), 0)

        third_id = (await expect("12 prepare new order", await w.prepare(third, "103"), 0))[
            PREPARE.our_id]
        await expect("13 complete error -5017", await w.complete(third, "103", third_id, error="-5017"), -9)
        await expect("14 repeat", await w.complete(third, "103", third_id, error="-5017"), -9)
        await expect("15 complete error 0 on the cancelled one", await w.complete(third, "103", third_id), -9)

        assert [error for _, error in steps] == [-1, -5, 0, -1, -2, 0, -4, -9, 0, -6, 0, 0, -9, -9, -9]
        assert await w.balance() == uzs("20000")
        assert [await w.status(p) for p in (first, second, third)] == ["completed", "completed", "pending"]
        assert (await w.hamyon.admin.verify_ledger()).ok


async def test_answers_are_flat_with_clicks_own_fields_and_notes(click):
    async with click() as w:
        order = await w.topup()
        prepared = await w.prepare(order, "201")
        assert prepared == {"click_trans_id": "201", "merchant_trans_id": str(order.id),
                            "merchant_prepare_id": prepared["merchant_prepare_id"], "error": 0,
                            "error_note": "Success"}
        assert isinstance(prepared["merchant_prepare_id"], int) and prepared["merchant_prepare_id"] > 0
        completed = await w.complete(order, "201", prepared["merchant_prepare_id"])
        assert completed == {"click_trans_id": "201", "merchant_trans_id": str(order.id),
                             "merchant_confirm_id": prepared["merchant_prepare_id"], "error": 0,
                             "error_note": "Success"}
        repeat = await w.complete(order, "201", prepared["merchant_prepare_id"])
        assert repeat == {"click_trans_id": "201", "merchant_trans_id": str(order.id),
                          COMPLETE.our_id: None, "error": -4, "error_note": "Already paid"}
