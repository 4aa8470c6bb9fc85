"""The unit of work both SQL storages share: the repositories written once (``adapters.sql``), over
the backend's ``queries`` (a unit's statements), ``reads`` (its reports' reads) and ``dialect``.
Each backend adds its own: the wallets, the ledger, usage and the journal (the writes of a charge,
each backend's fastest way), the outbox, and billing."""

from __future__ import annotations

from typing import ClassVar

from adapters.sql.api_keys import SqlApiKeyRepository
from adapters.sql.console import SqlConsoleLinkRepository
from adapters.sql.dialect import Dialect, Queries, Reads
from adapters.sql.doctors import SqlDoctorRepository, SqlSecretRepository
from adapters.sql.fiscal import SqlFiscalRepository
from adapters.sql.holds import SqlHoldRepository
from adapters.sql.payments import SqlPaymentRepository
from adapters.sql.report_sql import ReportSql
from adapters.sql.reports import SqlReports
from adapters.sql.webhooks import SqlDeliveryRepository, SqlWebhookRepository
from adapters.unit_of_work import SessionUnitOfWork, repository


class SqlUnitOfWork(SessionUnitOfWork):
    dialect: ClassVar[Dialect]
    report_sql: ClassVar[ReportSql]
    queries: Queries
    reads: Reads

    payments = repository(lambda unit: SqlPaymentRepository(unit.queries, unit.dialect, unit.cipher))
    doctors = repository(lambda unit: SqlDoctorRepository(unit.queries, unit.dialect, unit.cipher))
    secrets = repository(lambda unit: SqlSecretRepository(unit.queries, unit.dialect))
    webhooks = repository(lambda unit: SqlWebhookRepository(unit.queries, unit.dialect, unit.cipher))
    deliveries = repository(lambda unit: SqlDeliveryRepository(unit.queries, unit.dialect))
    holds = repository(lambda unit: SqlHoldRepository(unit.queries, unit.dialect))
    fiscal = repository(lambda unit: SqlFiscalRepository(unit.queries, unit.dialect))
    api_keys = repository(lambda unit: SqlApiKeyRepository(unit.queries, unit.dialect))
    console_links = repository(lambda unit: SqlConsoleLinkRepository(unit.queries, unit.dialect))
    reports = repository(lambda unit: SqlReports(unit.reads, unit.dialect, unit.report_sql, unit.cipher))
