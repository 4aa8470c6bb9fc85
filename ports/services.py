"""Ports for non-determinism: time, ids and secrets."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol, TypeVar
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

    def ordered_id(self) -> UUID:
        """A unique id that sorts by creation time (UUIDv7): rows keyed by it are inserted at
        the end of their index, not all over it (events, of which a busy day writes millions)."""
        ...


class Cipher(Protocol):
    """Symmetric encryption of sensitive values at rest, one key per purpose."""

    def encrypt(self, purpose: str, plaintext: str) -> str: ...

    def decrypt(self, purpose: str, token: str) -> str: ...


T = TypeVar("T")


class RetryPolicy(Protocol):
    """Runs an idempotent operation, retrying it on ``TransientStorageError`` as the policy says.

    Built in the composition root (tenacity there), so tests can turn retries off."""

    async def __call__(self, operation: Callable[[], Awaitable[T]]) -> T: ...


class EventLog(Protocol):
    """Business events of the application (a charge, a completed payment). Never a secret."""

    def emit(self, event: str, **fields: object) -> None: ...
