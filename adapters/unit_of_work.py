"""What every storage's unit of work does alike: its repositories share one session and are built
on first use (a charge touches four of the twelve), it commits only when asked, and leaving its
block ends the session (what was not committed is rolled back)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

from ports.services import Cipher

R = TypeVar("R")


class Session(Protocol):
    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    async def close(self) -> None:
        """Roll back what was not committed and give back what the session holds."""
        ...


class repository(Generic[R]):  # lower case: used like ``functools.cached_property``
    """A unit's repository, built from the unit on first use and kept in the unit after."""

    def __init__(self, build: Callable[[Any], R]) -> None:
        self._build = build
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, unit: object, owner: type | None = None) -> R:
        built = self._build(unit)
        unit.__dict__[self._name] = built  # the instance's attribute answers from now on
        return built


class SessionUnitOfWork:
    def __init__(self, session: Session, cipher: Cipher | None = None) -> None:
        self.session = session
        self.cipher = cipher

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
