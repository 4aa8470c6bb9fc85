"""An admin's payment search in SQL (``Reports.search_payments``), written once for SQLite and
Postgres.

The WHERE holds the filters given and nothing else, each a plain comparison of a column with a
parameter (no ``$1 IS NULL OR ...``, which a generic plan cannot take an index for), so the planner
reaches for the index that fits: the primary key for an id, the unique ``payment_reference`` for a
reference number, the ``payments_*_newest`` indexes for the rest. One payment named by its key is
found without reading the others.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from attrs import frozen

from adapters.sql.money_rows import PAYMENT_COLUMNS
from adapters.sql.values import Values
from domain.paging import PageRequest
from domain.payments import PaymentStatus


@frozen
class PaymentSearch:
    count: str  # the matches' count, over ``args``
    rows: str  # one page of them, newest first, over ``page_args``
    args: tuple[Any, ...]
    page_args: tuple[Any, ...]


def payment_search(
    values: Values, mark: str, page: PageRequest, *, status: PaymentStatus | None,
    gateway: str | None, user_id: str | None, created_from: datetime | None,
    created_before: datetime | None, payment_id: UUID | None, reference: str | None,
) -> PaymentSearch:
    """The two statements, with ``mark`` before each parameter's number (``$`` or ``?``)."""
    tests = (("status =", status.value if status else None), ("gateway =", gateway),
             ("user_id =", user_id), ("created_at >=", values.optional_time(created_from)),
             ("created_at <", values.optional_time(created_before)),
             ("id =", values.optional_uuid(payment_id)), ("reference_number =", reference))
    given = [(test, value) for test, value in tests if value is not None]
    where = " AND ".join(f"{test} {mark}{n}" for n, (test, _) in enumerate(given, 1)) or "1 = 1"
    args = tuple(value for _, value in given)
    limit, offset = f"{mark}{len(args) + 1}", f"{mark}{len(args) + 2}"
    return PaymentSearch(
        f"SELECT count(*) FROM payments WHERE {where}",
        f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE {where} ORDER BY created_at DESC, id DESC "
        f"LIMIT {limit} OFFSET {offset}",
        args, (*args, page.per_page, page.offset))
