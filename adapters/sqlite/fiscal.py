"""Fiscal receipts and submissions on SQLite. A writing unit holds the write lock, so
``lock_submission`` holds the row until it ends."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.fiscal_rows import (
    RECEIPT_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_UPDATES,
    receipt_from,
    receipt_row,
    submission_from,
    submission_row,
)
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, time_text, uuid_text
from domain.fiscal import FiscalReceipt, FiscalSubmission

_ADD_RECEIPT = f"INSERT INTO fiscal_receipts ({RECEIPT_COLUMNS}) VALUES ({', '.join('?' * 10)}) " \
               "ON CONFLICT (payment_id, type) DO NOTHING RETURNING 1"
_SAVE = f"INSERT INTO fiscal_submissions ({SUBMISSION_COLUMNS}) VALUES ({', '.join('?' * 8)}) " \
        f"ON CONFLICT (payment_id) DO UPDATE SET {SUBMISSION_UPDATES}"
_ADD = f"INSERT INTO fiscal_submissions ({SUBMISSION_COLUMNS}) VALUES ({', '.join('?' * 8)}) " \
       "ON CONFLICT (payment_id) DO NOTHING"


class SqliteFiscalRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add_receipt(self, receipt: FiscalReceipt) -> bool:
        return bool(await self._db.fetch(_ADD_RECEIPT, receipt_row(receipt, STORED)))

    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        rows = await self._db.fetch(f"SELECT {RECEIPT_COLUMNS} FROM fiscal_receipts WHERE payment_id = ? "
                                    "ORDER BY type = 'refund', registered_at", (uuid_text(payment_id),))
        return [receipt_from(row, STORED) for row in rows]

    async def add_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_ADD, submission_row(submission, STORED))

    async def lock_submission(self, payment_id: UUID) -> FiscalSubmission | None:
        row = await self._db.fetchone(f"SELECT {SUBMISSION_COLUMNS} FROM fiscal_submissions "
                                      "WHERE payment_id = ?", (uuid_text(payment_id),))
        return submission_from(row, STORED) if row else None

    async def save_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_SAVE, submission_row(submission, STORED))

    async def due_submissions(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch("SELECT payment_id FROM fiscal_submissions WHERE state IN "
                                    "('pending', 'submitted') AND next_attempt_at <= ? "
                                    "ORDER BY next_attempt_at LIMIT ?", (time_text(now), limit))
        return [STORED.read_uuid(row["payment_id"]) for row in rows]
