"""Platform keys in memory: a keyed table."""

from __future__ import annotations

from uuid import UUID

from adapters.memory.session import Repository
from domain.api_keys import ApiKey


class MemoryApiKeyRepository(Repository):
    async def add(self, key: ApiKey) -> None:
        (await self._tables()).writable("api_keys")[key.id] = key

    async def save(self, key: ApiKey) -> None:
        (await self._tables()).writable("api_keys")[key.id] = key

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        return next((key for key in (await self._tables()).table("api_keys").values()
                     if key.key_hash == key_hash), None)

    async def get(self, key_id: UUID) -> ApiKey | None:
        return (await self._tables()).table("api_keys").get(key_id)

    async def all(self) -> list[ApiKey]:
        return list((await self._tables()).table("api_keys").values())
