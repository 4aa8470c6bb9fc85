"""Ids: random UUIDs and hex from the operating system's CSPRNG."""

from __future__ import annotations

import secrets
import uuid


class RandomIds:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()

    def random_hex(self, length: int) -> str:
        return secrets.token_hex((length + 1) // 2)[:length]
