"""Committed state and the view one unit of work has of it.

Two kinds of table:
- *keyed* tables (wallets, payments, ...) are dicts. A published dict is never changed again: a
  writing unit copies a table the first time it writes to it, and commit publishes the copy.
- *append-only* tables (transfers, entries, usage, logs, audit) are lists shared by every snapshot.
  A snapshot remembers how many rows it sees; the single writer appends past every snapshot's end,
  and on rollback cuts the list back to where it began.

So a snapshot (a dict of keyed tables and the lengths of the append-only ones) stays exactly what it
was when it was taken: a reading unit sees one moment across all its queries, as on SQLite and
Postgres. The price: a writer copies each keyed table it writes (a dict copy, cheap at the sizes
tests and small embedded uses reach); appends and commits cost only what the unit wrote.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from ports.storage import StorageError

KEYED = ("wallets", "payments", "payment_references", "attempts", "gateways", "rules", "settings",
         "idempotency", "doctors", "secrets")
APPEND_ONLY = ("transfers", "entries", "usage", "payment_logs", "audit")


@frozen
class Snapshot:
    keyed: Mapping[str, Mapping[Any, Any]]
    lengths: Mapping[str, int]


class Store:
    """Everything one ``MemoryStorage`` holds, and the lock that lets one writer in at a time."""

    def __init__(self) -> None:
        self.committed = Snapshot({name: {} for name in KEYED}, dict.fromkeys(APPEND_ONLY, 0))
        self.rows: dict[str, list[Any]] = {name: [] for name in APPEND_ONLY}
        self.writer = asyncio.Lock()
        self.closed = False


class Tables:
    """One unit's view: the snapshot it began with, plus (for a writer) its own changes."""

    def __init__(self, store: Store, *, write: bool) -> None:
        self._store = store
        self._write = write
        self._base = store.committed
        self._copied: dict[str, dict[Any, Any]] = {}

    def table(self, name: str) -> Mapping[Any, Any]:
        """A keyed table as this unit sees it (read it, never change it: see ``writable``)."""
        copied = self._copied.get(name)
        return copied if copied is not None else self._base.keyed[name]

    def writable(self, name: str) -> dict[Any, Any]:
        self._ensure_writer()
        if name not in self._copied:
            self._copied[name] = dict(self._base.keyed[name])
        return self._copied[name]

    def log(self, name: str) -> list[Any]:
        """An append-only table's rows as this unit sees them, oldest first."""
        rows = self._store.rows[name]
        return rows[:] if self._write else rows[: self._base.lengths[name]]

    def append(self, name: str, *rows: Any) -> None:
        self._ensure_writer()
        self._store.rows[name].extend(rows)

    def publish(self) -> None:
        """Make this writer's changes the committed state, all at once."""
        keyed = {**self._base.keyed, **self._copied}
        lengths = {name: len(rows) for name, rows in self._store.rows.items()}
        self._store.committed = Snapshot(keyed, lengths)

    def discard(self) -> None:
        """Forget this writer's changes: appended rows go, copied tables are dropped."""
        if self._write:
            for name, rows in self._store.rows.items():
                del rows[self._base.lengths[name]:]
        self._copied.clear()

    def _ensure_writer(self) -> None:
        if not self._write:
            raise StorageError("a read-only unit of work cannot write")
