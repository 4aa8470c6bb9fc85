"""The doctor-directory table and the named secrets.

A doctor's ``extra`` fields are sealed when the storage has a cipher (``adapters.sql.journal_rows``);
secrets arrive sealed by the caller and are kept as they are. Listing doctors is a report
(``adapters.postgres.reports``).
"""

from __future__ import annotations

from datetime import datetime

from adapters.postgres.session import Session
from adapters.sql.journal_rows import DOCTOR_COLUMNS, DOCTOR_UPDATES, doctor_from, doctor_row
from adapters.sql.values import NATIVE
from domain.doctors import Doctor
from ports.services import Cipher


class PgDoctorRepository:
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def get(self, doctor_id: str) -> Doctor | None:
        row = await self._db.fetchrow(f"SELECT {DOCTOR_COLUMNS} FROM doctors WHERE id = $1", doctor_id)
        return doctor_from(row, self._cipher, NATIVE) if row else None

    async def save(self, doctor: Doctor) -> None:
        await self._db.execute(
            f"INSERT INTO doctors ({DOCTOR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            f"ON CONFLICT (id) DO UPDATE SET {DOCTOR_UPDATES}", *doctor_row(doctor, self._cipher, NATIVE),
        )

    async def delete(self, doctor_id: str) -> bool:
        status = await self._db.execute("DELETE FROM doctors WHERE id = $1", doctor_id)
        return status != "DELETE 0"


class PgSecretRepository:
    def __init__(self, session: Session) -> None:
        self._db = session

    async def get(self, name: str) -> str | None:
        found: str | None = await self._db.fetchval("SELECT ciphertext FROM secrets WHERE name = $1",
                                                    name)
        return found

    async def save(self, name: str, ciphertext: str, updated_at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO secrets (name, ciphertext, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) "
            "DO UPDATE SET ciphertext = EXCLUDED.ciphertext, updated_at = EXCLUDED.updated_at",
            name, ciphertext, updated_at,
        )

    async def all(self) -> dict[str, str]:
        rows = await self._db.fetch("SELECT name, ciphertext FROM secrets ORDER BY name")
        return {row["name"]: row["ciphertext"] for row in rows}
