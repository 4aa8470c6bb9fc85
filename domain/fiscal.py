"""Fiscal receipts (SPEC §14): the items a gateway registers with the tax authority (OFD) for a
payment, and the receipt it registered.

Prices include VAT; a line's VAT is ``price × vat_percent / (100 + vat_percent)``, rounded half up
to the tiyin. A top-up's items add up to what the gateway collects: the top-up line at the
payment's amount and, when there is one, a commission line.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from attrs import define, frozen

from domain.errors import ValidationError
from domain.payments import Payment
from domain.text import check_text

MXIK_LENGTH = 17
MAX_PACKAGE_CODE = 20
MAX_TITLE = 63  # Click's item Name: string(63)
DEFAULT_VAT_PERCENT = 12
COMMISSION_TITLE = "Komissiya"


class ReceiptType(enum.Enum):
    SALE = "sale"
    REFUND = "refund"


@frozen
class FiscalCodes:
    """What a receipt line needs besides its price: the product (MXIK) and package codes."""

    mxik_code: str = ""
    package_code: str = ""
    vat_percent: int = DEFAULT_VAT_PERCENT

    @property
    def configured(self) -> bool:
        return bool(self.mxik_code)


@frozen
class ReceiptLine:
    """One item of a receipt, in minor units: ``price`` per unit, VAT of the whole line."""

    title: str
    price: int
    count: int
    code: str
    package_code: str
    vat_percent: int

    @property
    def total(self) -> int:
        return self.price * self.count

    @property
    def vat(self) -> int:
        return vat_of(self.total, self.vat_percent)


@frozen
class FiscalReceipt:
    """A receipt a gateway registered for a payment (one sale, at most one refund)."""

    payment_id: UUID
    type: ReceiptType
    gateway: str
    receipt_id: str
    status_code: str
    fiscal_sign: str
    terminal_id: str
    qr_code_url: str
    registered_at: datetime
    message: str = ""


class SubmissionState(enum.Enum):
    PENDING = "pending"  # the items are still to be sent
    SUBMITTED = "submitted"  # the gateway took the items; the receipt is still to be read
    DONE = "done"  # the receipt is registered and kept
    FAILED = "failed"  # the gateway refused, or every try failed: an operator looks


RETRY_DELAYS = (5, 30, 120, 600, 1800, 3600, 3600, 3600)  # seconds before the next try


@define
class FiscalSubmission:
    """A receipt Hamyon still has to ask a gateway for (Click's ``ofd_data``), tried again with
    backoff: one per payment, made in the unit of work that credited it."""

    payment_id: UUID
    gateway: str
    external_ref: str  # the gateway's payment id the receipt is filed under
    created_at: datetime
    next_attempt_at: datetime
    attempts: int = 0
    state: SubmissionState = SubmissionState.PENDING
    last_error: str = ""

    def failed_try(self, now: datetime, error: str, *, final: bool) -> None:
        """A try that did not finish: again after the next delay, or never (``final``, or out of
        tries)."""
        self.attempts += 1
        self.last_error = error[:500]
        if final or self.attempts > len(RETRY_DELAYS):
            self.state = SubmissionState.FAILED
            return
        self.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[self.attempts - 1])


def vat_of(total_minor: int, vat_percent: int) -> int:
    """The VAT inside a VAT-inclusive total: ``total × vat / (100 + vat)``, half up to the tiyin."""
    if vat_percent == 0:
        return 0
    exact = Decimal(total_minor) * vat_percent / (100 + vat_percent)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def topup_lines(payment: Payment, codes: FiscalCodes, title: str) -> tuple[ReceiptLine, ...]:
    """A top-up's items: the top-up at its amount, and the commission when it is not zero; their
    totals add up to the payment's total, what the gateway collects. None without an MXIK code."""
    if not codes.configured:
        return ()
    name = (title or "Hamyon to'ldirish")[:MAX_TITLE]
    lines = [ReceiptLine(name, payment.amount.minor, 1, codes.mxik_code, codes.package_code,
                         codes.vat_percent)]
    if payment.commission.is_positive:
        lines.append(ReceiptLine(COMMISSION_TITLE, payment.commission.minor, 1, codes.mxik_code,
                                 codes.package_code, codes.vat_percent))
    assert sum(line.total for line in lines) == payment.total_amount.minor
    return tuple(lines)


def check_mxik(value: object, field: str) -> str:
    """An MXIK (IKPU) code: exactly 17 ASCII digits, or '' for none."""
    return _digit_code(value, field, range(MXIK_LENGTH, MXIK_LENGTH + 1),
                       f"a string of {MXIK_LENGTH} digits", f"exactly {MXIK_LENGTH} digits")


def check_package_code(value: object, field: str) -> str:
    """A package code: 1–20 ASCII digits, or '' for none."""
    return _digit_code(value, field, range(1, MAX_PACKAGE_CODE + 1), "a string of digits",
                       f"1 to {MAX_PACKAGE_CODE} digits")


def _digit_code(value: object, field: str, lengths: Sequence[int], kind: str, shape: str) -> str:
    """A code of ASCII digits, sent as a string or a whole number, of one of ``lengths``; '' for
    none. A value of another type must be ``kind``; a wrong one, ``shape``."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationError(f"{field} must be {kind}", field=field)
    text = str(value)
    if len(text) not in lengths or not text.isascii() or not text.isdigit():
        raise ValidationError(f"{field} must be {shape}", field=field)
    return text


def check_vat_percent(value: object, field: str) -> int:
    """A VAT rate: a whole number from 0 to 100."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(f"{field} must be a whole number from 0 to 100", field=field)
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 100:
        raise ValidationError(f"{field} must be a whole number from 0 to 100", field=field)
    return int(text)


def check_tin(value: object, field: str) -> str:
    """A taxpayer number (TIN, 9 digits) or a PINFL (14 digits), or '' for none."""
    wanted = "a TIN of 9 digits or a PINFL of 14"
    return _digit_code(value, field, (9, 14), wanted, wanted)


def check_title(value: object, field: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text", field=field)
    return check_text(value, field, max_length=MAX_TITLE).strip()


def receipt_type(raw: str) -> ReceiptType:
    return ReceiptType(raw)


def codes_of(values: Mapping[str, object], prefix: str = "") -> FiscalCodes:
    """Codes from admin input (``mxik_code`` …, or ``topup_mxik_code`` … with a prefix)."""
    return FiscalCodes(
        check_mxik(values.get(f"{prefix}mxik_code"), f"{prefix}mxik_code"),
        check_package_code(values.get(f"{prefix}package_code"), f"{prefix}package_code"),
        check_vat_percent(values.get(f"{prefix}vat_percent", DEFAULT_VAT_PERCENT),
                          f"{prefix}vat_percent"))


@frozen
class FiscalStep:
    """What one call to a gateway's fiscal API came to, as the payment log keeps it."""

    ok: bool
    retryable: bool
    note: str
    payload: str  # the call and its answer, secrets left out
    qr_code_url: str = ""


def simulated_receipt(payment: Payment, kind: ReceiptType, now: datetime) -> FiscalReceipt:
    """The sandbox's receipt: the shape of a real one, marked as simulated, never registered."""
    sign = str(payment.id.int % 10**12).zfill(12)
    return FiscalReceipt(payment.id, kind, "sandbox", f"SBX-{payment.reference_number}", "0", sign,
                         "SANDBOX-TERMINAL", f"https://ofd.soliq.uz/check?t=SANDBOX&s={sign}",
                         now, "simulated by the sandbox (not registered with the tax authority)")
