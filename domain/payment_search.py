"""What an admin's payment search asks for (SPEC §16): a status, a gateway, a user, when the
payments were created, and one payment named by its id or its reference number.

A period's ends are dates (the platform's calendar days, its zone passed in) or ISO 8601 dates and
times (without an offset, the platform's too), both inclusive. It is kept as UTC moments
``start <= created_at < end``, as every store compares them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from uuid import UUID

from attrs import frozen

from domain.errors import ValidationError
from domain.payments import PaymentStatus

REFERENCE_MAX = 64
_WHEN_MAX = 40  # longer than any ISO 8601 date and time
# The stores keep microseconds: the first moment after an inclusive end.
_TICK = timedelta(microseconds=1)


@frozen
class CreatedBetween:
    start: datetime | None = None  # created at or after (UTC)
    end: datetime | None = None  # created before (UTC)


@frozen
class PaymentSearch:
    """The filters of one search (``ports.reports.Reports.search_payments``), each None when not
    given; a payment is found when it matches every filter given."""

    status: PaymentStatus | None = None
    gateway: str | None = None
    user_id: str | None = None
    created_from: datetime | None = None  # created at or after (UTC)
    created_before: datetime | None = None  # created before (UTC)
    payment_id: UUID | None = None  # its id, exactly
    reference: str | None = None  # its reference number, exactly


def created_between(raw_from: object, raw_to: object, zone: tzinfo) -> CreatedBetween:
    """The period from ``created_from`` to ``created_to``, both inclusive, either end open (None or
    blank). A bad end is refused naming its field; a start after the end, naming ``created_from``."""
    start = _bound(raw_from, "created_from", zone, after=False)
    end = _bound(raw_to, "created_to", zone, after=True)
    if start is not None and end is not None and start >= end:
        raise ValidationError("created_from must not be after created_to", field="created_from")
    return CreatedBetween(start, end)


def payment_key(raw: object) -> UUID | str | None:
    """What ``q`` names: a payment's id (in any form ``uuid.UUID`` reads) or its reference number,
    upper-cased as every reference is written (``domain.payments.reference_number``), so an exact
    match finds it whatever the case it was typed in. Blank is no key."""
    if raw is None or isinstance(raw, UUID):
        return raw
    if not isinstance(raw, str) or len(raw.strip()) > REFERENCE_MAX:
        raise ValidationError("q must be a payment id or reference number", field="q")
    text = raw.strip()
    if not text:
        return None
    try:
        return UUID(text)
    except ValueError:
        return text.upper()


def _bound(raw: object, name: str, zone: tzinfo, *, after: bool) -> datetime | None:
    """A period's start, or (``after``) the first moment past its inclusive end, in UTC."""
    when = _when(raw, name)
    try:
        if isinstance(when, datetime):
            moment = when if when.utcoffset() is not None else when.replace(tzinfo=zone)
            return (moment + _TICK if after else moment).astimezone(UTC)
        if isinstance(when, date):
            day = when + timedelta(days=1) if after else when
            return datetime.combine(day, time(), zone).astimezone(UTC)
    except OverflowError:  # the first or the last day of the calendar
        raise _bad(name) from None
    return None


def _when(raw: object, name: str) -> date | None:
    """A day or a moment (a datetime is a date too) as given or written; None when not given."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str) or not raw.isascii() or len(raw.strip()) > _WHEN_MAX:
        raise _bad(name)
    text = raw.strip()
    try:
        return datetime.fromisoformat(text) if len(text) > len("2026-01-15") else date.fromisoformat(text)
    except ValueError:
        raise _bad(name) from None


def _bad(name: str) -> ValidationError:
    return ValidationError(f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 date and time",
                           field=name)
