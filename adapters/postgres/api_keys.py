"""Platform keys on Postgres."""

from __future__ import annotations

from uuid import UUID

from adapters.postgres.session import Session
from adapters.sql.api_key_rows import API_KEY_COLUMNS, API_KEY_UPDATES, api_key_from, api_key_row
from adapters.sql.values import NATIVE
from domain.api_keys import ApiKey

_SAVE = f"INSERT INTO api_keys ({API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) " \
        f"ON CONFLICT (id) DO UPDATE SET {API_KEY_UPDATES}"


class PgApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def add(self, key: ApiKey) -> None:
        await self._db.execute(_SAVE, *api_key_row(key, NATIVE))

    async def save(self, key: ApiKey) -> None:
        await self._db.execute(_SAVE, *api_key_row(key, NATIVE))

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        row = await self._db.fetchrow(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1", key_hash)
        return api_key_from(row, NATIVE) if row else None

    async def get(self, key_id: UUID) -> ApiKey | None:
        row = await self._db.fetchrow(f"SELECT {API_KEY_COLUMNS} FROM api_keys WHERE id = $1", key_id)
        return api_key_from(row, NATIVE) if row else None

    async def all(self) -> list[ApiKey]:
        rows = await self._db.fetch(f"SELECT {API_KEY_COLUMNS} FROM api_keys ORDER BY seq")
        return [api_key_from(row, NATIVE) for row in rows]
