"""Fiscal receipts (SPEC §14): the items of a top-up's receipt, the receipts gateways register
(Payme tells us with SetFiscalData; Click is asked by a background job), and the receipts a
payment has.

Each registered receipt is kept once per type, with a payment-log row and a
``fiscal.receipt_ready`` event in the same unit of work. Click's submissions are claimed for a
while before their call, so two workers never send the same one at once, and tried again with
backoff; a gateway's answer never waits on any of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from uuid import UUID

import attrs

from application.dependencies import UseCases
from domain.errors import PaymentNotFound
from domain.fiscal import (
    FiscalReceipt,
    FiscalStep,
    FiscalSubmission,
    ReceiptLine,
    ReceiptType,
    SubmissionState,
    topup_lines,
)
from domain.payments import Payment
from ports.gateways import FiscalRegistrar
from ports.storage import UnitOfWork

CLAIM = timedelta(minutes=2)  # how long a worker has a submission to itself


class FiscalUseCases(UseCases):
    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        return await self._units.read(lambda uow: uow.fiscal.receipts(payment_id))

    async def topup_lines(self, uow: UnitOfWork, payment: Payment) -> tuple[ReceiptLine, ...]:
        """The receipt items of a top-up (none while no MXIK code is set), read in ``uow``."""
        settings = await self._settings(uow)
        return topup_lines(payment, settings.topup_codes, settings.topup_receipt_title)

    async def register(self, gateway: str, external_id: str, kind: ReceiptType,
                       receipt: FiscalReceipt) -> bool:
        """A receipt the gateway registered for its transaction ``external_id`` (Payme's
        SetFiscalData); PaymentNotFound when no payment has that transaction. A second of the same
        type changes nothing."""
        async def body(uow: UnitOfWork) -> bool:
            attempt = await uow.payments.attempt(gateway, external_id)
            payment = await uow.payments.lock(attempt.payment_id) if attempt else None
            if payment is None:
                raise PaymentNotFound("No payment has this transaction")
            kept = attrs.evolve(receipt, payment_id=payment.id, type=kind, gateway=gateway)
            return await self._register_receipt(uow, kept, payment.user_id)

        return await self._units.write(body)

    async def request_receipt(self, payment: Payment, external_ref: str) -> None:
        """Ask the payment's gateway for its sale receipt later (Click), in the unit that credited
        it: the request is kept exactly when the credit is."""
        now = self._now()

        async def body(uow: UnitOfWork) -> None:
            if (await self._settings(uow)).topup_codes.configured:  # no code, no receipt to ask for
                await uow.fiscal.add_submission(
                    FiscalSubmission(payment.id, payment.gateway, external_ref, now, now))

        await self._units.write(body)

    async def submit_due(self, registrars: Mapping[str, FiscalRegistrar], limit: int = 50) -> int:
        """The job: each due submission one step further (items sent, or the receipt read);
        returns how many steps succeeded."""
        due = await self._units.read(lambda uow: uow.fiscal.due_submissions(self._now(), limit))
        done = 0
        for payment_id in due:
            claimed = await self._claim(payment_id)
            registrar = registrars.get(claimed.gateway) if claimed else None
            if claimed is None or registrar is None:
                continue
            done += await self._step(claimed, registrar)
        return done

    async def _claim(self, payment_id: UUID) -> FiscalSubmission | None:
        async def body(uow: UnitOfWork) -> FiscalSubmission | None:
            found = await uow.fiscal.lock_submission(payment_id)
            now = self._now()
            if found is None or found.next_attempt_at > now or found.state not in (
                    SubmissionState.PENDING, SubmissionState.SUBMITTED):
                return None
            await uow.fiscal.save_submission(attrs.evolve(found, next_attempt_at=now + CLAIM))
            return found

        return await self._units.write(body)

    async def _step(self, submission: FiscalSubmission, registrar: FiscalRegistrar) -> bool:
        if submission.state is SubmissionState.PENDING:
            lines, tin = await self._units.read(lambda uow: self._lines(uow, submission))
            step = await registrar.submit(submission, lines, tin)
        else:
            step = await registrar.fetch_receipt(submission)
        await self._units.write(lambda uow: self._record(uow, submission, step))
        return step.ok

    async def _lines(self, uow: UnitOfWork, submission: FiscalSubmission) -> tuple[
            tuple[ReceiptLine, ...], str]:
        payment = await uow.payments.get(submission.payment_id)
        assert payment is not None
        return await self.topup_lines(uow, payment), (await self._settings(uow)).fiscal_tin

    async def _record(self, uow: UnitOfWork, submission: FiscalSubmission, step: FiscalStep) -> None:
        now, was = self._now(), submission.state
        call = "submit" if was is SubmissionState.PENDING else "receipt"
        await self._log(uow, submission.payment_id, "fiscal", f"{submission.gateway} fiscal {call}: "
                        f"{'ok' if step.ok else step.note}", payload=step.payload)
        if not step.ok:
            submission.failed_try(now, step.note, final=not step.retryable)
        elif was is SubmissionState.PENDING:
            submission.state, submission.next_attempt_at = SubmissionState.SUBMITTED, now
        else:
            submission.state = SubmissionState.DONE
            payment = await uow.payments.get(submission.payment_id)
            assert payment is not None
            await self._register_receipt(uow, FiscalReceipt(
                payment.id, ReceiptType.SALE, submission.gateway, submission.external_ref, "0", "", "",
                step.qr_code_url, now, step.note), payment.user_id)
        await uow.fiscal.save_submission(submission)
