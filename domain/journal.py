"""What Hamyon writes down besides the ledger and the payments: the stored answers of idempotent
requests, and the audit trail of admin writes."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import frozen


@frozen
class IdempotencyRecord:
    """A stored answer to a money-moving request, committed with the request's effect."""

    user_id: str
    key: str
    method: str
    path: str
    fingerprint: str
    status_code: int
    body: str  # the JSON response body
    created_at: datetime


def fingerprint(payload: Any) -> str:
    """A request body's fingerprint: parsed JSON compared with key order ignored."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str,
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@frozen
class AuditEntry:
    """An admin write, recorded with who did it."""

    id: UUID
    actor: str
    action: str
    target: str
    details: str
    created_at: datetime
