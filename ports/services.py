"""Ports for non-determinism: time, ids and secrets."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class IdGenerator(Protocol):
    def new_id(self) -> UUID: ...

    def random_hex(self, length: int) -> str:
        """``length`` random hexadecimal digits (reference numbers, secrets)."""
        ...


class Cipher(Protocol):
    """Symmetric encryption of sensitive values at rest, one key per purpose."""

    def encrypt(self, purpose: str, plaintext: str) -> str: ...

    def decrypt(self, purpose: str, token: str) -> str: ...
