"""Row ↔ object mapping of holds, shared by the SQL storages."""

from __future__ import annotations

from typing import Any

from adapters.sql.values import Row, Values
from domain.holds import Hold, HoldStatus
from domain.money import Currency, Money

HOLD_COLUMNS = "id, user_id, service_type, amount, currency, related_object_id, status, captured_amount, " \
               "transaction_id, expires_at, created_at, updated_at"
HOLD_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in ("status", "captured_amount",
                                                                   "transaction_id", "updated_at"))


def hold_row(h: Hold, v: Values) -> tuple[Any, ...]:
    return (v.uuid(h.id), h.user_id, h.service_type, h.amount.minor, h.amount.currency.value,
            h.related_object_id, h.status.value,
            h.captured_amount.minor if h.captured_amount is not None else None,
            v.optional_uuid(h.transaction_id), v.time(h.expires_at), v.time(h.created_at),
            v.optional_time(h.updated_at))


def hold_from(row: Row, v: Values) -> Hold:
    currency = Currency(row["currency"])
    captured = row["captured_amount"]
    return Hold(v.read_uuid(row["id"]), row["user_id"], row["service_type"], Money(row["amount"], currency),
                row["related_object_id"], v.read_time(row["expires_at"]), v.read_time(row["created_at"]),
                HoldStatus(row["status"]), Money(captured, currency) if captured is not None else None,
                v.read_optional_uuid(row["transaction_id"]), v.read_optional_time(row["updated_at"]))
