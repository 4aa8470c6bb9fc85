"""How domain values are written in SQLite's few types, and read back.

Times are ISO-8601 UTC text of one fixed width (``2024-05-01T09:30:00.000000+00:00``), so that text
comparison and ``ORDER BY`` follow time; a naive datetime is refused rather than guessed at. UUIDs
are their canonical lower-case text (whose order is their byte order), dates ISO text, Decimals
their exact text, booleans 0/1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from uuid import UUID

from adapters.sql.values import Values


@lru_cache(maxsize=256)  # a unit writes its one ``now`` in several rows
def time_text(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: Hamyon stores timezone-aware UTC times")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def optional_time_text(moment: datetime | None) -> str | None:
    return time_text(moment) if moment is not None else None


def time_from(text: str) -> datetime:
    return datetime.fromisoformat(text)


def optional_time_from(text: str | None) -> datetime | None:
    return time_from(text) if text is not None else None


def date_text(day: date) -> str:
    return day.isoformat()


def uuid_text(value: UUID) -> str:
    return str(value)


def optional_uuid_text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def uuid_from(text: str) -> UUID:
    return UUID(text)


def optional_uuid_from(text: str | None) -> UUID | None:
    return UUID(text) if text is not None else None


def decimal_text(value: Decimal) -> str:
    return str(value)


def decimal_from(text: str) -> Decimal:
    return Decimal(text)


# What the shared row mapping (``adapters.sql``) writes and reads here.
STORED = Values(uuid_text, uuid_from, time_text, time_from, date_text, decimal_text, decimal_from, int, bool)
