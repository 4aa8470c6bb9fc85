"""Money: integer minor units of one currency, with the only rounding rule Hamyon uses.

Amounts come in as JSON numbers or numeric strings (parsed to ``Decimal`` at the edge, never to a
float) and go out as ``Decimal`` with exactly the currency's decimals.
"""

from __future__ import annotations

import enum
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from attrs import frozen

from domain.errors import CurrencyMismatch, InvalidAmount, UnsupportedCurrency

MAX_INTEGER_DIGITS = 15
# Plain numbers; NaN and Infinity pass here only to be refused below with their own message.
_NUMERIC_TEXT = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:NaN|Infinity|inf)",
    re.ASCII | re.IGNORECASE)
# Well inside the default 28-digit decimal context, so no arithmetic below rounds silently.
MAX_SIGNIFICANT_DIGITS = 24


class Currency(enum.Enum):
    UZS = "UZS"
    USD = "USD"
    EUR = "EUR"
    RUB = "RUB"
    IRR = "IRR"

    # Set on each member once (plain attributes: read on every amount written, with no call).
    digits: int  # how many minor digits the currency has (tiyin, cents, kopeks; rials have none)
    quantum: Decimal  # the smallest amount it writes: Decimal('0.01'); Decimal('1') for rials

    def __init__(self, code: str) -> None:
        self.digits = 0 if code == "IRR" else 2
        self.quantum = Decimal(1).scaleb(-self.digits)

    @classmethod
    def parse(cls, code: object, *, field: str = "currency") -> Currency:
        if isinstance(code, Currency):
            return code
        if isinstance(code, str):
            try:
                return cls(code.strip().upper())
            except ValueError:
                pass
        raise UnsupportedCurrency(
            f"Unsupported currency; use one of {', '.join(c.value for c in cls)}", field=field
        )


@frozen(order=False)
class Money:
    """A whole number of minor units of one currency. Immutable; arithmetic checks the currency."""

    minor: int
    currency: Currency

    @classmethod
    def zero(cls, currency: Currency) -> Money:
        return cls(0, currency)

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: Currency) -> Money:
        """Exact conversion of a major-unit amount; refuses anything finer than a minor unit."""
        value = _to_decimal(amount, field="amount")
        return cls(_exact_minor(value, currency, field="amount"), currency)

    @property
    def amount(self) -> Decimal:
        """Major units with exactly the currency's decimals (``Decimal('50000.00')``)."""
        currency = self.currency
        return Decimal(self.minor).scaleb(-currency.digits).quantize(currency.quantum)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency.value}"

    def _same(self, other: Money) -> None:
        if self.currency is not other.currency:
            raise CurrencyMismatch()

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor > other.minor

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.minor >= other.minor

    @property
    def is_positive(self) -> bool:
        return self.minor > 0

    @property
    def is_zero(self) -> bool:
        return self.minor == 0

    def percent(self, percentage: Decimal) -> Money:
        """``self × percentage / 100``, rounded half up once to the minor unit."""
        return round_half_up(self.amount * percentage / 100, self.currency)


def round_half_up(value: Decimal, currency: Currency) -> Money:
    """The one rounding rule: half up (away from zero) to the currency's minor unit, at the end."""
    quantized = value.quantize(currency.quantum, rounding=ROUND_HALF_UP)
    return Money(int(quantized.scaleb(currency.digits)), currency)


def parse_amount(
    raw: object, currency: Currency, *, field: str = "amount", positive: bool = True
) -> Money:
    """Parse a JSON amount (int, Decimal from a JSON number, or numeric string) into Money.

    Refuses booleans, floats (the edge must parse JSON numbers as Decimal), NaN, Infinity,
    exponents that do not fit, more than 15 integer digits, more decimals than the currency has,
    and, when ``positive``, zero or negative amounts.
    """
    value = _to_decimal(raw, field=field)
    money = Money(_exact_minor(value, currency, field=field), currency)
    if positive and not money.is_positive:
        raise InvalidAmount(f"{field} must be greater than zero", field=field)
    return money


def check_amount(raw: object, *, field: str = "amount") -> Decimal:
    """What ``parse_amount`` refuses whatever the currency (not a number, too many digits, not
    above zero): for a use case that learns the currency only once it has locked its row."""
    value = _to_decimal(raw, field=field)
    if value <= 0:
        raise InvalidAmount(f"{field} must be greater than zero", field=field)
    most = max(currency.digits for currency in Currency)
    if value != value.quantize(Decimal(1).scaleb(-most)):
        raise InvalidAmount(f"{field} has more than {most} decimals", field=field)
    return value


def parse_signed_amount(raw: object, currency: Currency, *, field: str = "amount") -> Money:
    """Like ``parse_amount`` but any non-zero sign is allowed (admin adjustments)."""
    money = parse_amount(raw, currency, field=field, positive=False)
    if money.is_zero:
        raise InvalidAmount(f"{field} must not be zero", field=field)
    return money


def parse_non_negative_amount(raw: object, currency: Currency, *, field: str) -> Money:
    """Like ``parse_amount`` but zero is allowed (a fee that may be waived); never negative."""
    money = parse_amount(raw, currency, field=field, positive=False)
    if money.minor < 0:
        raise InvalidAmount(f"{field} must not be negative", field=field)
    return money


def parse_percentage(raw: object, *, field: str) -> Decimal:
    """A percentage between 0 and 100 with at most two decimals."""
    value = _to_decimal(raw, field=field)
    if value < 0 or value > 100 or value != value.quantize(Decimal("0.01")):
        raise InvalidAmount(f"{field} must be between 0 and 100 with at most 2 decimals", field=field)
    return value.quantize(Decimal("0.01"))


def _to_decimal(raw: object, *, field: str) -> Decimal:
    if isinstance(raw, (bool, float)):
        raise InvalidAmount(f"{field} must be a number or a numeric string", field=field)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        # Decimal() also takes "1_000" and non-ASCII digits; a money field takes plain JSON-like text.
        if not text or len(text) > 64 or not _NUMERIC_TEXT.fullmatch(text):
            raise InvalidAmount(f"{field} must be a number or a numeric string", field=field)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidAmount(f"{field} is not a number", field=field) from None
    else:
        raise InvalidAmount(f"{field} must be a number or a numeric string", field=field)
    if not value.is_finite():
        raise InvalidAmount(f"{field} must be a finite number", field=field)
    sign_digits_exponent = value.as_tuple()
    exponent = sign_digits_exponent.exponent
    assert isinstance(exponent, int)
    if len(sign_digits_exponent.digits) > MAX_SIGNIFICANT_DIGITS:
        raise InvalidAmount(f"{field} has too many digits", field=field)
    if (value != 0 and value.adjusted() >= MAX_INTEGER_DIGITS) or exponent > MAX_INTEGER_DIGITS:
        raise InvalidAmount(
            f"{field} has more than {MAX_INTEGER_DIGITS} integer digits", field=field
        )
    return value


def _exact_minor(value: Decimal, currency: Currency, *, field: str) -> int:
    scaled = value.scaleb(currency.digits)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(
            f"{field} has more than {currency.digits} decimals for {currency.value}", field=field
        )
    return int(scaled)
