"""Fiscal receipts and the receipts still to be asked for, alike on every backend: one receipt of
each type per payment (a repeat changes nothing), one submission per payment, found due by time."""

from __future__ import annotations

import uuid
from datetime import timedelta

import attrs

from domain.fiscal import FiscalReceipt, FiscalSubmission, ReceiptType, SubmissionState
from tests.contract.builders import NOW


def receipt(payment_id, kind=ReceiptType.SALE, *, sign="8800123", minutes=0) -> FiscalReceipt:
    return FiscalReceipt(payment_id, kind, "payme", "rcpt-1", "0", sign, "EZ000000000123",
                         "https://ofd.soliq.uz/check?t=EZ000000000123&r=1&c=20261204&s=8800123",
                         NOW + timedelta(minutes=minutes), "Accepted")


def submission(payment_id, *, due_in=0, state=SubmissionState.PENDING) -> FiscalSubmission:
    return FiscalSubmission(payment_id, "click", "4710103925", NOW, NOW + timedelta(minutes=due_in),
                            state=state)


async def test_a_payment_keeps_one_receipt_of_each_type_and_a_repeat_changes_nothing(storage):
    async with storage() as s:
        paid = uuid.uuid4()
        async with s.unit_of_work() as uow:
            added = [await uow.fiscal.add_receipt(receipt(paid, ReceiptType.REFUND, minutes=1)),
                     await uow.fiscal.add_receipt(receipt(paid)),
                     await uow.fiscal.add_receipt(receipt(paid, sign="other"))]
            await uow.commit()
        async with s.unit_of_work(write=False) as uow:
            kept = await uow.fiscal.receipts(paid)
            other = await uow.fiscal.receipts(uuid.uuid4())
    assert added == [True, True, False]
    assert kept == [receipt(paid), receipt(paid, ReceiptType.REFUND, minutes=1)]
    assert other == []


async def test_a_receipt_added_in_a_rolled_back_unit_is_not_kept(storage):
    async with storage() as s:
        paid = uuid.uuid4()
        async with s.unit_of_work() as uow:
            await uow.fiscal.add_receipt(receipt(paid))
        async with s.unit_of_work(write=False) as uow:
            assert await uow.fiscal.receipts(paid) == []


async def test_one_submission_per_payment_changed_by_save_and_due_by_time(storage):
    async with storage() as s:
        first, later, done = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        async with s.unit_of_work() as uow:
            await uow.fiscal.add_submission(submission(later, due_in=10))
            await uow.fiscal.add_submission(submission(first))
            await uow.fiscal.add_submission(submission(first, due_in=99))  # a second changes nothing
            await uow.fiscal.add_submission(submission(done, state=SubmissionState.DONE))
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.fiscal.due_submissions(NOW, 10) == [first]
            assert await uow.fiscal.due_submissions(NOW + timedelta(minutes=10), 10) == [first, later]
            assert await uow.fiscal.due_submissions(NOW + timedelta(minutes=10), 1) == [first]
            found = await uow.fiscal.lock_submission(first)
            assert found == submission(first)
            tried = attrs.evolve(found, attempts=1, state=SubmissionState.SUBMITTED,
                                 next_attempt_at=NOW + timedelta(minutes=30), last_error="HTTP 500")
            await uow.fiscal.save_submission(tried)
            await uow.commit()
        async with s.unit_of_work() as uow:
            assert await uow.fiscal.lock_submission(first) == tried
            assert await uow.fiscal.lock_submission(uuid.uuid4()) is None
            assert await uow.fiscal.due_submissions(NOW + timedelta(minutes=10), 10) == [later]
