"""Writes a unit keeps back until its next statement or its commit, then sends in one round trip.

Ledger postings (transfer, entries, wallet balances), wallet saves, usage, payment logs, audit
entries and events to the platform (the outbox) return nothing that a caller reads, so the
session holds them and sends them all as one statement (one data-modifying CTE per table; a few
rows as one parameter per value, more as an array per column) just before whatever statement
comes next, COMMIT included. Every statement of
the unit still sees them, and they commit or roll back with the unit. A charge's transfer, entries,
wallet and usage thus cost one round trip instead of three.

Writes that a caller may expect to fail (payments, attempts, idempotency records) are never held
back. The only unique keys of the held tables are random ids; an id held twice in one unit is
refused at once, as Postgres would; an id already stored surfaces as ``Conflict`` from the flush.

For an optimistic unit (``adapters.postgres.session``) the statement also carries the wallets it
watched: it raises their versions only where they are still the ones read (saving the new balance
of those the unit saved), writes the rest only if every one of them matched, and answers whether
they did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from attrs import frozen

from adapters.postgres.contention import WalletKey
from ports.storage import Conflict


@frozen
class Watched:
    """A wallet as an optimistic unit read it: its version, balance (minor units) and block."""

    version: int
    balance: int
    is_blocked: bool


# The wallet at the version an optimistic unit read, locked now that its transaction has begun.
LOCK_WATCHED = ("UPDATE wallets SET version = version + 1 "
                "WHERE user_id = $1 AND currency = $2 AND version = $3 RETURNING version")


@frozen(eq=False)  # compared and hashed by identity: there is one of each
class Table:
    """How rows of one table are inserted from arrays: ``columns`` as ``name type`` pairs, the
    statement with ``{rows}`` standing for the unnest of those arrays."""

    name: str
    columns: tuple[tuple[str, str], ...]
    insert: str
    # The primary key's constraint when it is the first column (None: rows merge by key instead).
    unique: str | None


def _table(name: str, columns: str, insert: str, unique: str | None) -> Table:
    pairs = tuple((part.split()[0], part.split()[1]) for part in columns.split(","))
    return Table(name, pairs, insert, unique)


TRANSFERS = _table(
    "transfers",
    "id uuid, user_id text, debit_account text, credit_account text, amount bigint, currency text, "
    "kind text, description text, reference text, created_at timestamptz",
    "INSERT INTO transfers (id, user_id, debit_account, credit_account, amount, currency, kind, "
    "description, reference, created_at) SELECT id, user_id, debit_account, credit_account, amount, "
    "currency, kind, description, reference, created_at FROM {rows} ORDER BY position",
    "transfers_pkey",
)
ENTRIES = _table(
    "entries",
    "transfer_id uuid, user_id text, account text, currency text, amount bigint, balance_after bigint, "
    "created_at timestamptz",
    "INSERT INTO entries (transfer_id, user_id, account, currency, amount, balance_after, created_at) "
    "SELECT transfer_id, user_id, account, currency, amount, balance_after, created_at FROM {rows} "
    "ORDER BY position",
    None,
)
WALLETS = _table(
    "wallets",
    "user_id text, currency text, balance bigint, is_blocked boolean, created_at timestamptz",
    "INSERT INTO wallets (user_id, currency, balance, is_blocked, created_at) "
    "SELECT user_id, currency, balance, is_blocked, created_at FROM {rows} "
    "ON CONFLICT (user_id, currency) DO UPDATE SET balance = EXCLUDED.balance, "
    "is_blocked = EXCLUDED.is_blocked, version = wallets.version + 1",
    None,
)
USAGE = _table(
    "usage",
    "id uuid, user_id text, service_type text, quantity integer, currency text, local_date date, "
    "created_at timestamptz, related_object_id text, amount bigint, transfer_id uuid, free_reason text",
    "INSERT INTO usage (id, user_id, service_type, quantity, currency, local_date, created_at, "
    "related_object_id, amount, transfer_id, free_reason) SELECT id, user_id, service_type, quantity, "
    "currency, local_date, created_at, related_object_id, amount, transfer_id, free_reason FROM {rows} "
    "ORDER BY position",
    "usage_pkey",
)
PAYMENT_LOGS = _table(
    "payment_logs",
    "id uuid, payment_id uuid, type text, created_at timestamptz, message text, http_status integer, "
    "payload text",
    # The payer's user id is copied from the payment (stored before the flush, if in this unit).
    "INSERT INTO payment_logs (id, payment_id, type, created_at, message, http_status, payload, user_id) "
    "SELECT id, payment_id, type, created_at, message, http_status, payload, "
    "(SELECT p.user_id FROM payments p WHERE p.id = payment_logs_rows.payment_id) FROM {rows} "
    "ORDER BY position",
    "payment_logs_pkey",
)
AUDIT = _table(
    "audit",
    "id uuid, actor text, action text, target text, details text, created_at timestamptz",
    "INSERT INTO audit (id, actor, action, target, details, created_at) "
    "SELECT id, actor, action, target, details, created_at FROM {rows} ORDER BY position",
    "audit_pkey",
)
# Flushed in this order (no held table refers to another, so the order is only for reading).
EVENTS = _table(
    "events",
    "id text, type text, user_id text, created_at timestamptz, data text",
    "INSERT INTO events (id, type, user_id, created_at, data) SELECT id, type, user_id, created_at, "
    "data FROM {rows} ORDER BY position",
    "events_pkey",
)
TABLES = (TRANSFERS, ENTRIES, WALLETS, USAGE, PAYMENT_LOGS, AUDIT, EVENTS)


class PendingWrites:
    """The rows held back by one unit, per table, in the order they were written."""

    def __init__(self) -> None:
        self._rows: dict[Table, list[tuple[Any, ...]]] = {}
        self._wallets: dict[tuple[str, str], tuple[Any, ...]] = {}
        self._ids: set[Any] = set()

    def __bool__(self) -> bool:
        return bool(self._rows or self._wallets)

    def add(self, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
        """Hold ``rows`` for ``table``; an id already held is refused as Postgres would refuse it."""
        if table.unique is not None:
            ids = {(table.name, row[0]) for row in rows}
            if len(ids) < len(rows) or not self._ids.isdisjoint(ids):
                raise Conflict(table.unique)
            self._ids |= ids
        self._rows.setdefault(table, []).extend(rows)

    def save_wallet(self, row: tuple[Any, ...]) -> None:
        """The last save of a wallet wins, as consecutive upserts would (created_at is only
        written when the row is new, so the first one held is kept)."""
        key = (row[0], row[1])
        held = self._wallets.get(key)
        self._wallets[key] = row if held is None else (*row[:4], held[4])

    def take(self, watched: Mapping[WalletKey, Watched] | None = None) -> tuple[str, list[Any]]:
        """One statement writing every held row, with its arguments; nothing stays held. With
        ``watched`` wallets, the statement writes only if they are all unchanged and returns
        whether they were (the saves of watched wallets are part of that check)."""
        checked: list[tuple[Any, ...]] = []
        for key, seen in (watched or {}).items():
            saved = self._wallets.pop(key, None)
            balance, blocked = (saved[2], saved[3]) if saved is not None else (seen.balance, seen.is_blocked)
            checked.append((*key, seen.version, balance, blocked))
        if self._wallets:
            self._rows[WALLETS] = list(self._wallets.values())
        present = [(table, self._rows[table]) for table in TABLES if table in self._rows]
        args: list[Any] = []
        for rows in ([checked] if checked else []) + [rows for _, rows in present]:
            if len(rows) <= FEW_ROWS:  # one value per parameter
                for row in rows:
                    args.extend(row)
            else:  # one array per column
                args.extend(list(column) for column in zip(*rows, strict=True))
        self._rows, self._wallets, self._ids = {}, {}, set()
        shape = tuple((table, len(rows)) for table, rows in present)
        return held_writes_statement(shape, checked=len(checked)), args


# Up to this many rows of a table travel as one parameter per value (cheaper to encode and to
# parse than arrays, and a charge writes one to two rows per table); more, as an array per column.
FEW_ROWS = 8
_SEEN = (("user_id", "text"), ("currency", "text"), ("version", "bigint"), ("balance", "bigint"),
         ("is_blocked", "boolean"))


def _rows(name: str, columns: tuple[tuple[str, str], ...], first: int, count: int) -> tuple[str, int]:
    """``count`` rows from parameters ``$first``...: the FROM item naming them ``name`` (with a
    ``position`` column, their order), and how many parameters they take."""
    names = ", ".join(column for column, _ in columns)
    if count > FEW_ROWS:
        arrays = ", ".join(f"${first + n}::{kind}[]" for n, (_, kind) in enumerate(columns))
        return f"unnest({arrays}) WITH ORDINALITY AS {name}({names}, position)", len(columns)
    values, number = [], first
    for position in range(1, count + 1):
        row = [f"${number + n}::{kind}" for n, (_, kind) in enumerate(columns)]
        values.append(f"({', '.join(row)}, {position})")
        number += len(columns)
    return f"(VALUES {', '.join(values)}) AS {name}({names}, position)", number - first


@lru_cache(maxsize=128)
def held_writes_statement(shape: tuple[tuple[Table, int], ...], *, checked: int = 0) -> str:
    """The one statement that writes the held rows, ``shape`` giving each table and its number
    of rows (in that order). ``checked``: the number of watched wallets, whose rows come first;
    then every row is written only if all of them were unchanged (their versions raised, their
    balances and blocks set), and the statement answers whether they were."""
    inserts, number, head = [], 1, ""
    if checked:
        seen, used = _rows("seen", _SEEN, 1, checked)
        head = (f"checked AS (UPDATE wallets w SET version = w.version + 1, balance = seen.balance, "
                f"is_blocked = seen.is_blocked FROM {seen} WHERE w.user_id = seen.user_id "
                f"AND w.currency = seen.currency AND w.version = seen.version RETURNING 1), "
                f"unchanged AS (SELECT 1 WHERE (SELECT count(*) FROM checked) = {checked})")
        number += used
    for table, count in shape:
        rows, used = _rows(f"{table.name}_rows", table.columns, number, count)
        inserts.append(table.insert.format(rows=f"{rows} CROSS JOIN unchanged" if checked else rows))
        number += used
    if checked:
        ctes = "".join(f", held_{n} AS ({insert})" for n, insert in enumerate(inserts))
        return f"WITH {head}{ctes} SELECT EXISTS (SELECT 1 FROM unchanged)"
    *held, last = inserts
    ctes = ", ".join(f"held_{n} AS ({insert})" for n, insert in enumerate(held))
    return f"WITH {ctes} {last}" if ctes else last
