"""The JSON edge: bodies in with every number as ``Decimal`` (never a float), bodies out with
money written digit for digit from its ``Decimal``.

``json.dumps`` cannot emit a ``Decimal`` as a bare number, so ``encode`` is a small serializer of
its own: a ``Decimal`` is written with ``format(value, "f")``, so ``Decimal("50000.00")`` becomes
``50000.00`` in the body, exactly as the currency's decimals say.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from domain.errors import ValidationError

# What json.dumps(text, ensure_ascii=False) writes, without building an encoder per string.
_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


class InvalidJson(ValidationError):
    code = "invalid_json"
    default_message = "Request body is not valid JSON"


def _refuse_constant(name: str) -> Any:
    raise InvalidJson(f"{name} is not allowed in JSON")


# Past this many digits an integer stays a ``Decimal``: the validator then refuses it by field
# name ("quantity is too large"), where ``int`` would raise past Python's 4,300-digit limit.
MAX_INT_DIGITS = 64


def whole_number(text: str) -> int | Decimal:
    """A JSON integer: an ``int`` when it is of a sane length, else a ``Decimal``."""
    return int(text) if len(text) <= MAX_INT_DIGITS else Decimal(text)


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object. Floats become ``Decimal``, and so do integers of more than
    64 digits; NaN and Infinity are refused; an empty body is an empty object."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_int=whole_number,
                            parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InvalidJson() from None
    if not isinstance(parsed, dict):
        raise InvalidJson("Request body must be a JSON object")
    return parsed


def encode(value: Any) -> str:
    """Serialize a response body. Accepts dicts, lists, tuples, strings, ints, Decimals, bools,
    None, floats (measurements only, never money), UUIDs, enums and aware datetimes."""
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts)


def iso(moment: datetime | None) -> str | None:
    """An aware datetime in UTC as ``2024-01-15T12:00:00Z`` (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _write(value: Any, parts: list[str]) -> None:
    # Scalars as json.dumps(value, ensure_ascii=False, allow_nan=False) writes them. The types an
    # answer is made of are told by their exact type first (one call, where the isinstance
    # chain below makes up to ten); subclasses, enums and the rest take the chain.
    kind = type(value)
    if kind is str:
        parts.append(_string(value))
    elif kind is Decimal:
        parts.append(_decimal(value))
    elif kind is dict:
        _write_object(value, parts)
    elif value is None:
        parts.append("null")
    elif kind is bool:
        parts.append("true" if value else "false")
    elif kind is int:
        parts.append(int.__repr__(value))
    else:
        _write_any(value, parts)


def _write_any(value: Any, parts: list[str]) -> None:
    if isinstance(value, str):
        parts.append(_string(value))
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif value is None:
        parts.append("null")
    elif isinstance(value, Decimal):
        parts.append(_decimal(value))
    elif isinstance(value, Mapping):
        _write_object(value, parts)
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, parts)
        parts.append("]")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Out of range float values are not JSON compliant")
        parts.append(float.__repr__(value))
    elif isinstance(value, UUID):
        parts.append(f'"{value}"')
    elif isinstance(value, Enum):
        _write(value.value, parts)
    elif isinstance(value, datetime):
        _write(iso(value), parts)
    else:
        raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("a non-finite Decimal cannot be written as JSON")
    return format(value, "f")


def _write_object(value: Mapping[Any, Any], parts: list[str]) -> None:
    opening = "{"
    for key, item in value.items():
        written = _KEYS.get(key) if type(key) is str else None
        parts.append(opening + (written or _key(key)))
        opening = ","
        _write(item, parts)
    parts.append("}" if opening == "," else "{}")


def _key(key: object) -> str:
    """A field name as written, ``"name":``; a plain string one is kept for the next answer."""
    written = _string(str(key)) + ":"
    if type(key) is str and len(_KEYS) < MAX_KEYS:
        _KEYS[key] = written
    return written


# Field names as written: an answer's keys come from its shape, a few hundred names in all; the
# bound keeps keys that come from data (a gateway's, a client's) from growing it.
_KEYS: dict[str, str] = {}
MAX_KEYS = 2048
