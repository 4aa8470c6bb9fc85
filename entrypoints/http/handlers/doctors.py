"""The protected doctor view (SPEC §5) and the admin's doctor directory (SPEC §6).

The view answers in the Medical-consultation seed's shape: the doctor's card beside the charge's
outcome (``charged``, ``amount_charged``, ``new_balance``, ``message``). Refusals are a charge's:
402, 403, 429, 503; an unknown doctor is 404 and nothing is charged.
"""

from __future__ import annotations

from typing import Any

from application.billing import ChargeResult
from domain.doctors import Doctor
from domain.money import Money
from entrypoints.http import admin_schemas, schemas
from entrypoints.http.i18n import message
from entrypoints.http.render import pagination
from entrypoints.http.request_handler import ApiHandler
from entrypoints.http.wire import project

MAX_NUMERIC_ID = 15  # digits a JSON number carries exactly everywhere


def doctor_card(doctor: Doctor, *, admin: bool = False) -> Any:
    """The card as the seed shows it (a numeric id as a number), extra text fields beside."""
    numeric = doctor.id.isascii() and doctor.id.isdigit() and len(doctor.id) <= MAX_NUMERIC_ID
    return project(schemas.DoctorCard, doctor, id=int(doctor.id) if numeric else doctor.id,
                   is_active=doctor.is_active if admin else None)


def doctor_view(doctor: Doctor, result: ChargeResult, language: str) -> Any:
    balance = result.balance_after
    if result.charged:
        service = result.description.removesuffix(f" (ID: {doctor.id})")
        said = message("charged_for", language, service=service)
    else:
        said = message("free_access", language)
    return schemas.DoctorView(
        doctor=doctor_card(doctor), charged=result.charged,
        amount_charged=result.amount_charged or Money.zero(balance.currency), new_balance=balance,
        message=said)


class DoctorViewHandler(ApiHandler):
    async def get(self, doctor_id: str) -> None:
        doctor, result = await self.hamyon.doctors.view(self.user_id, doctor_id, self.language)
        self.reply(doctor_view(doctor, result, self.language))


class AdminDoctorsHandler(ApiHandler):
    async def get(self) -> None:
        page = await self.hamyon.doctors.list(self.page_request())
        self.reply(admin_schemas.DoctorList(
            doctors=[doctor_card(d, admin=True) for d in page.items], pagination=pagination(page)))

    async def post(self) -> None:
        body = self.read()
        doctor = await self.hamyon.doctors.save(body.id, self.payload, actor=self.user_id,
                                               create=True)
        self.reply(admin_schemas.DoctorResponse(doctor=doctor_card(doctor, admin=True)), 201)


class AdminDoctorHandler(ApiHandler):
    async def patch(self, doctor_id: str) -> None:
        doctor = await self.hamyon.doctors.save(doctor_id, self.body(), actor=self.user_id,
                                               create=False)
        self.reply(admin_schemas.DoctorResponse(doctor=doctor_card(doctor, admin=True)))

    async def delete(self, doctor_id: str) -> None:
        await self.hamyon.doctors.delete(doctor_id, actor=self.user_id)
        self.reply(admin_schemas.Deleted(deleted=True))
