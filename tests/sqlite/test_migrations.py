"""Migrations: numbered files shipped with the package, applied once, safe to run again or at once."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

import adapters.sqlite.migrate as sqlite_migrate
from adapters.migrations import MigrationFilesError, load_migrations
from adapters.sqlite import migrate_sqlite, open_sqlite
from adapters.sqlite.migrate import MIGRATIONS, statements
from tests.contract import delivery_migration, flows_migration

ALL_VERSIONS = [migration.version for migration in load_migrations(MIGRATIONS)]
# The tables of the first release; later migrations may add more.
TABLES = {"wallets", "transfers", "entries", "payments", "attempts", "payment_logs", "gateway_configs",
          "billing_rules", "billing_settings", "usage", "idempotency", "audit", "schema_migrations"}


def rows(path: str, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def tables(path: str) -> set[str]:
    return {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def migrations_package(root: Path, name: str, files: dict[str, str], monkeypatch) -> str:
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for file_name, sql in files.items():
        (package / file_name).write_text(sql)
    monkeypatch.syspath_prepend(str(root))
    return name


def test_the_sqlite_migrations_ship_in_the_package_numbered_from_one():
    migrations = load_migrations(MIGRATIONS)
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "initial"
    assert "CREATE TABLE wallets" in migrations[0].sql


async def test_migrations_apply_to_an_empty_file_and_a_second_run_applies_nothing(db_path):
    assert await migrate_sqlite(db_path) == ALL_VERSIONS
    assert await migrate_sqlite(db_path) == []
    assert tables(db_path) >= TABLES
    recorded = rows(db_path, "SELECT version, count(*) FROM schema_migrations GROUP BY version")
    assert recorded == [(version, 1) for version in ALL_VERSIONS]


async def test_opening_the_storage_migrates_unless_told_not_to(tmp_path):
    kept = await open_sqlite(str(tmp_path / "plain.db"), migrate=False)
    await kept.close()
    assert tables(str(tmp_path / "plain.db")) == set()
    migrated = await open_sqlite(str(tmp_path / "migrated.db"))
    await migrated.close()
    assert tables(str(tmp_path / "migrated.db")) >= TABLES


async def test_two_migrations_at_once_apply_each_version_once(db_path):
    first, second = await asyncio.gather(migrate_sqlite(db_path), migrate_sqlite(db_path))
    assert sorted(first + second) == ALL_VERSIONS
    assert rows(db_path, "SELECT count(*) FROM schema_migrations") == [(len(ALL_VERSIONS),)]


async def test_a_failing_migration_leaves_nothing_of_itself_and_keeps_the_ones_before(
        db_path, tmp_path, monkeypatch):
    package = migrations_package(tmp_path, "broken_migrations", {
        "0001_first.sql": "CREATE TABLE first (id INTEGER);",
        "0002_second.sql": "CREATE TABLE second (id INTEGER);\nINSERT INTO nowhere VALUES (1);",
    }, monkeypatch)
    monkeypatch.setattr(sqlite_migrate, "MIGRATIONS", package)
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        await migrate_sqlite(db_path)
    assert tables(db_path) == {"first", "schema_migrations"}
    assert rows(db_path, "SELECT version FROM schema_migrations") == [(1,)]


def test_migration_files_with_a_gap_or_a_repeat_are_refused(tmp_path, monkeypatch):
    gap = migrations_package(tmp_path, "gap_migrations", {
        "0001_a.sql": "SELECT 1;", "0003_c.sql": "SELECT 1;"}, monkeypatch)
    repeat = migrations_package(tmp_path, "repeat_migrations", {
        "0001_a.sql": "SELECT 1;", "0001_b.sql": "SELECT 1;"}, monkeypatch)
    misnamed = migrations_package(tmp_path, "misnamed_migrations", {"1_a.sql": "SELECT 1;"}, monkeypatch)
    with pytest.raises(MigrationFilesError, match="0002 is missing"):
        load_migrations(gap)
    with pytest.raises(MigrationFilesError, match="0001 repeats"):
        load_migrations(repeat)
    with pytest.raises(MigrationFilesError, match=r"NNNN_name\.sql"):
        load_migrations(misnamed)


def test_a_script_splits_into_statements_past_comments_strings_and_triggers():
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (note TEXT DEFAULT 'a;b');
    CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN UPDATE t SET note = 'x;'; END;
    /* trailing comment */
    """
    found = statements(script)
    assert len(found) == 2
    assert found[0].endswith("DEFAULT 'a;b');")
    assert found[1].startswith("CREATE TRIGGER") and found[1].endswith("END;")


@pytest.mark.parametrize("migration", [flows_migration, delivery_migration], ids=lambda m: m.__name__)
async def test_a_migration_takes_what_was_recorded_before_it(db_path, tmp_path, monkeypatch, migration):
    """Migration 10 fills each wallet's money in and out from what was recorded before it, and from
    then on its trigger adds each new transfer (``tests.contract.flows_migration``); migration 11
    ends a second pending delivery of one event to one endpoint and refuses new ones
    (``tests.contract.delivery_migration``)."""
    version = migration.SQLITE_VERSION
    before = {f"{m.version:04d}_{m.name}.sql": m.sql for m in load_migrations(MIGRATIONS)
              if m.version < version}
    package = migrations_package(tmp_path, f"sqlite_before_{version}", before, monkeypatch)
    monkeypatch.setattr(sqlite_migrate, "MIGRATIONS", package)
    await migrate_sqlite(db_path)
    storage = await open_sqlite(db_path, migrate=False)
    try:
        await migration.record_before(storage)
    finally:
        await storage.close()
    monkeypatch.setattr(sqlite_migrate, "MIGRATIONS", MIGRATIONS)
    assert await migrate_sqlite(db_path) == [v for v in ALL_VERSIONS if v >= version]
    storage = await open_sqlite(db_path)
    try:
        await migration.check_after(storage)
    finally:
        await storage.close()
