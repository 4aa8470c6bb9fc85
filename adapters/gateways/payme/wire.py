"""Payme's wire: the JSON-RPC envelope, typed params, and times in Unix milliseconds.

Parsing refuses what Payme never sends: floats become ``Decimal`` (never a float near money),
NaN and Infinity are not JSON, booleans are not numbers.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from attrs import frozen

from adapters.gateways.payme.errors import (
    INVALID_REQUEST,
    NOT_JSON,
    WRONG_AMOUNT,
    PaymeError,
    invalid_param,
)
from domain.fiscal import FiscalReceipt, ReceiptType
from domain.text import is_single_line_text

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TASHKENT = ZoneInfo("Asia/Tashkent")
MAX_MS = 2**63 - 1  # what a BIGINT column holds
MAX_ID_LENGTH = 64
MAX_PASSWORD_LENGTH = 512
CANCEL_REASONS = frozenset({1, 2, 3, 4, 5, 10})


def to_ms(moment: datetime | None) -> int:
    """Unix milliseconds of an aware datetime (exact integer arithmetic); 0 when unset."""
    return 0 if moment is None else (moment - EPOCH) // timedelta(milliseconds=1)


@frozen
class Call:
    """One JSON-RPC request: ``id`` is echoed as received."""

    id: Any
    method: str
    params: dict[str, Any]


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def _whole_number(text: str) -> int | Decimal:
    # Past Python's 4,300-digit limit ``int`` raises; such a number is simply out of every range.
    return int(text) if len(text) <= 64 else Decimal(text)


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8"), parse_float=Decimal, parse_int=_whole_number,
                          parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PaymeError(NOT_JSON) from None


def parse_call(payload: Any) -> Call:
    """The envelope: an object with a string ``method``, an object ``params`` and an ``id``."""
    if not isinstance(payload, dict):
        raise PaymeError(INVALID_REQUEST)
    request_id = payload.get("id")
    if not isinstance(payload.get("method"), str) or not isinstance(payload.get("params"), dict) \
            or not _valid_id(request_id):
        raise PaymeError(INVALID_REQUEST)
    return Call(request_id, payload["method"], payload["params"])


def request_id(payload: Any) -> Any:
    """The id to echo in an answer, when the request has a usable one."""
    if isinstance(payload, dict) and _valid_id(payload.get("id")):
        return payload["id"]
    return None


def _valid_id(value: Any) -> bool:
    return (isinstance(value, (int, str, Decimal)) and not isinstance(value, bool)
            and len(str(value)) <= MAX_ID_LENGTH and is_single_line_text(str(value)))


def whole(params: dict[str, Any], name: str, *, low: int = 0) -> int:
    """A required integer param (Payme's times and amounts); a whole Decimal counts as one."""
    value = params.get(name)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_MS:
        raise invalid_param(name)
    return value


def amount(params: dict[str, Any]) -> int:
    """The amount in tiyin: an integer. A fractional tiyin can equal no order's total."""
    value = params.get("amount")
    if isinstance(value, Decimal) and value.is_finite() and value != value.to_integral_value():
        raise PaymeError(WRONG_AMOUNT)
    return whole(params, "amount", low=-MAX_MS)  # a negative amount is wrong, not malformed


def text(params: dict[str, Any], name: str, limit: int = MAX_ID_LENGTH) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value or len(value) > limit or not is_single_line_text(value):
        raise invalid_param(name)
    return value


def order_id(params: dict[str, Any]) -> UUID | None:
    """The order named by ``account.order_id``: our payment id, or None when it cannot be one
    (Payme hears that as order not found, an account error)."""
    account = params.get("account")
    if not isinstance(account, dict):
        raise invalid_param("account")
    raw = account.get("order_id")
    if not isinstance(raw, (str, int)) or isinstance(raw, bool) or len(str(raw)) > MAX_ID_LENGTH:
        return None
    try:
        return UUID(str(raw))
    except ValueError:
        return None


def cancel_reason(params: dict[str, Any]) -> int:
    reason = whole(params, "reason")
    if reason not in CANCEL_REASONS:
        raise invalid_param("reason")
    return reason


RECEIPT_KINDS = {"PERFORM": ReceiptType.SALE, "CANCEL": ReceiptType.REFUND}
MAX_FISCAL_TEXT = 512
_FISCAL_TEXTS = ("message", "terminal_id", "fiscal_sign", "date")


def receipt_kind(params: dict[str, Any]) -> ReceiptType:
    kind = params.get("type")
    if not isinstance(kind, str) or kind not in RECEIPT_KINDS:
        raise invalid_param("type")
    return RECEIPT_KINDS[kind]


def fiscal_data(params: dict[str, Any]) -> FiscalReceipt:
    """SetFiscalData's ``fiscal_data``: ``receipt_id`` (text or a whole number) and ``qr_code_url``
    required, ``status_code`` a whole number, the rest text; the payment and type are filled in
    by the use case. ``date`` (``YYYYMMDDhhmmss``, Tashkent) is the registration time (else EPOCH)."""
    data = params.get("fiscal_data")
    if not isinstance(data, dict):
        raise invalid_param("fiscal_data")
    receipt_id = data.get("receipt_id")
    if isinstance(receipt_id, int) and not isinstance(receipt_id, bool) and 0 <= receipt_id <= MAX_MS:
        receipt_id = str(receipt_id)
    receipt_id = text({"receipt_id": receipt_id}, "receipt_id", MAX_FISCAL_TEXT)
    qr = text(data, "qr_code_url", MAX_FISCAL_TEXT)
    status = data.get("status_code", 0)
    if isinstance(status, bool) or not isinstance(status, int) or abs(status) > MAX_MS:
        raise invalid_param("status_code")
    texts = {name: _optional_text(data, name) for name in _FISCAL_TEXTS}
    return FiscalReceipt(UUID(int=0), ReceiptType.SALE, "payme", receipt_id, str(status),
                         texts["fiscal_sign"], texts["terminal_id"], qr, _ofd_time(texts["date"]),
                         texts["message"])


def _optional_text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value is None or value == "":
        return ""
    return text(data, name, MAX_FISCAL_TEXT)


def _ofd_time(raw: str) -> datetime:
    try:
        return datetime.strptime(raw, "%Y%m%d%H%M%S").replace(tzinfo=TASHKENT)
    except ValueError:
        return EPOCH  # not said: the use case's now


def result(call_id: Any, body: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": call_id, "result": body}


def error(call_id: Any, failure: PaymeError) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": call_id, "error": failure.body()}
