"""The protected doctor view (SPEC §5) and the admin's doctor directory table (SPEC §6).

The view looks the doctor up first, in the doctor directory port (the table, or the platform's
doctor API), and charges ``doctor_view`` only for a doctor it found: an unknown or inactive doctor
answers 404 and charges nothing. Every admin write is recorded in the audit log; the audit line
names the fields changed, never their values (a card's extra fields may hold a phone number).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from application.billing import BillingUseCases, ChargeRequest, ChargeResult
from application.dependencies import Shared, UseCases, ensure_creatable
from application.doctor_cards import card_changes, new_card
from domain.doctors import Doctor, parse_doctor_id
from domain.errors import GatewayError, NotFound
from domain.paging import Page, PageRequest
from domain.usage import DOCTOR_VIEW
from ports.storage import UnitOfWork


class DoctorNotFound(NotFound):
    code = "doctor_not_found"
    default_message = "Doctor not found"


class DoctorDirectoryUnavailable(GatewayError):
    """The doctor directory (the platform's doctor API) did not answer, or answered nonsense."""

    code = "doctor_directory_unavailable"
    default_message = "The doctor directory did not answer"


class DoctorUseCases(UseCases):
    """The doctor directory, and the doctor view that charges for a card through ``billing``."""

    def __init__(self, shared: Shared, billing: BillingUseCases) -> None:
        super().__init__(shared)
        self._billing = billing

    async def view(self, user_id: str, doctor_id: object,
                   language: str = "uz") -> tuple[Doctor, ChargeResult]:
        """The doctor's card, after charging ``doctor_view`` for it (related object: the doctor's
        id) by the billing rules: free or paid, 402, 403, 429 or 503 exactly as a charge. An
        unknown or inactive doctor raises ``DoctorNotFound`` before anything is charged."""
        wanted = parse_doctor_id(doctor_id)
        doctor = await self.find(wanted)
        if doctor is None:
            raise DoctorNotFound()
        charged = await self._billing.charge(ChargeRequest(user_id, DOCTOR_VIEW, 1, wanted, language))
        return doctor, charged

    async def find(self, doctor_id: str) -> Doctor | None:
        """The active doctor with this id, from the configured directory (default: the table)."""
        if self._deps.doctors is not None:
            return await self._deps.doctors.find(doctor_id)
        found = await self._units.read(lambda uow: uow.doctors.get(doctor_id))
        return found if found is not None and found.is_active else None

    async def list(self, page: PageRequest) -> Page[Doctor]:
        """The directory table, active and inactive doctors, numeric ids first."""
        return await self._units.read(lambda uow: uow.reports.doctors(page))

    async def card(self, doctor_id: object) -> Doctor:
        """The table's card for this id, active or not (what the admin edits)."""
        wanted = parse_doctor_id(doctor_id)
        found = await self._units.read(lambda uow: uow.doctors.get(wanted))
        if found is None:
            raise DoctorNotFound()
        return found

    async def save(self, doctor_id: object, changes: Mapping[str, object], *, actor: str,
                   create: bool) -> Doctor:
        """Add a doctor to the table (``create``: first and last name required, a taken id is
        refused) or change an existing one (only the fields given)."""
        wanted = parse_doctor_id(doctor_id)

        async def body(uow: UnitOfWork) -> Doctor:
            existing = await uow.doctors.get(wanted)
            ensure_creatable(existing, create=create, missing=DoctorNotFound,
                             taken="A doctor with this id exists", field="id")
            base = existing or new_card(wanted, changes)
            doctor = attrs.evolve(base, **card_changes(base, changes))
            await uow.doctors.save(doctor)
            await self._audit(uow, actor, "create_doctor" if create else "update_doctor",
                              f"doctor:{wanted}", ", ".join(sorted(map(str, changes))))
            return doctor

        return await self._units.write(body)

    async def delete(self, doctor_id: object, *, actor: str) -> None:
        wanted = parse_doctor_id(doctor_id)

        async def body(uow: UnitOfWork) -> None:
            if not await uow.doctors.delete(wanted):
                raise DoctorNotFound()
            await self._audit(uow, actor, "delete_doctor", f"doctor:{wanted}", "")

        await self._units.write(body)
