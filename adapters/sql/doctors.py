"""The doctor-directory table and the named secrets, the same repositories on both SQL storages.

A doctor's ``extra`` fields are sealed when the storage has a cipher (``adapters.sql.journal_rows``);
secrets arrive sealed by the caller and are kept as they are. Listing doctors is a report
(``adapters.sql.reports``).
"""

from __future__ import annotations

from datetime import datetime

from adapters.sql.dialect import Dialect, Queries, parameters
from adapters.sql.journal_rows import DOCTOR_COLUMNS, DOCTOR_UPDATES, doctor_from, doctor_row
from domain.doctors import Doctor
from ports.services import Cipher

_SAVE_DOCTOR = f"INSERT INTO doctors ({DOCTOR_COLUMNS}) VALUES ({parameters(7)}) " \
               f"ON CONFLICT (id) DO UPDATE SET {DOCTOR_UPDATES}"
_SAVE_SECRET = "INSERT INTO secrets (name, ciphertext, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) " \
               "DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at"


class SqlDoctorRepository:
    def __init__(self, db: Queries, dialect: Dialect, cipher: Cipher | None) -> None:
        self._db = db
        self._v = dialect.values
        self._cipher = cipher

    async def get(self, doctor_id: str) -> Doctor | None:
        row = await self._db.fetchrow(f"SELECT {DOCTOR_COLUMNS} FROM doctors WHERE id = $1", doctor_id)
        return doctor_from(row, self._cipher, self._v) if row else None

    async def save(self, doctor: Doctor) -> None:
        await self._db.execute(_SAVE_DOCTOR, *doctor_row(doctor, self._cipher, self._v))

    async def delete(self, doctor_id: str) -> bool:
        return bool(await self._db.fetch("DELETE FROM doctors WHERE id = $1 RETURNING 1", doctor_id))


class SqlSecretRepository:
    def __init__(self, db: Queries, dialect: Dialect) -> None:
        self._db = db
        self._v = dialect.values

    async def get(self, name: str) -> str | None:
        found: str | None = await self._db.fetchval("SELECT ciphertext FROM secrets WHERE name = $1", name)
        return found

    async def save(self, name: str, ciphertext: str, updated_at: datetime) -> None:
        await self._db.execute(_SAVE_SECRET, name, ciphertext, self._v.time(updated_at))

    async def all(self) -> dict[str, str]:
        rows = await self._db.fetch("SELECT name, ciphertext FROM secrets ORDER BY name")
        return {row["name"]: row["ciphertext"] for row in rows}
