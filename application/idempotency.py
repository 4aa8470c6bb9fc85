"""Idempotent requests: the same key and body answer the stored response and do nothing again.

The use case's effect and the stored response commit in one unit of work, so a crash can never
leave one without the other. Only successful answers are stored: a refused request (402, 409, …)
changed nothing, so repeating it with the same key simply asks again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from attrs import frozen

from application.dependencies import UseCases
from domain.errors import IdempotencyConflict, ValidationError
from domain.journal import IdempotencyRecord
from ports.storage import UnitOfWork

T = TypeVar("T")
MAX_KEY_LENGTH = 255


@frozen
class IdempotencyRequest:
    user_id: str
    key: str
    method: str
    path: str
    fingerprint: str

    def __attrs_post_init__(self) -> None:
        if not self.key or len(self.key) > MAX_KEY_LENGTH or not self.key.isprintable():
            raise ValidationError(
                f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters",
                field="Idempotency-Key")


@frozen
class StoredResponse:
    status_code: int
    body: str
    replayed: bool = False


class IdempotencyUseCases(UseCases):
    async def run(self, request: IdempotencyRequest, action: Callable[[], Awaitable[T]],
                  render: Callable[[T], StoredResponse], *, lane: str | None = None) -> StoredResponse:
        """Run ``action`` once per key: a repeat with the same body gets the stored response; with
        another body, IdempotencyConflict. A concurrent repeat waits for the first to finish.
        With ``lane`` (a charge's wallet owner), the request is batched with that wallet's other
        writes (``Units.in_lane``): ``action`` must then refuse before it writes."""
        async def body(uow: UnitOfWork) -> StoredResponse:
            stored = await uow.idempotency.get(request.user_id, request.key, request.method,
                                               request.path)
            if stored is not None and stored.created_at <= self._now() - self._ttl:
                await uow.idempotency.purge_before(self._now() - self._ttl)
            elif stored is not None:
                if stored.fingerprint != request.fingerprint:
                    raise IdempotencyConflict()
                return StoredResponse(stored.status_code, stored.body, replayed=True)
            response = render(await action())
            await uow.idempotency.save(IdempotencyRecord(
                request.user_id, request.key, request.method, request.path, request.fingerprint,
                response.status_code, response.body, self._now()))
            return response

        if lane is not None:
            return await self._units.in_lane(lane, body)
        return await self._units.write(body)

    async def purge(self) -> int:
        """Forget stored answers older than 24 hours."""
        cutoff = self._now() - self._ttl
        return await self._units.write(lambda uow: uow.idempotency.purge_before(cutoff))

    @property
    def _ttl(self) -> timedelta:
        return timedelta(seconds=self.config.idempotency_ttl_seconds)
