"""Platform keys on SQLite."""

from __future__ import annotations

from uuid import UUID

from adapters.sql.api_key_rows import API_KEY_COLUMNS, API_KEY_UPDATES, api_key_from, api_key_row
from adapters.sqlite.session import Session
from adapters.sqlite.values import STORED, uuid_text
from domain.api_keys import ApiKey

_SAVE = f"INSERT INTO api_keys ({API_KEY_COLUMNS}) VALUES ({', '.join('?' * 7)}) " \
        f"ON CONFLICT (id) DO UPDATE SET {API_KEY_UPDATES}"


class SqliteApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, key: ApiKey) -> None:
        await self._db.execute(_SAVE, api_key_row(key, STORED))

    async def save(self, key: ApiKey) -> None:
        await self._db.execute(_SAVE, api_key_row(key, STORED))

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self._db.fetchone(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE key_hash = ?",
                                      (key_hash,))
        return api_key_from(row, STORED) if row else None

    async def get(self, key_id: UUID) -> ApiKey | None:
        row = await self._db.fetchone(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE id = ?",
                                      (uuid_text(key_id),))
        return api_key_from(row, STORED) if row else None

    async def all(self) -> list[ApiKey]:
        rows = await self._db.fetch(f"SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY seq")
        return [api_key_from(row, STORED) for row in rows]
