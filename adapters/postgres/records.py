"""Idempotency records, payment logs and the admin audit trail."""

from __future__ import annotations

import json
from datetime import datetime
from uuid import UUID

import asyncpg

from adapters.postgres.pending import AUDIT, PAYMENT_LOGS
from adapters.postgres.session import Session
from adapters.sealed import PAYMENT_LOG, seal, unseal
from domain.payments import PaymentLog
from domain.records import AuditEntry, IdempotencyRecord
from ports.services import Cipher
from ports.storage import Conflict

# First half of the two-key advisory lock on an idempotency key ("HYID"); the two-key space never
# overlaps the one-key space other lock users may take.
IDEMPOTENCY_LOCK = 0x48594944
_RECORD_COLUMNS = "user_id, key, method, path, fingerprint, status_code, body, created_at"
_LOG_COLUMNS = "id, payment_id, type, created_at, message, http_status, payload"
_AUDIT_COLUMNS = "id, actor, action, target, details, created_at"


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
            f"SELECT {_RECORD_COLUMNS} FROM idempotency "
            "WHERE user_id = $1 AND key = $2 AND method = $3 AND path = $4",
            user_id, key, method, path,
        )
        return IdempotencyRecord(*row.values()) if row else None

    async def save(self, record: IdempotencyRecord) -> None:
        r = record
        added = await self._db.fetchval(
            f"INSERT INTO idempotency ({_RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT ON CONSTRAINT idempotency_key DO NOTHING RETURNING TRUE",
            r.user_id, r.key, r.method, r.path, r.fingerprint, r.status_code, r.body, r.created_at,
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
        payload = seal(self._cipher, PAYMENT_LOG, log.payload)
        await self._db.hold(PAYMENT_LOGS, [(log.id, log.payment_id, log.type, log.created_at, log.message,
                                            log.http_status, payload)])

    async def for_payment(self, payment_id: UUID) -> list[PaymentLog]:
        rows = await self._db.fetch(
            f"SELECT {_LOG_COLUMNS} FROM payment_logs WHERE payment_id = $1 ORDER BY created_at, seq",
            payment_id,
        )
        return [self._log_from(row) for row in rows]

    def _log_from(self, row: asyncpg.Record) -> PaymentLog:
        payload = unseal(self._cipher, PAYMENT_LOG, row["payload"])
        return PaymentLog(row["id"], row["payment_id"], row["type"], row["created_at"], row["message"],
                          row["http_status"], payload)


class PgAuditRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, entry: AuditEntry) -> None:
        """Held back until the unit's next statement (``adapters.postgres.pending``)."""
        await self._db.hold(AUDIT, [(entry.id, entry.actor, entry.action, entry.target, entry.details,
                                     entry.created_at)])

    async def recent(self, limit: int) -> list[AuditEntry]:
        rows = await self._db.fetch(
            f"SELECT {_AUDIT_COLUMNS} FROM audit ORDER BY created_at DESC, seq DESC LIMIT $1", limit
        )
        return [AuditEntry(*row.values()) for row in rows]
