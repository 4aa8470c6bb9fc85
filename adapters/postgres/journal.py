"""What is written down besides money: idempotency records, payment logs and the admin audit trail.

Logs and audit entries are held back until the unit's next statement (``adapters.postgres.
pending``); reading them back is for ``adapters.postgres.reports``.
"""

from __future__ import annotations

import json
from datetime import datetime

from adapters.postgres.pending import AUDIT, PAYMENT_LOGS
from adapters.postgres.session import Session
from adapters.sql.journal_rows import RECORD_COLUMNS, audit_row, log_row, record_from, record_row
from adapters.sql.values import NATIVE
from domain.journal import AuditEntry, IdempotencyRecord
from domain.payments import PaymentLog
from ports.services import Cipher
from ports.storage import Conflict

# First half of the two-key advisory lock on an idempotency key ("HYID"); the two-key space never
# overlaps the one-key space other lock users may take.
IDEMPOTENCY_LOCK = 0x48594944


class PgIdempotencyStore:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """In a writing unit, the key's advisory lock is taken first (held to the end of the unit): a
        concurrent unit with the same key waits here until this one commits, then sees its record."""
        if self._db.write:
            await self._db.execute(
                "SELECT pg_advisory_xact_lock($1, hashtext($2))", IDEMPOTENCY_LOCK,
                json.dumps([user_id, key, method, path]),
            )
        row = await self._db.fetchrow(
            f"SELECT {RECORD_COLUMNS} FROM idempotency "
            "WHERE user_id = $1 AND key = $2 AND method = $3 AND path = $4",
            user_id, key, method, path,
        )
        return record_from(row, NATIVE) if row else None

    async def save(self, record: IdempotencyRecord) -> None:
        added = await self._db.fetchval(
            f"INSERT INTO idempotency ({RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT ON CONSTRAINT idempotency_key DO NOTHING RETURNING TRUE",
            *record_row(record, NATIVE),
        )
        if not added:
            raise Conflict("idempotency_key")

    async def purge_before(self, created_before: datetime) -> int:
        status = await self._db.execute("DELETE FROM idempotency WHERE created_at < $1", created_before)
        return int(status.split()[-1])


class PgPaymentLogRepository:
    """Payloads are encrypted at rest when the storage was opened with a cipher."""

    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def add(self, log: PaymentLog) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold(PAYMENT_LOGS, [log_row(log, self._cipher, NATIVE)])


class PgAuditRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, entry: AuditEntry) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold(AUDIT, [audit_row(entry, NATIVE)])
