"""Fiscal receipts and submissions in memory: keyed tables (the writing unit holds the lock)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import attrs

from adapters.memory.session import Repository
from domain.fiscal import FiscalReceipt, FiscalSubmission, ReceiptType, SubmissionState

_OPEN = (SubmissionState.PENDING, SubmissionState.SUBMITTED)


class MemoryFiscalRepository(Repository):
    async def add_receipt(self, receipt: FiscalReceipt) -> bool:
        tables = await self._tables()
        key = (receipt.payment_id, receipt.type)
        if key in tables.table("fiscal_receipts"):
            return False
        tables.writable("fiscal_receipts")[key] = receipt
        return True

    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        table = (await self._tables()).table("fiscal_receipts")
        return [table[(payment_id, kind)] for kind in ReceiptType if (payment_id, kind) in table]

    async def add_submission(self, submission: FiscalSubmission) -> None:
        tables = await self._tables()
        if submission.payment_id not in tables.table("fiscal_submissions"):
            tables.writable("fiscal_submissions")[submission.payment_id] = attrs.evolve(submission)

    async def lock_submission(self, payment_id: UUID) -> FiscalSubmission | None:
        found = (await self._tables()).table("fiscal_submissions").get(payment_id)
        return attrs.evolve(found) if found is not None else None

    async def save_submission(self, submission: FiscalSubmission) -> None:
        (await self._tables()).writable("fiscal_submissions")[submission.payment_id] = \
            attrs.evolve(submission)

    async def due_submissions(self, now: datetime, limit: int) -> list[UUID]:
        due = [s for s in (await self._tables()).table("fiscal_submissions").values()
               if s.state in _OPEN and s.next_attempt_at <= now]
        return [s.payment_id for s in sorted(due, key=lambda s: s.next_attempt_at)[:limit]]
