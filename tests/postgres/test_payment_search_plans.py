"""An admin's payment search reaches for the indexes on Postgres: one payment by id through
``payments_pkey``, by reference through ``payment_reference``, a period through an index on
``created_at``; no statement of the search reads the whole table, even as a generic plan (the
one a prepared statement settles on after a few runs)."""

from __future__ import annotations

from adapters.postgres import PostgresUnitOfWork
from adapters.sql.values import NATIVE
from tests.contract.builders import minutes, payment
from tests.contract.searches import FILTERS, search

INDEX = {"id": "payments_pkey", "reference": "payment_reference", "id among filters": "payments_pkey",
         "reference among filters": "payment_reference", "period": "payments_newest"}


async def generic_plans(uow: PostgresUnitOfWork, search_name: str) -> list[str]:
    """The generic plans of the search's two statements."""
    statements = search(search_name, NATIVE, "$")
    await uow.session.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    found = []
    for kind, sql, args in (("counted", statements.count, statements.args),
                            ("paged", statements.rows, statements.page_args)):
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
        found = {name: await generic_plans(uow, name) for name in FILTERS}
    assert {name: plans for name, plans in found.items() if not all(
        INDEX[name] in plan and "Seq Scan" not in plan for plan in plans)} == {}
