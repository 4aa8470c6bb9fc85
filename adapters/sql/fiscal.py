"""Fiscal receipts and submissions, the same repository on both SQL storages: ``lock_submission``
holds the row until the unit ends (``Dialect.lock``)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from adapters.sql.dialect import Dialect, Queries, parameters
from adapters.sql.fiscal_rows import (
    RECEIPT_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_UPDATES,
    receipt_from,
    receipt_row,
    submission_from,
    submission_row,
)
from domain.fiscal import FiscalReceipt, FiscalSubmission

_ADD_RECEIPT = f"INSERT INTO fiscal_receipts ({RECEIPT_COLUMNS}) VALUES ({parameters(10)}) " \
               "ON CONFLICT (payment_id, type) DO NOTHING RETURNING 1"
_INSERT = f"INSERT INTO fiscal_submissions ({SUBMISSION_COLUMNS}) VALUES ({parameters(8)}) " \
          "ON CONFLICT (payment_id)"
_ADD = f"{_INSERT} DO NOTHING"
_SAVE = f"{_INSERT} DO UPDATE SET {SUBMISSION_UPDATES}"


class SqlFiscalRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values
        self._lock = f"SELECT {SUBMISSION_COLUMNS} FROM fiscal_submissions WHERE payment_id = $1" \
                     f"{dialect.lock}"

    async def add_receipt(self, receipt: FiscalReceipt) -> bool:
        return bool(await self._db.fetch(_ADD_RECEIPT, *receipt_row(receipt, self._v)))

    async def receipts(self, payment_id: UUID) -> list[FiscalReceipt]:
        rows = await self._db.fetch(f"SELECT {RECEIPT_COLUMNS} FROM fiscal_receipts WHERE payment_id = $1 "
                                    "ORDER BY type = 'refund', registered_at", self._v.uuid(payment_id))
        return [receipt_from(row, self._v) for row in rows]

    async def add_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_ADD, *submission_row(submission, self._v))

    async def lock_submission(self, payment_id: UUID) -> FiscalSubmission | None:
        row = await self._db.fetchrow(self._lock, self._v.uuid(payment_id))
        return submission_from(row, self._v) if row else None

    async def save_submission(self, submission: FiscalSubmission) -> None:
        await self._db.execute(_SAVE, *submission_row(submission, self._v))

    async def due_submissions(self, now: datetime, limit: int) -> list[UUID]:
        rows = await self._db.fetch("SELECT payment_id FROM fiscal_submissions WHERE state IN "
                                    "('pending', 'submitted') AND next_attempt_at <= $1 "
                                    "ORDER BY next_attempt_at LIMIT $2", self._v.time(now), limit)
        return [self._v.read_uuid(row["payment_id"]) for row in rows]
