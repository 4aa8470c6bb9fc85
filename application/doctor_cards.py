"""Reading an admin's doctor card input: the named fields, and the card's extra text fields.

A card has a first and last name, a specialization, a rating from 0 to 5 (at most two decimals)
and an active flag. Any other field whose value is a string (``photo_url``, ``phone``, ...) is kept
among the card's extra fields (at most ``MAX_EXTRA``, names of letters, digits and _); null removes
one; fields of any other type are ignored, as unknown fields are everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.doctors import Doctor
from domain.errors import ValidationError

NAMED = frozenset({"id", "first_name", "last_name", "specialization", "rating", "is_active"})
MAX_EXTRA, MAX_EXTRA_TEXT, MAX_NAME = 20, 1000, 255
_EXTRA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
TOP_RATING = Decimal(5)


def new_card(doctor_id: str, fields: Mapping[str, object]) -> Doctor:
    """A card for a doctor not in the table yet: first and last name are required."""
    return Doctor(doctor_id, _name(fields.get("first_name"), "first_name"),
                  _name(fields.get("last_name"), "last_name"))


def card_changes(card: Doctor, fields: Mapping[str, object]) -> dict[str, Any]:
    """The attributes of ``card`` that ``fields`` change, checked."""
    changes: dict[str, Any] = {name: read(fields[name]) for name, read in _READERS.items() if name in fields}
    extra = _extra(card.extra, fields)
    if extra != card.extra:
        changes["extra"] = extra
    return changes


def parse_rating(raw: object) -> Decimal | None:
    if raw is None:
        return None
    value: Decimal | None = None
    if isinstance(raw, (int, Decimal, str)) and not isinstance(raw, bool) and len(str(raw)) <= 16:
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            value = None
    if value is None or not value.is_finite() or not 0 <= value <= TOP_RATING or \
            value != value.quantize(Decimal("0.01")):
        raise ValidationError("rating must be a number from 0 to 5 with at most 2 decimals",
                              field="rating")
    return value


def _extra(current: Mapping[str, str], fields: Mapping[str, object]) -> dict[str, str]:
    extra = dict(current)
    for name, value in fields.items():
        if name in NAMED or not isinstance(name, str) or not _EXTRA_NAME.fullmatch(name):
            continue
        if value is None:
            extra.pop(name, None)
        elif isinstance(value, str):
            extra[name] = _text(value, name, MAX_EXTRA_TEXT)
    if len(extra) > MAX_EXTRA:
        raise ValidationError(f"a doctor card takes at most {MAX_EXTRA} extra fields", field="extra")
    return extra


def _name(raw: object, field: str) -> str:
    text = _text(raw, field, MAX_NAME)
    if not text:
        raise ValidationError(f"{field} is required", field=field)
    return text


def _text(raw: object, field: str, limit: int) -> str:
    if not isinstance(raw, str) or len(raw) > limit:
        raise ValidationError(f"{field} must be a string of at most {limit} characters", field=field)
    return raw.strip()


def _is_active(raw: object) -> bool:
    if not isinstance(raw, bool):
        raise ValidationError("is_active must be true or false", field="is_active")
    return raw


# How each named field a change may carry is read, in the order its refusals are checked.
_READERS: dict[str, Callable[[object], object]] = {
    "first_name": lambda raw: _name(raw, "first_name"),
    "last_name": lambda raw: _name(raw, "last_name"),
    "specialization": lambda raw: _text(raw, "specialization", MAX_NAME),
    "rating": parse_rating,
    "is_active": _is_active,
}
