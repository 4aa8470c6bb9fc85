"""An admin's payment search reaches for the indexes on SQLite: one payment by id through the
primary key, by reference through ``payment_reference``, a period through an index on
``created_at``; no statement of the search reads the whole table."""

from __future__ import annotations

import sqlite3

from adapters.sqlite.values import STORED
from tests.contract.builders import minutes, payment
from tests.contract.searches import FILTERS, search

BY_ID, BY_REFERENCE = "sqlite_autoindex_payments_1 (id=?)", "payment_reference (reference_number=?)"
INDEX = {"id": BY_ID, "reference": BY_REFERENCE, "id among filters": BY_ID,
         "reference among filters": BY_REFERENCE, "period": "(created_at>? AND created_at<?)"}


def plans(path: str, search_name: str) -> list[str]:
    statements = search(search_name, STORED, "?")
    with sqlite3.connect(path) as db:
        return [" ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args))
                for sql, args in ((statements.count, statements.args),
                                  (statements.rows, statements.page_args))]


async def test_each_statement_of_each_search_searches_its_index(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            for n in range(50):
                await uow.payments.add(payment(f"u{n % 5}", created_at=minutes(n)))
            await uow.commit()
        found = {name: plans(storage.path, name) for name in FILTERS}
    assert {name: plans for name, plans in found.items() if not all(
        INDEX[name] in plan and "SCAN" not in plan for plan in plans)} == {}
