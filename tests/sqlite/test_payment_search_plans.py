"""An admin's payment search reaches for the indexes on SQLite: one payment by id through the
primary key, by reference through ``payment_reference``, a period through an index on
``created_at``; no statement of the search reads the whole table."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from adapters.sql.payment_search import payment_search
from adapters.sqlite.values import STORED
from domain.paging import PageRequest
from domain.payments import PaymentStatus
from tests.contract.builders import minutes, payment

NO_FILTERS = dict.fromkeys(("status", "gateway", "user_id", "created_from", "created_before",
                            "payment_id", "reference"))
SEARCHES = {
    "id": ({"payment_id": uuid.uuid4()}, "sqlite_autoindex_payments_1 (id=?)"),
    "reference": ({"reference": "PAY-1772357400-0A1B2C3D"}, "payment_reference (reference_number=?)"),
    "id among filters": ({"payment_id": uuid.uuid4(), "status": PaymentStatus.COMPLETED,
                          "created_from": minutes(0), "created_before": minutes(60)},
                         "sqlite_autoindex_payments_1 (id=?)"),
    "reference among filters": ({"reference": "PAY-1772357400-0A1B2C3D", "user_id": "u1",
                                 "gateway": "click", "created_from": minutes(0)},
                                "payment_reference (reference_number=?)"),
    "period": ({"created_from": minutes(0), "created_before": minutes(60)},
               "(created_at>? AND created_at<?)"),
}


def plans(path: str, filters: dict[str, Any]) -> list[str]:
    search = payment_search(STORED, "?", PageRequest(), **{**NO_FILTERS, **filters})
    with sqlite3.connect(path) as db:
        return [" ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args))
                for sql, args in ((search.count, search.args), (search.rows, search.page_args))]


async def test_each_statement_of_each_search_searches_its_index(open_storage):
    async with open_storage() as storage:
        async with storage.unit_of_work() as uow:
            for n in range(50):
                await uow.payments.add(payment(f"u{n % 5}", created_at=minutes(n)))
            await uow.commit()
        found = {name: plans(storage.path, filters) for name, (filters, _) in SEARCHES.items()}
    assert {name: plans for name, plans in found.items() if not all(
        SEARCHES[name][1] in plan and "SCAN" not in plan for plan in plans)} == {}
