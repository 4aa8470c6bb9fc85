"""Platform keys, the same repository on both SQL storages."""

from __future__ import annotations

from uuid import UUID

from adapters.sql.api_key_rows import API_KEY_COLUMNS, API_KEY_UPDATES, api_key_from, api_key_row
from adapters.sql.dialect import Dialect, Queries, parameters
from domain.api_keys import ApiKey

_SAVE = f"INSERT INTO api_keys ({API_KEY_COLUMNS}) VALUES ({parameters(7)}) " \
        f"ON CONFLICT (id) DO UPDATE SET {API_KEY_UPDATES}"


class SqlApiKeyRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values

    async def add(self, key: ApiKey) -> None:
        await self.save(key)

    async def save(self, key: ApiKey) -> None:
        await self._db.execute(_SAVE, *api_key_row(key, self._v))

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self._db.fetchrow(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1", key_hash)
        return api_key_from(row, self._v) if row else None

    async def get(self, key_id: UUID) -> ApiKey | None:
        row = await self._db.fetchrow(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE id = $1",
                                      self._v.uuid(key_id))
        return api_key_from(row, self._v) if row else None

    async def all(self) -> list[ApiKey]:
        rows = await self._db.fetch(f"SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY seq")
        return [api_key_from(row, self._v) for row in rows]
