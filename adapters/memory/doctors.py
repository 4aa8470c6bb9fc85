"""The doctor-directory table and the named secrets.

Doctors are listed (``adapters.memory.reports``) in the order every backend shares: ids made only
of ASCII digits first, in numeric order (shorter first, then by text: "9" before "10"), then every
other id by code point.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from adapters.memory.session import Repository
from domain.doctors import Doctor


def doctor_order(doctor_id: str) -> tuple[int, int, str]:
    if doctor_id.isascii() and doctor_id.isdigit():
        return 0, len(doctor_id), doctor_id
    return 1, 0, doctor_id


def doctor_copy(doctor: Doctor) -> Doctor:
    return attrs.evolve(doctor, extra=dict(doctor.extra))


class MemoryDoctorRepository(Repository):
    async def get(self, doctor_id: str) -> Doctor | None:
        doctor = (await self._tables()).table("doctors").get(doctor_id)
        return doctor_copy(doctor) if doctor is not None else None

    async def save(self, doctor: Doctor) -> None:
        (await self._tables()).writable("doctors")[doctor.id] = doctor_copy(doctor)

    async def delete(self, doctor_id: str) -> bool:
        return (await self._tables()).delete("doctors", doctor_id)


class MemorySecretRepository(Repository):
    """Keeps the ciphertext it is given (the caller encrypts), with when it was last saved."""

    async def get(self, name: str) -> str | None:
        found = (await self._tables()).table("secrets").get(name)
        return found[0] if found is not None else None

    async def save(self, name: str, ciphertext: str, updated_at: datetime) -> None:
        (await self._tables()).writable("secrets")[name] = (ciphertext, updated_at)

    async def all(self) -> dict[str, str]:
        return {name: ciphertext for name, (ciphertext, _) in (await self._tables()).table("secrets").items()}
