"""Redaction: what keeps secrets out of every log line (SPEC §7 "logs never carry a secret").

``redact``, the last step before any line is rendered, replaces the value of any key named like a
credential (token, secret, password, authorization, key, card, pan, sign, payload, phone …) and
masks, inside any string, what looks like a JWT, a Fernet ciphertext, a bearer credential, a
password in a URL or a 16-digit card number — whatever key it hides under.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

REDACTED = "[redacted]"
_EXACT = frozenset({"pan", "cvv", "cvc", "otp", "pin", "jwt", "key", "keys", "auth", "cookie", "phone",
                    "payload", "signature", "authorization", "password", "secret", "token"})
_PREFIXES = ("token", "secret", "passw", "authoriz", "sign", "card", "credential", "cookie", "phone",
             "payload", "apikey", "privatekey")
_SUFFIXES = ("key", "keys", "token", "tokens", "secret", "secrets", "password", "pass")
_WORD_BREAK = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
_FERNET = re.compile(r"\bgAAAAA[A-Za-z0-9_=-]{20,}")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_META = frozenset({"_record", "_from_structlog"})  # removed before rendering, never printed
_URL_PASSWORD = re.compile(r"(://[^/:@\s]+):[^/@\s]+@")
# Alone, not inside a longer token: a hex request id or a UUID that happens to hold 16 digits in a
# row is left readable (it is followed or preceded by a letter or a dash).
_CARD = re.compile(r"(?<![0-9A-Za-z-])(?:\d{4}[ -]?){3}(\d{4})(?![0-9A-Za-z-])")
# What every pattern above needs to match somewhere in the text (the JWT's "eyJ", the Fernet
# "gAAAAA", the scheme and its blank, "://", sixteen digits): a text without any of it is left as
# it is without running them. Nothing shorter than the shortest possible match can hold one.
_MAYBE_SECRET = re.compile(r"eyJ|gAAAAA|://|(?i:bearer|basic)\s|\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}")
_SHORTEST_SECRET = len("a://b:c@")
_CARD_SIZED = 10 ** 15  # the smallest whole number of 16 digits


@lru_cache(maxsize=4096)  # field names come from the code: a few dozen, each decided once
def sensitive_key(name: str) -> bool:
    """Whether a field's name says it holds a credential, a card, a signature or a payload."""
    for part in (p.lower() for p in _WORD_BREAK.split(name) if p):
        if part in _EXACT or part.startswith(_PREFIXES) or part.endswith(_SUFFIXES):
            return True
    return False


def scrub(text: str) -> str:
    """The text with JWTs, Fernet tokens, bearer/basic credentials and card numbers masked."""
    if len(text) < _SHORTEST_SECRET or _MAYBE_SECRET.search(text) is None:
        return text
    text = _JWT.sub("[jwt]", text)
    text = _FERNET.sub("[encrypted]", text)
    text = _BEARER.sub(lambda found: f"{found.group(1)} {REDACTED}", text)
    text = _URL_PASSWORD.sub(lambda found: f"{found.group(1)}:{REDACTED}@", text)
    return _CARD.sub(lambda found: f"****{found.group(1)}", text)


def clean(value: Any) -> Any:
    """A value as a line may show it: secrets in it masked, sensitive keys of a mapping hidden."""
    kind = type(value)  # the usual ones by their exact type; subclasses by the isinstance below
    if kind is str or isinstance(value, str):
        return scrub(value)
    if value is None or kind is bool or isinstance(value, float):
        return value
    if isinstance(value, int):
        return scrub(str(value)) if abs(value) >= _CARD_SIZED else value  # a card number as a number
    if isinstance(value, bytes):
        return scrub(value.decode("utf-8", "replace"))
    if isinstance(value, Mapping):
        return {key: REDACTED if sensitive_key(str(key)) else clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [clean(item) for item in value]
    return scrub(str(value))  # anything else is rendered as text: scrub that text


def redact(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: hide sensitive keys, mask secrets that hide in values."""
    return {key: value if key in _META
            else REDACTED if key != "event" and sensitive_key(key) else clean(value)
            for key, value in event.items()}
