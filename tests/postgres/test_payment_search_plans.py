"""An admin's payment search reaches for the indexes on Postgres: one payment by id through
``payments_pkey``, by reference through ``payment_reference``, a period through an index on
``created_at``; no statement of the search reads the whole table, even as a generic plan (the
one a prepared statement settles on after a few runs)."""

from __future__ import annotations

import uuid
from typing import Any

from adapters.postgres import PostgresUnitOfWork
from adapters.sql.payment_search import payment_search
from adapters.sql.values import NATIVE
from domain.paging import PageRequest
from domain.payments import PaymentStatus
from tests.contract.builders import minutes, payment

NO_FILTERS = dict.fromkeys(("status", "gateway", "user_id", "created_from", "created_before",
                            "payment_id", "reference"))
SEARCHES = {
    "id": ({"payment_id": uuid.uuid4()}, "payments_pkey"),
    "reference": ({"reference": "PAY-1772357400-0A1B2C3D"}, "payment_reference"),
    "id among filters": ({"payment_id": uuid.uuid4(), "status": PaymentStatus.COMPLETED,
                          "created_from": minutes(0), "created_before": minutes(60)}, "payments_pkey"),
    "reference among filters": ({"reference": "PAY-1772357400-0A1B2C3D", "user_id": "u1",
                                 "gateway": "click", "created_from": minutes(0)}, "payment_reference"),
    "period": ({"created_from": minutes(0), "created_before": minutes(5)}, "payments_newest"),
}


async def generic_plans(uow: PostgresUnitOfWork, search_name: str, filters: dict[str, Any]) -> list[str]:
    """The generic plans of the search's two statements."""
    search = payment_search(NATIVE, "$", PageRequest(), **{**NO_FILTERS, **filters})
    await uow.session.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    found = []
    for kind, sql, args in (("counted", search.count, search.args),
                            ("paged", search.rows, search.page_args)):
        name = f"{kind}_{search_name.replace(' ', '_')}"
        await uow.session.execute(f"PREPARE {name} AS {sql}")
        unknown = ", ".join("NULL" for _ in args)  # a generic plan is made without the values
        rows = await uow.session.fetch(f"EXPLAIN EXECUTE {name}({unknown})")
        found.append(" ".join(row[0] for row in rows))
        await uow.session.execute(f"DEALLOCATE {name}")
    return found


async def test_each_statement_of_each_search_uses_its_index(open_storage):
    async with open_storage() as storage, storage.unit_of_work() as uow:
        for n in range(2000):  # enough rows that reading them all would cost more than an index
            await uow.payments.add(payment(f"u{n % 5}", created_at=minutes(n)))
        await uow.session.execute("ANALYZE payments")
        found = {name: await generic_plans(uow, name, filters) for name, (filters, _) in SEARCHES.items()}
    assert {name: plans for name, plans in found.items() if not all(
        SEARCHES[name][1] in plan and "Seq Scan" not in plan for plan in plans)} == {}
