"""Structured logs (structlog): JSON lines in production or off a terminal, pretty on a terminal.

Every line, from structlog or from the standard library (Tornado, asyncio), goes through one
chain: level, UTC timestamp, the context bound for the request (``request_id``, ``user_id``),
then ``redact`` — the last step before rendering, so nothing reaches the output unredacted.

``redact`` is the guarantee behind SPEC §7 "logs never carry a secret": it replaces the value of
any key named like a credential (token, secret, password, authorization, key, card, pan, sign,
payload, phone …) and masks, inside any string, what looks like a JWT, a Fernet ciphertext, a
bearer credential, a password in a URL or a 16-digit card number — whatever key it hides under.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import IO, Any

import structlog

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
_HEAD = ("timestamp", "level", "logger", "event")
_META = frozenset({"_record", "_from_structlog"})  # removed before rendering, never printed
_URL_PASSWORD = re.compile(r"(://[^/:@\s]+):[^/@\s]+@")
# Alone, not inside a longer token: a hex request id or a UUID that happens to hold 16 digits in a
# row is left readable (it is followed or preceded by a letter or a dash).
_CARD = re.compile(r"(?<![0-9A-Za-z-])(?:\d{4}[ -]?){3}(\d{4})(?![0-9A-Za-z-])")


def sensitive_key(name: str) -> bool:
    """Whether a field's name says it holds a credential, a card, a signature or a payload."""
    for part in (p.lower() for p in _WORD_BREAK.split(name) if p):
        if part in _EXACT or part.startswith(_PREFIXES) or part.endswith(_SUFFIXES):
            return True
    return False


def scrub(text: str) -> str:
    """The text with JWTs, Fernet tokens, bearer/basic credentials and card numbers masked."""
    text = _JWT.sub("[jwt]", text)
    text = _FERNET.sub("[encrypted]", text)
    text = _BEARER.sub(lambda found: f"{found.group(1)} {REDACTED}", text)
    text = _URL_PASSWORD.sub(lambda found: f"{found.group(1)}:{REDACTED}@", text)
    return _CARD.sub(lambda found: f"****{found.group(1)}", text)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, bytes):
        return scrub(value.decode("utf-8", "replace"))
    if isinstance(value, Mapping):
        return {key: REDACTED if sensitive_key(str(key)) else _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(item) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and len(str(abs(value))) >= 16:
        return scrub(str(value))  # a card number passed as a number
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return scrub(str(value))  # anything else is rendered as text: scrub that text


def redact(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: hide sensitive keys, mask secrets that hide in values."""
    return {key: value if key in _META
            else REDACTED if key != "event" and sensitive_key(key) else _clean(value)
            for key, value in event.items()}


def event_first(logger: Any, method: str, event: dict[str, Any]) -> dict[str, Any]:
    """structlog processor: time, level, logger and event lead each line, the fields follow."""
    head = {key: event.pop(key) for key in _HEAD if key in event}
    return {**head, **event}


def use_json(production: bool, stream: IO[str]) -> bool:
    """JSON lines in production and whenever the output is not a terminal (a file, a collector)."""
    return production or not (hasattr(stream, "isatty") and stream.isatty())


def configure_logging(*, production: bool = False, stream: IO[str] | None = None,
                      json: bool | None = None, level: str | int = "INFO") -> None:
    """Route structlog and the standard library's loggers to ``stream`` (stdout by default)
    through the shared, redacting chain. Safe to call again (tests, ``demo`` after ``serve``)."""
    out = stream if stream is not None else sys.stdout
    as_json = use_json(production, out) if json is None else json
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        redact,
        event_first,
    ]
    renderer: Any = (structlog.processors.JSONRenderer() if as_json else
                     structlog.dev.ConsoleRenderer(colors=_colors(out),
                                                   exception_formatter=structlog.dev.plain_traceback))
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer])
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def _colors(stream: IO[str]) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()
