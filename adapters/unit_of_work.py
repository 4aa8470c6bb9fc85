"""What every storage's unit of work does alike: its repositories share one session, it commits only
when asked, and leaving its block ends the session (what was not committed is rolled back)."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self


class Session(Protocol):
    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def close(self) -> None:
        """Roll back what was not committed and give back what the session holds."""
        ...


class SessionUnitOfWork:
    def __init__(self, session: Session) -> None:
        self._session = session

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()
