"""Migrations: applied once to an empty schema, safe to run again and from two processes at once."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

import adapters.postgres.migrate as postgres_migrate
from adapters.migrations import load_migrations
from adapters.postgres import migrate_postgres, open_postgres
from adapters.postgres.migrate import MIGRATIONS
from domain.money import Currency
from tests.backends.postgres import schema_on
from tests.contract import delivery_migration, flows_migration
from tests.postgres.samples import NOW

ALL_VERSIONS = [migration.version for migration in load_migrations(MIGRATIONS)]
TABLES = {"wallets", "transfers", "entries", "payments", "attempts", "payment_logs", "gateway_configs",
          "billing_rules", "billing_settings", "usage", "idempotency", "audit", "schema_migrations",
          "doctors", "secrets", "events", "webhook_endpoints", "webhook_deliveries", "holds",
          "fiscal_receipts", "fiscal_submissions", "api_keys", "console_links",
          "console_sign_outs"}


async def tables_in(url: str, schema: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = $1", schema
        )
        return {row["table_name"] for row in rows}
    finally:
        await connection.close()


async def test_migrations_apply_to_an_empty_schema_and_a_second_run_applies_nothing(pg_url):
    async with schema_on(pg_url) as schema:
        assert await migrate_postgres(pg_url, schema) == ALL_VERSIONS
        assert await migrate_postgres(pg_url, schema) == []
        assert await tables_in(pg_url, schema) == TABLES


async def test_two_processes_migrating_at_once_apply_each_version_once(pg_url):
    async with schema_on(pg_url) as schema:
        first, second = await asyncio.gather(migrate_postgres(pg_url, schema),
                                             migrate_postgres(pg_url, schema))
        assert sorted(first + second) == ALL_VERSIONS


async def test_storage_opened_on_a_schema_creates_it_and_works_inside_it(pg_url):
    async with schema_on(pg_url) as schema:
        storage = await open_postgres(pg_url, schema=schema, migrate=True, max_size=2)
        try:
            async with storage.unit_of_work() as uow:
                wallet = await uow.wallets.lock("u1", Currency.UZS, NOW)
                await uow.commit()
            async with storage.unit_of_work(write=False) as uow:
                assert await uow.wallets.get("u1", Currency.UZS) == wallet
        finally:
            await storage.close()
        assert "wallets" in await tables_in(pg_url, schema)


@pytest.mark.parametrize("migration", [flows_migration, delivery_migration], ids=lambda m: m.__name__)
async def test_a_migration_takes_what_was_recorded_before_it(pg_url, tmp_path, monkeypatch, migration):
    """Migration 11 fills each wallet's money in and out from what was recorded before it, and from
    then on its trigger adds each new transfer (``tests.contract.flows_migration``); migration 12
    ends a second pending delivery of one event to one endpoint and refuses new ones
    (``tests.contract.delivery_migration``)."""
    version = migration.POSTGRES_VERSION
    package = tmp_path / f"postgres_before_{version}"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for m in load_migrations(MIGRATIONS):
        if m.version < version:
            (package / f"{m.version:04d}_{m.name}.sql").write_text(m.sql)
    monkeypatch.syspath_prepend(str(tmp_path))
    async with schema_on(pg_url) as schema:
        monkeypatch.setattr(postgres_migrate, "MIGRATIONS", package.name)
        storage = await open_postgres(pg_url, schema=schema, migrate=True, max_size=2)
        try:
            await migration.record_before(storage)
        finally:
            await storage.close()
        monkeypatch.setattr(postgres_migrate, "MIGRATIONS", MIGRATIONS)
        assert await migrate_postgres(pg_url, schema) == [v for v in ALL_VERSIONS if v >= version]
        storage = await open_postgres(pg_url, schema=schema, migrate=False, max_size=2)
        try:
            await migration.check_after(storage)
        finally:
            await storage.close()
