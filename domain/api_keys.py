"""Platform keys (SPEC §15): the platform's own backend acts for its users within a key's scopes.

A key is shown once (``hk_`` and 43 random characters); only its SHA-256 is kept, so a stolen
database gives no key. A revoked key is refused at once: every request looks its hash up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from attrs import frozen

from domain.errors import ValidationError
from domain.text import check_text

PREFIX = "hk_"
SCOPES = ("charges", "holds", "refunds", "read")
MAX_NAME = 100


@frozen
class ApiKey:
    id: UUID
    name: str
    scopes: frozenset[str]
    key_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def hint(self) -> str:
        """What lists show of the key: its prefix and the first characters of its hash."""
        return f"{PREFIX}…{self.key_hash[:8]}"


def key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def looks_like_key(token: str) -> bool:
    return token.startswith(PREFIX)


def parse_scopes(raw: object) -> frozenset[str]:
    """``charges,holds`` or ``["charges", "holds"]``: known scopes only, at least one."""
    items: Iterable[object] = raw.split(",") if isinstance(raw, str) else raw \
        if isinstance(raw, list | tuple) else ()
    scopes = {str(item).strip() for item in items if isinstance(item, str) and item.strip()}
    unknown = sorted(scopes - set(SCOPES))
    if unknown or not scopes:
        raise ValidationError(f"scopes must be some of {', '.join(SCOPES)}"
                              + (f"; unknown: {', '.join(unknown)}" if unknown else ""), field="scopes")
    return frozenset(scopes)


def parse_name(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationError("name is required", field="name")
    return check_text(raw, "name", max_length=MAX_NAME).strip()
