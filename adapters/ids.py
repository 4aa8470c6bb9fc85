"""Ids: random UUIDs and hex from the operating system's CSPRNG, and time-ordered UUIDs (v7)."""

from __future__ import annotations

import secrets
import time
import uuid


class RandomIds:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()

    def random_hex(self, length: int) -> str:
        return secrets.token_hex((length + 1) // 2)[:length]

    def ordered_id(self) -> uuid.UUID:
        """RFC 9562 UUIDv7: 48 bits of Unix milliseconds, then 74 random bits."""
        random = int.from_bytes(secrets.token_bytes(10), "big")
        value = (time.time_ns() // 1_000_000) << 80 | 0x7 << 76 | (random >> 68) << 64 \
            | 0b10 << 62 | random & ((1 << 62) - 1)
        return uuid.UUID(int=value)
