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
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from typing import Any

from attrs import frozen

from ports.storage import StorageError

KEYED = ("wallets", "payments", "payment_references", "attempts", "gateways", "rules", "settings",
         "idempotency", "doctors", "secrets", "outbox", "webhooks", "deliveries",
         "holds", "fiscal_receipts", "fiscal_submissions", "api_keys", "console_links",
         "console_sign_outs")
APPEND_ONLY = ("transfers", "entries", "usage", "payment_logs", "audit", "events")
# Append-only rows are also filed by the key their queries look them up by, so a charge reads
# one user's usage (not every user's) and a wallet's lines, not the whole ledger.
INDEXED: dict[str, Callable[[Any], Any]] = {
    "usage": lambda usage: usage.user_id,
    "entries": lambda line: line.entry.account,
    "transfers": lambda transfer: transfer.reference,
    "payment_logs": lambda log: log.payment_id,
    "events": lambda event: event.id,
}


@frozen
class Snapshot:
    keyed: Mapping[str, Mapping[Any, Any]]
    lengths: Mapping[str, int]


class Store:
    """Everything one ``MemoryStorage`` holds, and the lock that lets one writer in at a time."""

    def __init__(self) -> None:
        self.committed = Snapshot({name: {} for name in KEYED}, dict.fromkeys(APPEND_ONLY, 0))
        self.rows: dict[str, list[Any]] = {name: [] for name in APPEND_ONLY}
        # name → key → [(position in rows, row)], in insertion order
        self.index: dict[str, defaultdict[Any, list[tuple[int, Any]]]] = {
            name: defaultdict(list) for name in INDEXED}
        self.writer = asyncio.Lock()
        self.closed = False


class Tables:
    """One unit's view: the snapshot it began with, plus (for a writer) its own changes."""

    def __init__(self, store: Store, *, write: bool) -> None:
        self._store = store
        self._write = write
        self._base = store.committed
        self._copied: dict[str, dict[Any, Any]] = {}
        self._touched: dict[str, set[Any]] = {name: set() for name in INDEXED}

    def table(self, name: str) -> Mapping[Any, Any]:
        """A keyed table as this unit sees it (read it, never change it: see ``writable``)."""
        copied = self._copied.get(name)
        return copied if copied is not None else self._base.keyed[name]

    def writable(self, name: str) -> dict[Any, Any]:
        self._ensure_writer()
        if name not in self._copied:
            self._copied[name] = dict(self._base.keyed[name])
        return self._copied[name]

    def delete(self, name: str, key: Any) -> bool:
        """Remove a keyed table's row; whether there was one (a miss copies nothing)."""
        if key not in self.table(name):
            return False
        del self.writable(name)[key]
        return True

    def log(self, name: str) -> Iterator[Any]:
        """An append-only table's rows as this unit sees them, oldest first (not copied)."""
        return islice(self._store.rows[name], self.count(name))

    def filed(self, name: str, key: Any) -> list[Any]:
        """The rows of an indexed append-only table filed under ``key``, oldest first."""
        limit = self.count(name)
        return [row for position, row in self._store.index[name].get(key, ()) if position < limit]

    def count(self, name: str) -> int:
        return len(self._store.rows[name]) if self._write else self._base.lengths[name]

    def append(self, name: str, *rows: Any) -> None:
        self._ensure_writer()
        table = self._store.rows[name]
        key_of = INDEXED.get(name)
        for row in rows:
            if key_of is not None:
                key = key_of(row)
                self._store.index[name][key].append((len(table), row))
                self._touched[name].add(key)
            table.append(row)

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
            for name, keys in self._touched.items():
                kept = self._base.lengths[name]
                for key in keys:
                    filed = self._store.index[name][key]
                    filed[:] = [(position, row) for position, row in filed if position < kept]
        self._copied.clear()
        for keys in self._touched.values():
            keys.clear()

    def _ensure_writer(self) -> None:
        if not self._write:
            raise StorageError("a read-only unit of work cannot write")
