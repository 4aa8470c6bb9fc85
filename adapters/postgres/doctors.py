"""The doctor-directory table and the named secrets.

A doctor's ``extra`` fields (contact details live there) are kept as a JSON object, sealed when
the storage has a cipher. Secrets arrive sealed by the caller and are kept as they are.
"""

from __future__ import annotations

import json
from datetime import datetime

import asyncpg

from adapters.postgres.session import Session
from adapters.sealed import DOCTOR_EXTRA, seal, unseal
from domain.doctors import Doctor
from domain.records import Page, PageRequest
from ports.services import Cipher

_COLUMNS = "id, first_name, last_name, specialization, rating, is_active, extra"
_UPDATES = ", ".join(f"{name} = EXCLUDED.{name}" for name in _COLUMNS.split(", ")[1:])
# ASCII-digit ids first, in numeric order; then the rest by code point (COLLATE "C", as on the
# other backends, whatever the database's collation).
_ORDER = "ORDER BY (id !~ '^[0-9]+$'), CASE WHEN id ~ '^[0-9]+$' THEN length(id) END, " \
         'id COLLATE "C"'


class PgDoctorRepository:
    def __init__(self, session: Session, cipher: Cipher | None) -> None:
        self._db = session
        self._cipher = cipher

    async def get(self, doctor_id: str) -> Doctor | None:
        row = await self._db.fetchrow(f"SELECT {_COLUMNS} FROM doctors WHERE id = $1", doctor_id)
        return self._doctor_from(row) if row else None

    async def list(self, page: PageRequest) -> Page[Doctor]:
        total = await self._db.fetchval("SELECT count(*) FROM doctors")
        rows = await self._db.fetch(f"SELECT {_COLUMNS} FROM doctors {_ORDER} LIMIT $1 OFFSET $2",
                                    page.per_page, page.offset)
        return Page(tuple(self._doctor_from(row) for row in rows), total, page)

    async def save(self, doctor: Doctor) -> None:
        d = doctor
        extra = seal(self._cipher, DOCTOR_EXTRA, json.dumps(d.extra, ensure_ascii=False, sort_keys=True)
                     if d.extra else "")
        await self._db.execute(
            f"INSERT INTO doctors ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            f"ON CONFLICT (id) DO UPDATE SET {_UPDATES}",
            d.id, d.first_name, d.last_name, d.specialization, d.rating, d.is_active, extra,
        )

    async def delete(self, doctor_id: str) -> bool:
        status = await self._db.execute("DELETE FROM doctors WHERE id = $1", doctor_id)
        return status != "DELETE 0"

    def _doctor_from(self, row: asyncpg.Record) -> Doctor:
        extra = unseal(self._cipher, DOCTOR_EXTRA, row["extra"])
        return Doctor(row["id"], row["first_name"], row["last_name"], row["specialization"],
                      row["rating"], row["is_active"], json.loads(extra) if extra else {})


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
