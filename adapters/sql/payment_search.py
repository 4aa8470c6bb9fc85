"""An admin's payment search in SQL (``Reports.search_payments``), written once for SQLite and
Postgres.

The WHERE holds the filters given and nothing else, each a plain comparison of a column with a
parameter (no ``$1 IS NULL OR ...``, which a generic plan cannot take an index for), so the planner
reaches for the index that fits: the primary key for an id, the unique ``payment_reference`` for a
reference number, the ``payments_*_newest`` indexes for the rest. One payment named by its key is
found without reading the others.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from adapters.sql.money_rows import PAYMENT_COLUMNS
from adapters.sql.values import Values
from domain.paging import PageRequest
from domain.payment_search import PaymentSearch


@frozen
class SearchStatements:
    count: str  # the matches' count, over ``args``
    rows: str  # one page of them, newest first, over ``page_args``
    args: tuple[Any, ...]
    page_args: tuple[Any, ...]


def payment_search(
    values: Values, mark: str, search: PaymentSearch, page: PageRequest
) -> SearchStatements:
    """The two statements, with ``mark`` before each parameter's number (``$`` or ``?``)."""
    s = search
    tests = (("status =", s.status.value if s.status else None), ("gateway =", s.gateway),
             ("user_id =", s.user_id), ("created_at >=", values.optional_time(s.created_from)),
             ("created_at <", values.optional_time(s.created_before)),
             ("id =", values.optional_uuid(s.payment_id)), ("reference_number =", s.reference))
    given = [(test, value) for test, value in tests if value is not None]
    where = " AND ".join(f"{test} {mark}{n}" for n, (test, _) in enumerate(given, 1)) or "1 = 1"
    args = tuple(value for _, value in given)
    limit, offset = f"{mark}{len(args) + 1}", f"{mark}{len(args) + 2}"
    return SearchStatements(
        f"SELECT count(*) FROM payments WHERE {where}",
        f"SELECT {PAYMENT_COLUMNS} FROM payments WHERE {where} ORDER BY created_at DESC, id DESC "
        f"LIMIT {limit} OFFSET {offset}",
        args, (*args, page.per_page, page.offset))
