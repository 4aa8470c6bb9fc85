"""The doctor directory: where the protected doctor view finds the card it shows."""

from __future__ import annotations

from typing import Protocol

from domain.doctors import Doctor


class DoctorDirectory(Protocol):
    async def find(self, doctor_id: str) -> Doctor | None:
        """The active doctor with this id, or None (the view then answers 404, charging nothing)."""
        ...
