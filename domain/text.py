"""The rules every piece of text from outside obeys, wherever it enters (HTTP, a webhook, an
embedding caller): valid Unicode, no control characters where a field does not allow them, a
bounded length; and web addresses that a browser can be sent to and a header can carry.

Why here: a lone surrogate cannot be stored by SQLite, a NUL cannot be stored by Postgres, a CR/LF
cannot go into a ``Location`` header; refusing them where they enter names the field and changes
nothing, where failing later would be a 500 and maybe after a commit.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from domain.errors import ValidationError

MAX_URL_LENGTH = 2000
# C0 controls, DEL and C1 controls; a multi-line field keeps tab, line feed and carriage return.
SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE = re.compile(r"[\ud800-\udfff]")
# What a URL is made of once percent-encoded: printable ASCII, no space.
_URL_CHARACTERS = re.compile(r"[\x21-\x7e]+")


def check_text(value: str, field: str, *, max_length: int, multiline: bool = False) -> str:
    """``value`` when it is valid text for ``field``, else a ValidationError naming the field."""
    if len(value) > max_length:
        raise ValidationError(f"{field} must be at most {max_length} characters", field=field)
    if SURROGATE.search(value):
        raise ValidationError(f"{field} is not valid Unicode text (it holds a lone surrogate)",
                              field=field)
    if (MULTI_LINE if multiline else SINGLE_LINE).search(value):
        allowed = "" if multiline else " or line breaks"
        raise ValidationError(f"{field} must not contain control characters{allowed}", field=field)
    return value


def is_single_line_text(value: str) -> bool:
    """Valid Unicode without control characters (the gateways' protocols use this: they answer
    a bad field with their own error code, not a ValidationError)."""
    return not SURROGATE.search(value) and not SINGLE_LINE.search(value)


def check_web_url(value: str, field: str, *, max_length: int = MAX_URL_LENGTH) -> str:
    """An absolute ``http(s)`` URL with a host, in printable ASCII (non-ASCII percent-encoded),
    without credentials, of at most ``max_length`` characters; the empty string means none."""
    if value == "":
        return value
    check_text(value, field, max_length=max_length)
    wanted = f"{field} must be an absolute http:// or https:// URL"
    if not _URL_CHARACTERS.fullmatch(value):
        raise ValidationError(f"{wanted} (printable ASCII, no spaces)", field=field)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ValidationError(wanted, field=field) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(wanted, field=field)
    if parts.username is not None or parts.password is not None:
        raise ValidationError(f"{field} must not carry a user name or password", field=field)
    return value


def is_ascii_whole(text: str, max_digits: int) -> bool:
    """True for 1 to ``max_digits`` ASCII digits: ``str.isdigit`` also takes ``²`` and ``①``, and
    ``int`` takes full-width and Arabic-Indic digits, neither of which a number field means."""
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()


def with_outcome(url: str, payment_id: object, status: str) -> str:
    """The payer's way back to the platform (SPEC §12): ``url`` with ``payment_id`` and ``status``
    in its query, replacing any the URL already carried (the platform reads Hamyon's values, not
    ones a link could have been given), its other parameters and fragment kept."""
    parts = urlsplit(url)
    kept = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
            if name not in ("payment_id", "status")]
    query = urlencode([*kept, ("payment_id", str(payment_id)), ("status", status)])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
