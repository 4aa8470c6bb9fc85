"""Platform keys (SPEC §15): made by an admin (shown once), listed, revoked at once, and looked
up by hash on every request that presents one."""

from __future__ import annotations

import secrets
from datetime import timedelta
from uuid import UUID

import attrs
from attrs import frozen

from application.dependencies import UseCases
from domain.api_keys import PREFIX, ApiKey, key_hash, parse_name, parse_scopes
from domain.errors import ApiKeyNotFound
from ports.storage import UnitOfWork

TOUCH_EVERY = timedelta(minutes=1)  # how stale a key's ``last_used_at`` may be


@frozen
class CreatedKey:
    key: ApiKey
    plaintext: str  # shown once, never kept


class ApiKeyUseCases(UseCases):
    async def create(self, name: object, scopes: object, *, actor: str) -> CreatedKey:
        plaintext = PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(self._deps.ids.new_id(), parse_name(name), parse_scopes(scopes), key_hash(plaintext),
                     self._now())

        async def body(uow: UnitOfWork) -> CreatedKey:
            await uow.api_keys.add(key)
            await self._audit(uow, actor, "create_api_key", f"api_key:{key.id}",
                              f"{key.name} {','.join(sorted(key.scopes))}")
            return CreatedKey(key, plaintext)

        return await self._units.write(body)

    async def list(self) -> list[ApiKey]:
        return await self._units.read(lambda uow: uow.api_keys.all())

    async def revoke(self, key_id: UUID, *, actor: str) -> ApiKey:
        """Refused at once from then on; revoking again changes nothing."""
        async def body(uow: UnitOfWork) -> ApiKey:
            found = await uow.api_keys.get(key_id)
            if found is None:
                raise ApiKeyNotFound()
            if found.revoked_at is None:
                found = attrs.evolve(found, revoked_at=self._now())
                await uow.api_keys.save(found)
                await self._audit(uow, actor, "revoke_api_key", f"api_key:{key_id}", found.name)
            return found

        return await self._units.write(body)

    async def authenticate(self, plaintext: str) -> ApiKey | None:
        """The active key this is, or None; its ``last_used_at`` is kept to the minute."""
        found = await self._units.read(lambda uow: uow.api_keys.by_hash(key_hash(plaintext)))
        if found is None or not found.is_active:
            return None
        now = self._now()
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            await self._units.write(lambda uow: uow.api_keys.save(attrs.evolve(found, last_used_at=now)))
        return found
