"""How a SQL backend writes the domain's values, and reads them back.

Postgres keeps UUIDs, times, decimals and booleans in types of their own, so its values pass as
they are (``NATIVE``); SQLite has fewer types and writes them as text and 0/1
(``adapters.sqlite.values``). The row mapping of ``adapters.sql`` is written once over these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from attrs import frozen

Row = Any  # a sqlite3.Row or an asyncpg.Record: both are read by column name


def _same(value: Any) -> Any:
    return value


@frozen
class Values:
    uuid: Callable[[UUID], Any]
    read_uuid: Callable[[Any], UUID]
    time: Callable[[datetime], Any]
    read_time: Callable[[Any], datetime]
    day: Callable[[date], Any]
    decimal: Callable[[Decimal], Any]
    read_decimal: Callable[[Any], Decimal]
    flag: Callable[[bool], Any]
    read_flag: Callable[[Any], bool]

    def optional_uuid(self, value: UUID | None) -> Any:
        return self.uuid(value) if value is not None else None

    def read_optional_uuid(self, stored: Any) -> UUID | None:
        return self.read_uuid(stored) if stored is not None else None

    def optional_time(self, moment: datetime | None) -> Any:
        return self.time(moment) if moment is not None else None

    def read_optional_time(self, stored: Any) -> datetime | None:
        return self.read_time(stored) if stored is not None else None

    def optional_decimal(self, value: Decimal | None) -> Any:
        return self.decimal(value) if value is not None else None

    def read_optional_decimal(self, stored: Any) -> Decimal | None:
        return self.read_decimal(stored) if stored is not None else None


NATIVE = Values(_same, _same, _same, _same, _same, _same, _same, _same, _same)
