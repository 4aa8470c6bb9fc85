"""What is written down besides money: idempotency records, payment logs and the admin audit trail.
Reading logs and the trail back is for ``adapters.memory.reports``."""

from __future__ import annotations

from datetime import datetime

from adapters.memory.session import Repository
from domain.journal import AuditEntry, IdempotencyRecord
from domain.payments import PaymentLog
from ports.storage import Conflict


class MemoryIdempotencyStore(Repository):
    async def get(self, user_id: str, key: str, method: str, path: str) -> IdempotencyRecord | None:
        """In a writing unit the storage's writer lock is taken first: a concurrent unit with the
        same key waits until this one ends, then sees what it stored."""
        return (await self._tables()).table("idempotency").get((user_id, key, method, path))

    async def save(self, record: IdempotencyRecord) -> None:
        """Raises Conflict('idempotency_key') when the key is already stored."""
        tables = await self._tables()
        key = (record.user_id, record.key, record.method, record.path)
        if key in tables.table("idempotency"):
            raise Conflict("idempotency_key")
        tables.writable("idempotency")[key] = record

    async def purge_before(self, created_before: datetime) -> int:
        """Deletes records created before ``created_before``; returns how many."""
        tables = await self._tables()
        old = [key for key, record in tables.table("idempotency").items()
               if record.created_at < created_before]
        if old:
            records = tables.writable("idempotency")
            for key in old:
                del records[key]
        return len(old)


class MemoryPaymentLogRepository(Repository):
    async def add(self, log: PaymentLog) -> None:
        (await self._tables()).append("payment_logs", log)


class MemoryAuditRepository(Repository):
    async def add(self, entry: AuditEntry) -> None:
        (await self._tables()).append("audit", entry)
