"""The platform keys' shapes in the admin API (SPEC §15)."""

from __future__ import annotations

from typing import Any

from domain.api_keys import SCOPES
from entrypoints.http.wire import (
    Spec,
    many,
    moment,
    nullable,
    one,
    project,
    request,
    row,
    success,
    text,
    uuid,
)

SCOPE = text(16, enum=SCOPES)

ApiKeyCreate = request("ApiKeyCreate", {
    "name": text(100, min_length=1),
    "scopes": Spec(list[str], {"type": "array", "items": SCOPE.schema, "minItems": 1,
                               "maxItems": len(SCOPES)})},
    examples=({"name": "platform backend", "scopes": ["charges", "holds", "read"]},))
_key: dict[str, Spec] = {
    "id": uuid(), "name": text(100), "scopes": many(SCOPE), "hint": text(16),
    "created_at": moment(), "last_used_at": nullable(moment()), "revoked_at": nullable(moment())}
ApiKeyRow = row("ApiKeyRow", _key)
ApiKeyCreated = success("ApiKeyCreated", api_key=one(ApiKeyRow), key=text(
    64, description="hk_…: shown only in this answer; send it as Authorization: Bearer hk_…"))
ApiKeyResponse = success("ApiKeyResponse", api_key=one(ApiKeyRow))
ApiKeyList = success("ApiKeyList", api_keys=many(ApiKeyRow))


def shown(found: Any) -> Any:
    return project(ApiKeyRow, found, scopes=sorted(found.scopes), hint=found.hint)
