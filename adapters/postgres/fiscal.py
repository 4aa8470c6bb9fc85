"""Fiscal receipts and submissions on Postgres: ``lock_submission`` takes the row lock."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.postgres.session import Session
from adapters.sql.fiscal_rows import (
    RECEIPT_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_UPDATES,
    receipt_from,
    receipt_row,
    submission_from,
    submission_row,
)
from adapters.sql.values import NATIVE
from domain.fiscal import FiscalReceipt, FiscalSubmission


def _values(count: int) -> str:
    return ", ".join(f"${n}" for n in range(1, count + 1))


_ADD_RECEIPT = f"INSERT INTO fiscal_receipts ({RECEIPT_COLUMNS}) VALUES ({_values(10)}) " \
               "ON CONFLICT (payment_id, type) DO NOTHING RETURNING 1"
_SAVE = f"INSERT INTO fiscal_submissions ({SUBMISSION_COLUMNS}) VALUES ({_values(8)}) " \
        f"ON CONFLICT (payment_id) DO UPDATE SET {SUBMISSION_UPDATES}"
_ADD = f"INSERT INTO fiscal_submissions ({SUBMISSION_COLUMNS}) VALUES ({_values(8)}) " \
       "ON CONFLICT (payment_id) DO NOTHING"


class PgFiscalRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add_receipt(self, receipt: FiscalReceipt) -> bool:
        return bool(await self._db.fetch(_ADD_RECEIPT, *receipt_row(receipt, NATIVE)))

    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        rows = await self._db.fetch(f"SELECT {RECEIPT_COLUMNS} FROM fiscal_receipts WHERE payment_id = $1 "
                                    "ORDER BY type = 'refund', registered_at", payment_id)
        return [receipt_from(row, NATIVE) for row in rows]

    async def add_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_ADD, *submission_row(submission, NATIVE))

    async def lock_submission(self, payment_id: UUID) -> FiscalSubmission | None:
        row = await self._db.fetchrow(f"SELECT {SUBMISSION_COLUMNS} FROM fiscal_submissions "
                                      "WHERE payment_id = $1 FOR UPDATE", payment_id)
        return submission_from(row, NATIVE) if row else None

    async def save_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_SAVE, *submission_row(submission, NATIVE))

    async def due_submissions(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch("SELECT payment_id FROM fiscal_submissions WHERE state IN "
                                    "('pending', 'submitted') AND next_attempt_at <= $1 "
                                    "ORDER BY next_attempt_at LIMIT $2", now, limit)
        return [row["payment_id"] for row in rows]
