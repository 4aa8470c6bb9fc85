"""The admin API of platform keys (SPEC §15): create (the key is in that answer only), list,
revoke. Each write is audited with the admin's id."""

from __future__ import annotations

from uuid import UUID

from domain.errors import ApiKeyNotFound
from entrypoints.http import api_key_schemas as wire
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.routes import path_uuid


def key_id(raw: str) -> UUID:
    return path_uuid(raw, ApiKeyNotFound)


class ApiKeysHandler(ApiHandler):
    async def get(self) -> None:
        found = await self.hamyon.api_keys.list()
        self.reply(wire.ApiKeyList(api_keys=[wire.shown(each) for each in found]))

    async def post(self) -> None:
        body = self.read()
        created = await self.hamyon.api_keys.create(body.name, body.scopes, actor=self.user_id)
        self.reply(wire.ApiKeyCreated(api_key=wire.shown(created.key), key=created.plaintext), 201)


class ApiKeyHandler(ApiHandler):
    async def delete(self, api_key_id: str) -> None:
        revoked = await self.hamyon.api_keys.revoke(key_id(api_key_id), actor=self.user_id)
        self.reply(wire.ApiKeyResponse(api_key=wire.shown(revoked)))
