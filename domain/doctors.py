"""The doctor card shown by the protected doctor view (the platform owns doctors; Hamyon only
keeps or fetches the card it shows after charging)."""

from __future__ import annotations

from decimal import Decimal

from attrs import define, field

from domain.errors import ValidationError

MAX_DOCTOR_ID = 64


@define
class Doctor:
    id: str
    first_name: str
    last_name: str
    specialization: str = ""
    rating: Decimal | None = None
    is_active: bool = True
    extra: dict[str, str] = field(factory=dict)


def parse_doctor_id(raw: object) -> str:
    """Doctor ids are the platform's: a whole number or a short token of letters, digits, - and _."""
    text = str(raw).strip() if isinstance(raw, (int, str)) and not isinstance(raw, bool) else ""
    if not text or len(text) > MAX_DOCTOR_ID or not text.replace("-", "").replace("_", "").isalnum():
        raise ValidationError("doctor id must be letters, digits, - or _", field="doctor_id")
    return text
