"""The numbered SQL migrations a storage adapter ships as package data.

A migration is a file ``NNNN_name.sql`` in the adapter's ``migrations`` package. The list is sorted by
version and must run 1, 2, 3... without a gap or a repeat: a missing or doubled file refuses to load
rather than leave a database in a shape no code expects. Backend-neutral: it only reads files; each
adapter applies them in its own way.
"""

from __future__ import annotations

import re
from importlib import resources

from attrs import frozen

_FILE_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")


@frozen
class Migration:
    version: int
    name: str
    sql: str


class MigrationFilesError(Exception):
    """The migration files of a package are misnamed, missing a version or repeat one."""


def load_migrations(package: str) -> list[Migration]:
    """The migrations shipped in ``package``, ascending from version 1 with no gap or duplicate."""
    found: list[Migration] = []
    for entry in resources.files(package).iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.fullmatch(entry.name)
        if match is None:
            raise MigrationFilesError(f"{package}: {entry.name} is not named NNNN_name.sql")
        found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    _check_sequence(package, [migration.version for migration in found])
    return found


def _check_sequence(package: str, versions: list[int]) -> None:
    for expected, version in enumerate(versions, start=1):
        if version != expected:
            problem = "repeats" if version < expected else "is missing"
            missing_or_repeated = version if version < expected else expected
            raise MigrationFilesError(f"{package}: migration {missing_or_repeated:04d} {problem}")
