"""Row ↔ object mapping of platform keys, shared by the SQL storages."""

from __future__ import annotations

import json
from typing import Any

from adapters.sql.values import Row, Values
from domain.api_keys import ApiKey

API_KEY_COLUMNS = "id, name, scopes, key_hash, created_at, last_used_at, revoked_at"
API_KEY_UPDATES = "last_used_at = excluded.last_used_at, revoked_at = excluded.revoked_at"


def api_key_row(k: ApiKey, v: Values) -> tuple[Any, ...]:
    return (v.uuid(k.id), k.name, json.dumps(sorted(k.scopes)), k.key_hash, v.time(k.created_at),
            v.optional_time(k.last_used_at), v.optional_time(k.revoked_at))


def api_key_from(row: Row, v: Values) -> ApiKey:
    return ApiKey(v.read_uuid(row["id"]), row["name"], frozenset(json.loads(row["scopes"])),
                  row["key_hash"], v.read_time(row["created_at"]), v.read_optional_time(row["last_used_at"]),
                  v.read_optional_time(row["revoked_at"]))
